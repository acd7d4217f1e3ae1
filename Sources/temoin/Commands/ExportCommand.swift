import ArgumentParser
import Foundation
import TemoinKit

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a verifiable bundle (.zip) or a web archive (.warc.gz).",
        discussion: """
            --out FILE.zip: the store (a consistent snapshot), its seals (.tsr) and attestations, \
            docs/FORMAT.md, docs/TRUST.md, the reference verifier and a README for whoever receives it. \
            `temoin verify FILE.zip` checks it. --redact withholds every capture's bytes in the copy \
            (digests kept: the chain still verifies, captures are reported as withheld).

            --warc FILE.warc.gz: WARC/1.1 request and response records rebuilt from the recorded \
            exchanges, and resource records for imported pages, for archivists' tools (warcio, pywb).
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("The bundle to write.", valueName: "file.zip")) var out: String?
    @Flag(help: "Withhold capture bytes in the bundle (digests kept).") var redact = false
    @Option(help: ArgumentHelp("The WARC file to write.", valueName: "file.warc.gz")) var warc: String?

    func validate() throws {
        if out == nil && warc == nil { throw ValidationError(tr("trust.export.what")) }
        if redact && out == nil { throw ValidationError(tr("trust.export.redact_zip")) }
    }

    func run() throws {
        let cleanup = installCleanupHandlers()
        defer { for handler in cleanup { handler.cancel() } }
        try guarded {
            let store = try Store.open(at: storeOptions.path, readOnly: true)
            struct Out: Encodable {
                var bundle: BundleExporter.Result?
                var warc: WARCExporter.Result?
            }
            var result = Out()
            if let out {
                result.bundle = try BundleExporter(store: store).export(to: out, redact: redact)
                if !output.json {
                    print(tr("trust.export.bundle", ["path": out, "files": String(result.bundle!.files.count)]))
                    if redact {
                        print(tr("trust.export.redacted", ["count": String(result.bundle!.withheldCaptures)]))
                    }
                }
            }
            if let warc {
                let r = try WARCExporter(store: store).export(to: warc)
                result.warc = r
                if !output.json {
                    print(
                        tr(
                            "trust.export.warc",
                            [
                                "path": warc, "records": String(r.records), "responses": String(r.responses),
                                "resources": String(r.resources),
                            ]))
                    if r.withheld > 0 { print(tr("trust.export.warc_withheld", ["count": String(r.withheld)])) }
                }
            }
            if output.json { print(JSONOutput.string(result)) }
        }
    }
}
