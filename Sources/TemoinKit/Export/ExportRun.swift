import Foundation

extension ExportJSON {
    /// `temoin export`: the bundle (`bundle`, `redact`ed when asked), then the WARC file (`warc`), each
    /// said as soon as it is written (its lines, unless the output is JSON: then this report says it
    /// all at the end). The first file that cannot be written stops it (exit 7).
    package static func export(
        store: Store, bundle: String?, redact: Bool, warc: String?, json: Bool, speak: ([Utterance]) -> Void
    ) throws -> ExportJSON {
        var result = ExportJSON()
        if let bundle {
            let written = try BundleExporter(store: store).export(to: bundle, redact: redact)
            result.bundle = written
            if !json { speak(ExportText.bundleLines(written, path: bundle, redact: redact).map(Utterance.line)) }
        }
        if let warc {
            let written = try WARCExporter(store: store).export(to: warc)
            result.warc = written
            if !json { speak(ExportText.warcLines(written, path: warc).map(Utterance.line)) }
        }
        return result
    }
}
