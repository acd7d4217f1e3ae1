import Foundation

/// What `temoin export` prints: each file written, as soon as it is, and `--json`'s shape.
package enum ExportText {
    package static func bundleLines(_ r: BundleExporter.Result, path: String, redact: Bool) -> [String] {
        var lines = [tr("trust.export.bundle", ["path": path, "files": String(r.files.count)])]
        if redact { lines.append(tr("trust.export.redacted", ["count": String(r.withheldCaptures)])) }
        return lines
    }

    package static func warcLines(_ r: WARCExporter.Result, path: String) -> [String] {
        var lines = [
            tr(
                "trust.export.warc",
                [
                    "path": path, "records": String(r.records), "responses": String(r.responses),
                    "resources": String(r.resources),
                ])
        ]
        if r.withheld > 0 { lines.append(tr("trust.export.warc_withheld", ["count": String(r.withheld)])) }
        return lines
    }
}

/// `temoin export --json`: what each file holds, for the files asked for.
package struct ExportJSON: Encodable {
    package var bundle: BundleExporter.Result?
    package var warc: WARCExporter.Result?

    package init() {}
}
