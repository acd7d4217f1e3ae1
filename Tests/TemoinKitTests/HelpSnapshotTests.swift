import Foundation
import Testing

@testable import TemoinKit

/// `temoin --help` and every `temoin <command> --help`, in French and in English, pinned as text files
/// (Snapshots/help/{en,fr}/<command>.txt, 100 columns), the way swift-argument-parser's own tests pin
/// theirs. A change of wording shows in review as a change of these files.
///
/// To regenerate them after changing a help text: `make help-snapshots` (runs this suite with
/// TEMOIN_UPDATE_HELP_SNAPSHOTS=1, which writes the files instead of comparing them).
@Suite struct HelpSnapshotTests {
    static let width = 100
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots/help")
    static let updating = ProcessInfo.processInfo.environment["TEMOIN_UPDATE_HELP_SNAPSHOTS"] == "1"

    /// Every command path the parser knows (`[]` is `temoin` itself), read from its own description, so
    /// a new command without snapshots fails here.
    static func commandPaths() throws -> [[String]] {
        let dump = try temoin(["--experimental-dump-help"])
        let root = try #require(
            (try JSONSerialization.jsonObject(with: dump.stdoutData) as? [String: Any])?["command"] as? [String: Any])
        var paths: [[String]] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            paths.append(path)
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                guard let name = sub["commandName"] as? String, name != "help" else { continue }
                walk(sub, path + [name])
            }
        }
        walk(root, [])
        return paths
    }

    static func help(_ path: [String], _ language: Language) throws -> String {
        let locale = language == .fr ? "fr_FR.UTF-8" : "C.UTF-8"
        let r = try temoin(path + ["--help"], environment: ["COLUMNS": String(width), "LANG": locale])
        #expect(r.status == 0, "\(path): \(r.stderr)")
        return r.stdout
    }

    static func snapshotFile(_ path: [String], _ language: Language) -> URL {
        folder.appendingPathComponent(language.rawValue)
            .appendingPathComponent((["temoin"] + path).joined(separator: "-") + ".txt")
    }

    @Test(arguments: Language.allCases)
    func everyCommandsHelpMatchesItsSnapshot(_ language: Language) throws {
        let paths = try Self.commandPaths()
        #expect(paths.count > 30, "\(paths)")
        for path in paths {
            let text = try Self.help(path, language)
            let file = Self.snapshotFile(path, language)
            if Self.updating {
                try FileManager.default.createDirectory(
                    at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try? String(contentsOf: file, encoding: .utf8)
            #expect(expected != nil, "no snapshot \(file.path): run make help-snapshots")
            if let expected, expected != text {
                Issue.record("\(file.lastPathComponent) differs:\n\(Self.firstDifference(expected, text))")
            }
        }
        // No snapshot left for a command that no longer exists.
        let names = Set(paths.map { Self.snapshotFile($0, language).lastPathComponent })
        let folder = Self.folder.appendingPathComponent(language.rawValue)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        #expect(Set(files) == names, "stale snapshots: \(Set(files).subtracting(names).sorted())")
    }

    /// The help comes from the catalogue in the language of the environment, like every message: the
    /// French help is French (its abstracts and option texts), not the English one, and no key shows.
    @Test func frenchHelpIsFrenchAndNoKeyShows() throws {
        for path in try Self.commandPaths() {
            let en = try Self.help(path, .en)
            let fr = try Self.help(path, .fr)
            #expect(en != fr, "\(path): the French help is the English one")
            for text in [en, fr] {
                #expect(!text.contains(/help\.[A-Za-z]+\.[A-Za-z]/), "\(path): a catalogue key shows:\n\(text)")
            }
        }
        let root = try Self.help([], .fr)
        #expect(root.contains("Enregistrer les tentatives infructueuses"))
        #expect(root.contains("Codes de sortie"))
        #expect(try Self.help(["attempt"], .fr).contains("Secondes avant qu'une tentative sans réponse"))
        // LC_ALL and LC_MESSAGES choose it too, before LANG, and --lang before all of them.
        let lcAll = try temoin(["verify", "--help"], environment: ["LANG": "C.UTF-8", "LC_ALL": "fr_FR.UTF-8"])
        #expect(lcAll.stdout.contains("Vérifier toute la chaîne"))
        let lcMessages = try temoin(["log", "--help"], environment: ["LC_MESSAGES": "fr_FR.UTF-8"])
        #expect(lcMessages.stdout.contains("Lister les entrées"))
        let flag = try temoin(["--lang", "en", "log", "--help"], environment: ["LANG": "fr_FR.UTF-8"])
        #expect(flag.stdout.contains("List the entries"))
    }

    /// Paragraphs are wrapped by the argument parser only: no line of ours broken where the next word
    /// would still have fitted, no run of spaces inside a line.
    @Test(arguments: Language.allCases)
    func noHelpLineIsRagged(_ language: Language) throws {
        for path in try Self.commandPaths() {
            let problems = Self.raggedLines(try Self.help(path, language), width: Self.width)
            #expect(problems.isEmpty, "\(path) \(language):\n\(problems.joined(separator: "\n"))")
        }
    }

    @Test func theRaggedLineCheckFindsWhatTheIssueShowed() {
        // The lines `temoin --help` printed before (issue 18): a hard break re-wrapped by the parser.
        let before = """
            temoin keeps every attempt in one SQLite file (the store), chained by SHA-256 so that any
            later change shows. The applicant records attempts; the lawyer exports the dossier; a
            """
        #expect(Self.raggedLines(before, width: 100).count == 1)
        #expect(
            Self.raggedLines("With --browser, you make (a fresh            temporary profile)", width: 100).count == 1)
        // What the parser itself does is not ragged: the option column, and a break where the word did not fit.
        let parser = """
            OPTIONS:
              --lang <lang>           Language of messages and help: fr or en (default: from LC_ALL,
                                      LC_MESSAGES or LANG). (values: en, fr)
            """
        #expect(Self.raggedLines(parser, width: 100).isEmpty)
        let long = String(repeating: "word ", count: 19) + "wordy\nending here."
        #expect(Self.raggedLines(long, width: 100).isEmpty)
    }

    /// Lines that show a break or spacing the parser did not make. A line "ends mid-sentence" when it
    /// ends with a letter, a digit or a comma; the parser breaks such a line only when the next word
    /// would not fit in `width` columns, and goes on at column 0 (26 for an option's help). A next
    /// line indented otherwise is a line of its own (an item of a list), not a continuation.
    static func raggedLines(_ text: String, width: Int) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var problems: [String] = []
        var inColumns = false
        for (i, line) in lines.enumerated() {
            if line.hasSuffix(":"), !line.hasPrefix(" ") {
                inColumns = ["OPTIONS:", "ARGUMENTS:", "SUBCOMMANDS:"].contains(line)
            }
            // The parser's own column: names up to column 24, help from column 26.
            let parts = inColumns && line.count > 26 ? [String(line.prefix(24)), String(line.dropFirst(26))] : [line]
            for part in parts where part.trimmingCharacters(in: .whitespaces).contains("  ") {
                problems.append("runs of spaces: \(line)")
            }
            guard i + 1 < lines.count, let last = line.last, last.isLetter || last.isNumber || last == "," else {
                continue
            }
            let next = lines[i + 1].drop { $0 == " " }
            let indent = lines[i + 1].count - next.count
            guard let first = next.first, first.isLowercase, indent == (inColumns ? 26 : 0) else { continue }
            let word = next.prefix { $0 != " " }
            if line.count + 1 + word.count < width {
                problems.append("broken early: \(line) / \(lines[i + 1])")
            }
        }
        return problems
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false)
        let y = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(x.count, y.count) where (i < x.count ? x[i] : "") != (i < y.count ? y[i] : "") {
            return "line \(i + 1):\n- \(i < x.count ? x[i] : "")\n+ \(i < y.count ? y[i] : "")"
        }
        return "(same lines)"
    }
}
