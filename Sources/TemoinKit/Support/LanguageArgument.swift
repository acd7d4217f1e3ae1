import Foundation

extension Language {
    /// The `--lang` value among a command line's raw arguments (`--lang fr` or `--lang=fr`; the last
    /// valid one wins, nothing after `--` counts), read before parsing so that every message, validation
    /// errors included, is in that language whatever the option's place.
    package static func scan(_ arguments: [String]) -> Language? {
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
