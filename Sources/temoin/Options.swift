import ArgumentParser
import Foundation
import TemoinKit

/// Options every command that touches a store shares.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The store file (default: $TEMOIN_STORE, else ./temoin.sqlite).", valueName: "path"))
    var store: String?

    @Option(name: .long, help: "Language of messages: fr or en (default: from LANG).")
    var lang: Language?

    var path: String { Store.resolvePath(option: store) }

    func validate() throws {
        if let lang { Messages.shared.language = lang }
    }
}

extension Language: ExpressibleByArgument {}

/// `--lang` for the commands that take no store (the others have it in `StoreOptions`).
struct LanguageOptions: ParsableArguments {
    @Option(name: .long, help: "Language of messages: fr or en (default: from LANG).")
    var lang: Language?

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

/// `--json` for every command that reports.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the result as JSON (stable keys, for scripts).")
    var json = false
}

/// Runs a command body, turning temoin's errors into a message on standard error and the documented
/// exit code.
func guarded(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as TemoinError {
        printError(error.description)
        throw ExitCode(error.exitCode)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("temoin: \(message)\n".utf8))
}

/// Reads a date typed by a person; the message shows the accepted forms.
func parseDate(_ text: String) throws -> Date {
    guard let d = TimeFormat.parse(text) else { throw TemoinError.invalidDate(value: text) }
    return d
}
