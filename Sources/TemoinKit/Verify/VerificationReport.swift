import Foundation

/// One thing verification found wrong, tied to the entry where it shows.
public struct VerificationProblem: Codable, Sendable, Equatable {
    /// The entry concerned; nil for problems of the store as a whole (schema, metadata, stray captures).
    public var seq: Int64?
    /// Stable code shared with docs/verify_reference.py (docs/FORMAT.md, "Verification").
    public var code: String
    public var reason: String

    public init(seq: Int64?, code: String, reason: String) {
        self.seq = seq
        self.code = code
        self.reason = reason
    }

    /// `seq` is written even when null, as docs/FORMAT.md §6 and the reference verifier give it.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(code, forKey: .code)
        try c.encode(reason, forKey: .reason)
    }
}

/// A capture whose bytes were withheld on purpose: reported, and distinct from altered.
public struct WithheldCapture: Codable, Sendable, Equatable {
    public var digest: String
    public var seqs: [Int64]
    public var withheldAt: String?

    enum CodingKeys: String, CodingKey {
        case digest, seqs
        case withheldAt = "withheld_at"
    }
}

public struct VerificationReport: Codable, Sendable {
    public enum Verdict: String, Codable, Sendable {
        case intact
        case tampered
    }

    public struct CaptureCounts: Codable, Sendable {
        public var checked: Int
        public var withheld: Int
        public var bytes: Int64
    }

    public var verdict: Verdict
    public var store: String
    public var storeID: String?
    public var entries: Int
    public var attempts: Int
    public var head: ChainHead?
    public var captures: CaptureCounts
    public var firstBadSeq: Int64?
    public var problems: [VerificationProblem]
    public var withheld: [WithheldCapture]
    public var verifiedAt: String
    public var verifier: String
    /// Seals and attestations found beside the chain, each checked (filled by `TrustChecks.extend`).
    public var seals: [SealSummary] = []
    public var attestations: [AttestationSummary] = []
    /// For a bundle: its manifest and documents (BundleReader.check); absent for a store.
    public var bundle: BundleSummary?
    /// What the time rules found (docs/FORMAT.md §8): never part of the verdict. Nil when they could
    /// not be applied (the schema was altered or SQLite could not read the store).
    public var time: TimeSummary?

    enum CodingKeys: String, CodingKey {
        case verdict, store, entries, attempts, head, captures, problems, withheld, verifier, seals, attestations, time
        case bundle
        case storeID = "store_id"
        case firstBadSeq = "first_bad_seq"
        case verifiedAt = "verified_at"
    }
}

extension VerificationReport {
    /// Time problems that contradict an attempt, or any time problem when `strict` (`--strict-time`).
    public func hasTimeProblems(strict: Bool = true) -> Bool {
        guard let time else { return false }
        return strict ? !time.problems.isEmpty : time.contradicted > 0
    }

    /// Sets the time rules' summary, unless the store's tables cannot be trusted (FORMAT.md §8: the
    /// rules are not applied after `schema_altered` or `store_corrupt`).
    mutating func setTime(_ summary: TimeSummary?) {
        guard var summary, !problems.contains(where: { ["schema_altered", "store_corrupt"].contains($0.code) }) else {
            time = nil
            return
        }
        summary.problems.sort { ($0.seq, $0.code) < ($1.seq, $1.code) }
        time = summary
    }
}
