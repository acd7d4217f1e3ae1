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
        var result = ExportJSON()
        if let out {
            result.bundle = try BundleExporter(store: store).export(to: out, redact: redact)
            if !output.json, let r = result.bundle {
                for line in ExportText.bundleLines(r, path: out, redact: redact) { print(line) }
            }
        }
        if let warc {
            result.warc = try WARCExporter(store: store).export(to: warc)
            if !output.json, let r = result.warc { for line in ExportText.warcLines(r, path: warc) { print(line) } }
        }
        if output.json { print(JSONOutput.string(result)) }
    }
}
