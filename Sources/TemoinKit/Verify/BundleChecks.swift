import Foundation

/// docs/TRUST.md, "Bundles": the bundle's own files against its manifest, as problems of the report
/// (`bundle_altered`, seq null, one per file).
enum BundleChecks {
    static func problems(_ folder: URL) -> [VerificationProblem] {
        BundleReader.checkManifest(folder).1.map {
            VerificationProblem(seq: $0.seq, code: $0.code, reason: $0.reason, subject: $0.subject ?? $0.reason)
        }
    }
}
