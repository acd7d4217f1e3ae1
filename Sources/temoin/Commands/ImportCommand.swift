import ArgumentParser
import TemoinKit

struct ImportCommand: StoreCommand {
    static let configuration = CommandConfiguration.text("import", key: "ImportCommand")
    static let records = true
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
        try validating { try ImportOptions.check(files: files, url: url, observedAt: observedAt, maxSize: maxSize) }
    }

    func report(_ store: Store) throws -> Reported<[ImportFileReport]> {
        let options = try ImportOptions(
            url: url, observedAt: observedAt, maxSize: maxSize, note: note, profileFile: profileFile)
        let report = try Importer(store: store).importFiles(files, options: options, json: output.json) {
            speak($0, json: output.json)
        }
        return Reported(report.files, exitStatus: report.exitStatus) {
            [ImportText.summary(report), try store.head()?.line].compactMap { $0 }
        }
    }
}
