import ArgumentParser
import TemoinKit

/// Options every command that touches a store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: .text("StoreOptions.store", value: "path")) var store: String?
    @Option(name: .long, help: .text("StoreOptions.lang")) var lang: Language?
    var path: String { Store.resolvePath(option: store) }

    func validate() throws {
        if let lang { Messages.shared.language = lang }
    }
}
