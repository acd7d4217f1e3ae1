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

/// How `temoin verify` ends: what it prints on standard output, the status it exits with, and, for a
/// file that could not be verified at all, the error it says on standard error.
package struct VerifyAnswer: Sendable {
    package let output: String
    package let exitStatus: ExitStatus
    package let error: TemoinError?
}

extension VerificationReport.Verdict {
    /// What `verify`, `status` and `dossier` exit with for this verdict: 1 when the store is not intact
    /// (`status` and `dossier` report all the same, and say so).
    package var exitStatus: ExitStatus { self == .intact ? .success : .tampered }
}

extension Verification {
    /// `temoin verify`: the report (its JSON with `json`) and the status, 1 unless intact or, with
    /// `strictTime`, when the time rules found anything. A file that is no store throws, except with
    /// `json`: docs/FORMAT.md §6 says `--json` always prints a report, so that file's report is the
    /// output and its error comes back to be said (exit 2).
    package func answer(json: Bool, strictTime: Bool, progress: Verifier.Progress? = nil) throws -> VerifyAnswer {
        let report: VerificationReport
        do {
            report = try run(progress: progress)
        } catch let error as TemoinError where json && error.exitStatus == .storeUnreadable {
            let unreadable = UnreadableReport(store: path, reason: error.description)
            return VerifyAnswer(output: JSONOutput.string(unreadable), exitStatus: error.exitStatus, error: error)
        }
        let strictTimeFails = report.verdict == .intact && strictTime && report.hasTimeProblems()
        return VerifyAnswer(
            output: json ? JSONOutput.string(report) : VerifyText.text(report),
            exitStatus: strictTimeFails ? .timeProblems : report.verdict.exitStatus, error: nil)
    }
}
