import Foundation

/// One verification as `temoin verify` and `temoin attest` run it: a store or a bundle (extracted
/// safely, then its manifest checked), the chain and its captures (docs/FORMAT.md §6), the head the
/// person obtained independently (§6.8), the seals and attestations (§7), with the verifier's own trust
/// anchors. Everything found goes through `VerificationReport.record`.
public struct Verification: Sendable {
    /// A store, or a bundle (`temoin export --out FILE.zip`).
    public var path: String
    /// A head obtained independently (`--expect-head`), compared with the chain (§6.8); nil: none.
    public var expectedHead: ExpectedHead?
    /// The time-stamp authorities the person trusts (`--tsa-cert`, the trust folder).
    public var trust: TSATrust
    /// Fingerprints of the volunteers' keys the person recognises (`--attester-key`).
    public var trustedKeys: [String]

    /// A verification of `path`; nothing is read until ``run(progress:)``.
    public init(
        path: String, expectedHead: ExpectedHead? = nil, trust: TSATrust = TSATrust(), trustedKeys: [String] = []
    ) {
        self.path = path
        self.expectedHead = expectedHead
        self.trust = trust
        self.trustedKeys = trustedKeys
    }

    /// Throws only when the file cannot be read as a store or a bundle at all (exit 2 or 4).
    public func run(progress: Verifier.Progress? = nil) throws -> VerificationReport {
        try withStore { storePath, bundle in
            var report = try Verifier().verify(path: storePath, expectedHead: expectedHead, progress: progress)
            report.store = path
            try AnchorChecks.extend(&report, path: storePath, trust: trust, trustedKeys: trustedKeys)
            if let bundle {
                report.bundle = bundle.summary
                report.record(BundleChecks.problems(bundle))
            }
            return report
        }
    }

    /// Runs `body` on the store itself, or on the store of the bundle extracted into a temporary folder
    /// removed afterwards (also when `body` throws), with what checking the bundle's own files found.
    public func withStore<T>(_ body: (_ storePath: String, _ bundle: BundleReader.Check?) throws -> T) throws -> T {
        guard BundleReader.isBundle(path) else { return try body(path, nil) }
        let folder = try BundleReader().extract(path)
        defer { BundleReader.discard(folder) }
        return try body(folder.appendingPathComponent("store.sqlite").path, BundleReader.check(folder).result)
    }
}
