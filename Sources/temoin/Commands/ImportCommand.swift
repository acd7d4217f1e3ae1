import ArgumentParser
import Foundation
import TemoinKit

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("import", key: "ImportCommand")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: .text("ImportCommand.files", value: "file")) var files: [String]

    @Option(help: .text("ImportCommand.url")) var url: String?
    @Option(name: .customLong("observed-at"), help: .text("ImportCommand.observedAt", value: "date"))
    var observedAt: String?
    @Option(name: .customLong("max-size"), help: .text("ImportCommand.maxSize")) var maxSize: String = "20MB"
    @Option(help: .text("ImportCommand.note")) var note: String?
    @Option(name: .customLong("profile-file"), help: .text("ImportCommand.profileFile", value: "file.json"))
    var profileFile: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError(tr("import.no_files")) }
        if ByteCount.parse(maxSize) == nil { throw ValidationError(tr("import.bad_max_size", ["value": maxSize])) }
        if let url, (try? URLCheck.validate(url)) == nil {
            throw ValidationError(TemoinError.invalidURL(value: url).description)
        }
        if let observedAt {
            do { _ = try TimeFormat.interpret(observedAt, earliest: TimeFormat.earliestAttempt) } catch let error
                as TemoinError
            {
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
            let options = try ImportOptions(
                url: url, observedAt: observedAt, maxSize: maxSize, note: note, profileFile: profileFile)
            let importer = try Importer(store: store)
            var warned = false
            let report = try importer.importFiles(files, options: options) { file in
                if !output.json { printImportLine(file) }
                // A computer's clock that contradicts the chain is said once per run.
                if !warned, let time = importer.clockDoubt(file) {
                    warnAboutTime(time, json: output.json)
                    warned = true
                }
            }
            if output.json {
                print(JSONOutput.string(report.files))
            } else {
                if let summary = ImportText.summary(report) { print(summary) }
                if let head = try store.head() { print(tr("common.head", ["head": head.display])) }
            }
            if report.exitStatus != .success { throw ExitCode(report.exitStatus) }
        }
    }
}
