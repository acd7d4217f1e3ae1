import ArgumentParser
import TemoinKit

struct ExportCommand: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("export", key: "ExportCommand")
    static let cleansUp = true  // a bundle half written never stays behind
    @OptionGroup var options: StoreOutputOptions
    @Option(help: .text("ExportCommand.out", value: "file.zip")) var out: String?
    @Flag(help: .text("ExportCommand.redact")) var redact = false
    @Option(help: .text("ExportCommand.warc", value: "file.warc.gz")) var warc: String?

    func validate() throws {
        if out == nil && warc == nil { throw ValidationError(tr("trust.export.what")) }
        if redact && out == nil { throw ValidationError(tr("trust.export.redact_zip")) }
    }

    func execute() throws {
        let store = try Store.open(at: storeOptions.path, readOnly: true)
        let result = try ExportJSON.export(store: store, bundle: out, redact: redact, warc: warc, json: output.json) {
            speak($0, json: output.json)
        }
        if output.json { print(JSONOutput.string(result)) }
    }
}
