import ArgumentParser
import Foundation
import TemoinKit

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record pages saved from a browser as attempts.",
        discussion: """
            Accepts HTML pages ("Save page as"), "complete" saves (the page and its _files folder, kept
            with it), single-file .mhtml archives, and folders of them, sub-folders included; every
            other file met in a folder is listed as skipped, with why. The URL is read from the page
            (the "saved from url" comment browsers write, or its canonical link). --url is for a page
            that does not say; when it does and they disagree, both are kept and you are warned, and
            the rules follow the page's own address.
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
        if Importer.expand(files).count > 1, observedAt != nil || url != nil {
            throw ValidationError(tr("import.one_file_for_options"))
        }
    }

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path)
            var options = ImportOptions(
                url: url, observedAt: try observedAt.map { try parseDate($0, earliest: TimeFormat.earliestAttempt) },
                maxSize: ByteCount.parse(maxSize)!, note: note)
            if let profileFile { options.ruleSet = try RuleSet.load(url: URL(fileURLWithPath: profileFile)) }
            var warned = false
            let report = try Importer(store: store).importFiles(
                files, options: options,
                report: { file in
                    if !output.json { printImportLine(file) }
                    // A computer's clock that contradicts the chain is said once per run.
                    if !warned, file.status == .recorded, let seq = file.seq, let entry = try? store.entry(seq: seq),
                        let time = try? TimeCorroboration.check(store: store, appended: entry), !time.warnings.isEmpty
                    {
                        warnAboutTime(time, json: output.json)
                        warned = true
                    }
                })
            if output.json {
                print(JSONOutput.string(report.files))
            } else {
                printImportSummary(report)
                if let head = try store.head() { print(tr("common.head", ["head": head.display])) }
            }
            if report.exitStatus != .success { throw ExitCode(report.exitStatus) }
        }
    }
}
