import ArgumentParser
import Foundation
import TemoinKit

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record pages saved from a browser as attempts.",
        discussion: """
            Accepts HTML pages ("Save page as"), "complete" saves (the page and its _files folder, kept
            with it), single-file .mhtml archives, and folders of them. The URL is read from the page
            (the "saved from url" comment browsers write, or its canonical link) unless --url is given.
            The time is --observed-at if given (declared by you), else the file's modification time
            (declared by the file system). Either way the entry says so: only attempts made through
            temoin are witnessed.

            A file that cannot be recorded is reported and skipped; the others are recorded.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Saved pages or folders of saved pages.", valueName: "file"))
    var files: [String]

    @Option(help: "The page's URL, when the saved file does not record it.") var url: String?
    @Option(
        name: .customLong("observed-at"),
        help: ArgumentHelp(
            "When the attempt was made: 2026-11-20T09:15 (Paris time) or ISO 8601 with offset.", valueName: "date"))
    var observedAt: String?
    @Option(name: .customLong("max-size"), help: "Largest file accepted (default 20MB).") var maxSize: String = "20MB"
    @Option(help: "A note kept with the entry.") var note: String?
    @Option(
        name: .customLong("profile-file"),
        help: ArgumentHelp(
            "Outcome rules to use instead of the case's profile (docs/PROFILES.md).", valueName: "file.json"))
    var profileFile: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError(tr("import.no_files")) }
        if ByteCount.parse(maxSize) == nil { throw ValidationError(tr("import.bad_max_size", ["value": maxSize])) }
        if let url, (try? URLCheck.validate(url)) == nil {
            throw ValidationError(TemoinError.invalidURL(value: url).description)
        }
        if let observedAt {
            do { _ = try parseDate(observedAt, earliest: TimeFormat.earliestAttempt) } catch let error as TemoinError {
                throw ValidationError(error.description)
            }
        }
        let paths = Importer.expand(files)
        if paths.count > 1, observedAt != nil || url != nil {
            throw ValidationError(tr("import.one_file_for_options"))
        }
    }

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path)
            let importer = try Importer(store: store)
            var options = ImportOptions(
                url: url, observedAt: try observedAt.map { try parseDate($0, earliest: TimeFormat.earliestAttempt) },
                maxSize: ByteCount.parse(maxSize)!, note: note)
            if let profileFile { options.ruleSet = try RuleSet.load(url: URL(fileURLWithPath: profileFile)) }
            struct Line: Encodable {
                let file: String
                let status: String
                let seq: Int64?
                let duplicate_of: Int64?
                let outcome: String?
                let message: String?
                let error: String?
                let exit_code: Int32?
            }
            var lines: [Line] = []
            var worst = ExitStatus.success
            var warned = false
            let paths = Importer.expand(files)
            if paths.isEmpty { throw TemoinError.fileMissing(path: files.joined(separator: " ")) }
            for path in paths {
                do {
                    let r = try importer.importFile(path, options: options)
                    if let entry = r.entry {
                        lines.append(
                            Line(
                                file: path, status: "recorded", seq: entry.seq, duplicate_of: nil,
                                outcome: r.analysis.outcome.rawValue, message: r.analysis.message, error: nil,
                                exit_code: nil))
                        if !output.json {
                            print(
                                tr(
                                    "import.recorded",
                                    [
                                        "seq": String(entry.seq), "file": TerminalText.line(path),
                                        "outcome": tr("outcome.\(r.analysis.outcome.rawValue)"),
                                    ]))
                            if let m = r.analysis.message { print("       « \(TerminalText.line(m)) »") }
                        }
                        // A computer's clock that contradicts the chain is said once per run.
                        if !warned, let time = try? TimeCorroboration.check(store: store, appended: entry),
                            !time.warnings.isEmpty
                        {
                            warnAboutTime(time, json: output.json)
                            warned = true
                        }
                    } else {
                        lines.append(
                            Line(
                                file: path, status: "duplicate", seq: nil, duplicate_of: r.duplicateOf,
                                outcome: r.analysis.outcome.rawValue, message: nil, error: nil, exit_code: nil))
                        if !output.json {
                            print(
                                tr(
                                    "import.duplicate",
                                    ["file": TerminalText.line(path), "seq": String(r.duplicateOf ?? 0)]))
                        }
                    }
                } catch let error as TemoinError {
                    // A store problem stops everything; a bad file is reported and the next one is tried.
                    if [.storeUnreadable, .storeNotWritable].contains(error.exitStatus) { throw error }
                    worst = max(worst, error.exitStatus)
                    lines.append(
                        Line(
                            file: path, status: "refused", seq: nil, duplicate_of: nil, outcome: nil, message: nil,
                            error: error.description, exit_code: error.exitStatus.rawValue))
                    if !output.json { printError(error.description) }
                }
            }
            if output.json {
                print(JSONOutput.string(lines))
            } else if let head = try store.head() {
                print(tr("common.head", ["head": head.display]))
            }
            if worst != .success { throw ExitCode(worst) }
        }
    }
}
