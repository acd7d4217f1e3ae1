import ArgumentParser
import Foundation
import TemoinKit

/// `--lang` for the commands that take no store (the others have it in `StoreOptions`).
struct LanguageOptions: ParsableArguments {
    @Option(name: .long, help: .text("LanguageOptions.lang")) var lang: Language?

    func validate() throws {
        if let lang { Messages.shared.language = lang }
    }

    /// The `--lang` value among raw arguments (`--lang fr` or `--lang=fr`), read before parsing so
    /// that every message, validation errors included, is in that language whatever the option's place.
    static func scan(_ arguments: [String]) -> Language? {
        var found: Language?
        var i = 0
        while i < arguments.count, arguments[i] != "--" {
            let a = arguments[i]
            if a == "--lang", i + 1 < arguments.count {
                found = Language(rawValue: arguments[i + 1]) ?? found
                i += 1
            } else if a.hasPrefix("--lang=") {
                found = Language(rawValue: String(a.dropFirst("--lang=".count))) ?? found
            }
            i += 1
        }
        return found
    }
}
