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
///
/// A language's sentences are read the first time one is asked for, and only that language's are kept:
/// a run in French never holds the English texts (nor the other way round) unless a key lacks a
/// translation. The whole catalogue, both languages, is built only for ``catalogue`` (tests, checks).
package final class Messages: Sendable {
    package static let shared = Messages()

    private let tables = Mutex<[Language: [String: String]]>([:])
    private let current = Mutex<Language>(Language.fromEnvironment())
    private let whole = Mutex<[String: [String: String]]?>(nil)

    init() {}

    /// The catalogue files, in a stable order.
    private static func files() -> [URL] {
        let folder = Installation.current.resource("messages")
        return ((folder.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) }) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted().compactMap { folder?.appendingPathComponent($0) }
    }

    /// Each file's entries, key → language → text (an unreadable file counts as empty: its keys then
    /// print as themselves, and the catalogue tests fail).
    private static func forEachFile(_ body: ([String: [String: String]]) -> Void) {
        for url in files() {
            guard let data = try? Data(contentsOf: url),
                let decoded = try? JSONDecoder().decode([String: [String: String]].self, from: data)
            else { continue }
            body(decoded)
        }
    }

    /// One language's sentences, read once.
    private func table(_ language: Language) -> [String: String] {
        tables.withLock { tables in
            if let table = tables[language] { return table }
            var table: [String: String] = [:]
            Self.forEachFile { entries in
                for (key, texts) in entries { if let text = texts[language.rawValue] { table[key] = text } }
            }
            tables[language] = table
            return table
        }
    }

    /// The language used by `text(_:_:)` when none is given.
    package var language: Language {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// All keys of the catalogue with the languages each is translated into (for completeness tests).
    package var catalogue: [String: [String: String]] {
        whole.withLock { whole in
            if let whole { return whole }
            var merged: [String: [String: String]] = [:]
            Self.forEachFile { entries in merged.merge(entries) { _, later in later } }
            whole = merged
            return merged
        }
    }

    /// Keys found in more than one catalogue file (must stay empty; see LocalizationTests).
    package var duplicateKeys: [String] {
        var seen: Set<String> = []
        var duplicates: [String] = []
        Self.forEachFile { entries in
            for key in entries.keys where !seen.insert(key).inserted { duplicates.append(key) }
        }
        return duplicates.sorted()
    }

    /// The sentence of `key` in `language`, else in English (which every key has): English is read only
    /// when a key lacks a translation.
    private func template(_ key: String, in language: Language) -> String? {
        table(language)[key] ?? (language == .en ? nil : table(.en)[key])
    }

    /// Whether the catalogue has `key`, in the current language or in English.
    package func has(_ key: String) -> Bool { template(key, in: language) != nil }

    /// The message `key` in `language`, with `{name}` placeholders replaced from `args`.
    /// A missing key prints as the key itself, so nothing is ever silently dropped.
    package func text(_ key: String, _ args: [String: String] = [:], language: Language? = nil) -> String {
        guard let template = template(key, in: language ?? self.language) else { return key }
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
