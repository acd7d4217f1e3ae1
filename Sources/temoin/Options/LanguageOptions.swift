import ArgumentParser
import TemoinKit

/// `--lang` for the commands that take no store (the others have it in `StoreOptions`).
struct LanguageOptions: ParsableArguments {
    @Option(name: .long, help: .text("LanguageOptions.lang")) var lang: Language?

    func validate() throws {
        if let lang { Messages.shared.language = lang }
    }
}
