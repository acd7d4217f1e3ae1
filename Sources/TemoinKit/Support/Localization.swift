import Foundation
import Synchronization

/// The two languages every message exists in.
package enum Language: String, Sendable, CaseIterable, Codable {
    case en
    case fr

    /// The language of the environment: `LC_ALL`, then `LC_MESSAGES`, then `LANG` (French when it starts with "fr").
    package static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = env[key], !value.isEmpty {
                return value.lowercased().hasPrefix("fr") ? .fr : .en
            }
        }
        return .en
    }
}

/// Message catalogue: every sentence the tool prints, in English and French, read from the JSON files in
/// `Resources/messages/` (one per concern, merged; a key defined twice is a build mistake the tests catch)
/// so translators never touch code.
package final class Messages: Sendable {
    package static let shared = Messages()

    private let table: [String: [String: String]]
    private let current = Mutex<Language>(Language.fromEnvironment())
    /// Keys found in more than one catalogue file (must stay empty; see LocalizationTests).
    package let duplicateKeys: [String]

    init() {
        var merged: [String: [String: String]] = [:]
        var duplicates: [String] = []
        let folder = Installation.current.resource("messages")
        let files = ((folder.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) }) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted().compactMap { folder?.appendingPathComponent($0) }
        for url in files {
            guard let data = try? Data(contentsOf: url),
                let decoded = try? JSONDecoder().decode([String: [String: String]].self, from: data)
            else { continue }
            for (key, value) in decoded {
                if merged[key] != nil { duplicates.append(key) }
                merged[key] = value
            }
        }
        table = merged
        duplicateKeys = duplicates.sorted()
    }

    /// The language used by `text(_:_:)` when none is given.
    package var language: Language {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// All keys of the catalogue with the languages each is translated into (for completeness tests).
    package var catalogue: [String: [String: String]] { table }

    /// The message `key` in `language`, with `{name}` placeholders replaced from `args`.
    /// A missing key prints as the key itself, so nothing is ever silently dropped.
    package func text(_ key: String, _ args: [String: String] = [:], language: Language? = nil) -> String {
        let lang = language ?? self.language
        guard let entry = table[key], let template = entry[lang.rawValue] ?? entry["en"] else { return key }
        var out = template
        for (name, value) in args {
            out = out.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return out
    }
}

/// Shorthand for `Messages.shared.text`.
package func tr(_ key: String, _ args: [String: String] = [:]) -> String {
    Messages.shared.text(key, args)
}
