import Foundation

/// docs/TRUST.md, "Bundles": the bundle's own files against its manifest, and its documents against
/// this temoin's (``BundleReader/check(_:)``), as problems of the report (`bundle_altered`, seq null,
/// one per file).
enum BundleChecks {
    static func problems(_ check: BundleReader.Check) -> [VerificationProblem] {
        check.problems.map {
            VerificationProblem(seq: $0.seq, code: $0.code, reason: $0.reason, subject: $0.subject ?? $0.reason)
        }
    }
}
