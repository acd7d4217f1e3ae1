import ArgumentParser
import TemoinKit

struct ImportCommand: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("import", key: "ImportCommand")
    @OptionGroup var options: StoreOutputOptions
    @Argument(help: .text("ImportCommand.files", value: "file")) var files: [String]
    @Option(help: .text("ImportCommand.url")) var url: String?
    @Option(name: .customLong("observed-at"), help: .text("ImportCommand.observedAt", value: "date"))
    var observedAt: DateText?
    @Option(name: .customLong("max-size"), help: .text("ImportCommand.maxSize")) var maxSize = ByteLimit("20MB")
    @Option(help: .text("ImportCommand.note")) var note: String?
    @Option(name: .customLong("profile-file"), help: .text("ImportCommand.profileFile", value: "file.json"))
    var profileFile: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError(tr("import.no_files")) }
        try validating { try ImportOptions.check(url: url, observedAt: observedAt, maxSize: maxSize) }
        // Folders are walked here only when an option needs a single page (the import walks them anyway).
        if observedAt != nil || url != nil, Importer.expand(files).count > 1 {
            throw ValidationError(tr("import.one_file_for_options"))
        }
    }

    func execute() throws {
        let store = try Store.open(at: storeOptions.path)
        let options = try ImportOptions(
            url: url, observedAt: observedAt, maxSize: maxSize, note: note, profileFile: profileFile)
        let report = try Importer(store: store).importFiles(files, options: options, json: output.json) {
            speak($0, json: output.json)
        }
        try output.render(report.files) { [ImportText.summary(report), try store.head()?.line].compactMap { $0 } }
        if report.exitStatus != .success { throw ExitCode(report.exitStatus) }
    }
}
