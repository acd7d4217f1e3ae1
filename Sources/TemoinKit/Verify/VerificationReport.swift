import Foundation

/// One thing verification found wrong, tied to the entry where it shows.
public struct VerificationProblem: Codable, Sendable, Equatable {
    /// The entry concerned; nil for problems of the store as a whole (schema, metadata, stray captures).
    public var seq: Int64?
    /// Stable code shared with docs/verify_reference.py (docs/FORMAT.md §6 and §7).
    public var code: ProblemCode
    /// In English, as the reference verifier words it: `--json` carries it unchanged. People read
    /// `code.explanation` in their language, with `subject`.
    public var reason: String
    /// What the problem is about when a code can show more than once at one seq: a capture's digest, a
    /// seal or attestation (`seal 3`), a schema object, a meta key, a bundle file. Not in the JSON
    /// report (docs/FORMAT.md §6 lists `seq`, `code`, `reason`).
    public var subject: String?

    package init(seq: Int64?, code: ProblemCode, reason: String, subject: String? = nil) {
        self.seq = seq
        self.code = code
        self.reason = reason
        self.subject = subject
    }

    enum CodingKeys: String, CodingKey { case seq, code, reason }

    /// `seq` is written even when null, as docs/FORMAT.md §6 and the reference verifier give it.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(code, forKey: .code)
        try c.encode(reason, forKey: .reason)
    }

    /// docs/FORMAT.md §6: by seq, problems of the store as a whole last, then by code (then, for a
    /// stable listing, by subject and reason; the format leaves that order open).
    static func precedes(_ a: VerificationProblem, _ b: VerificationProblem) -> Bool {
        (a.seq ?? .max, a.code, a.subject ?? "", a.reason) < (b.seq ?? .max, b.code, b.subject ?? "", b.reason)
    }
}

/// A capture whose bytes were withheld on purpose: reported, and distinct from altered.
public struct WithheldCapture: Codable, Sendable, Equatable {
    /// The capture's SHA-256, lowercase hex.
    public var digest: String
    /// The referencing seqs, ascending, each once.
    public var seqs: [Int64]
    /// When its bytes were withheld (UTC, the store's format); nil when undated
    /// (`withholding_undated`).
    public var withheldAt: String?

    enum CodingKeys: String, CodingKey {
        case digest, seqs
        case withheldAt = "withheld_at"
    }

    /// Writes the members docs/FORMAT.md §6 lists for this object, `null` included.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(digest, forKey: .digest)
        try c.encode(seqs, forKey: .seqs)
        try c.encode(withheldAt, forKey: .withheldAt)
    }
}

/// docs/FORMAT.md §6.8: the head a person obtained independently, compared with the chain.
public struct ExpectedHeadCheck: Codable, Sendable, Equatable {
    /// The seq the expected head names.
    public var seq: Int64
    /// The hexadecimal prefix given (8 to 64 digits, lowercase).
    public var hashPrefix: String
    /// Entry `seq` exists and its hash, recomputed from its bytes, starts with `hashPrefix`; nil when the
    /// walk stopped before reading it (not compared).
    public var matches: Bool?
    /// Entries recorded after the expected head (covered by the chain only, not by that head).
    public var entriesAfter: Int64

    package init(seq: Int64, hashPrefix: String, matches: Bool?, entriesAfter: Int64) {
        self.seq = seq
        self.hashPrefix = hashPrefix
        self.matches = matches
        self.entriesAfter = entriesAfter
    }

    enum CodingKeys: String, CodingKey {
        case seq, matches
        case hashPrefix = "hash_prefix"
        case entriesAfter = "entries_after"
    }

    /// Writes the members docs/FORMAT.md §6 lists for this object, `null` included.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(hashPrefix, forKey: .hashPrefix)
        try c.encode(matches, forKey: .matches)
        try c.encode(entriesAfter, forKey: .entriesAfter)
    }
}

/// docs/FORMAT.md §6.9: a `-wal` file beside the store holds changes the main file alone lacks.
public struct WALNotice: Codable, Sendable, Equatable {
    /// Entries of the main file read alone, without its `-wal` (nil when it could not be read alone).
    public var entriesInMainFile: Int64?
    /// Entries read with the `-wal`, as verified.
    public var entriesWithWAL: Int64

    enum CodingKeys: String, CodingKey {
        case entriesInMainFile = "entries_in_main_file"
        case entriesWithWAL = "entries_with_wal"
    }

    /// Writes the members docs/FORMAT.md §6 lists for this object, `null` included.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entriesInMainFile, forKey: .entriesInMainFile)
        try c.encode(entriesWithWAL, forKey: .entriesWithWAL)
    }
}

/// What verification found. Problems are recorded in one place, `record`, which keeps them sorted and
/// unique and sets the verdict and the first bad seq: no other code changes those.
/// Every member of docs/FORMAT.md §6 is written, null included (``NullWhenAbsent``); `bundle` only for
/// a bundle.
public struct VerificationReport: Encodable, Sendable {
    /// `intact` when no problem was recorded, `tampered` otherwise; time problems never count.
    public enum Verdict: String, Codable, Sendable {
        /// No problem recorded.
        case intact
        /// At least one problem recorded (listed in ``problems``).
        case tampered
    }

    /// docs/FORMAT.md §6, "The report": counts of distinct referenced captures.
    public struct CaptureCounts: Codable, Sendable, Equatable {
        /// Present, decoded to their size and hashed to their digest.
        public var checked: Int
        /// Withheld (listed in `withheld`).
        public var withheld: Int
        /// The sizes of the `checked` captures, summed.
        public var bytes: Int64
    }

    /// Set by recording problems only: `tampered` as soon as one is recorded.
    public private(set) var verdict: Verdict = .intact
    /// The file verified, as given (a store or a bundle).
    public var store: String
    /// The store's valid `store_id` (§6 step 3); nil when it is missing or malformed.
    @NullWhenAbsent public var storeID: String? = nil
    /// Entries read and checked (before the first row SQLite could not read, if any).
    public var entries = 0
    /// Attempt entries among `entries`.
    public var attempts = 0
    /// The last entry read and checked.
    @NullWhenAbsent public var head: ChainHead? = nil
    /// The distinct referenced captures, checked and withheld.
    public var captures = CaptureCounts(checked: 0, withheld: 0, bytes: 0)
    /// The lowest seq with a problem; nil when none or only store-wide problems.
    @NullWhenAbsent public private(set) var firstBadSeq: Int64? = nil
    /// Every problem, sorted (by seq, store-wide ones last, then by code), each seq, code and subject
    /// once.
    public private(set) var problems: [VerificationProblem] = []
    /// Captures withheld on purpose, by digest: reported, not counted as tampering.
    public var withheld: [WithheldCapture] = []
    /// When the verification ran, UTC, by the verifying computer's clock.
    public var verifiedAt: String
    /// The tool that verified, `temoin VERSION`.
    public var verifier: String
    /// Seals and attestations found beside the chain, each checked (docs/FORMAT.md §7).
    public var seals: [SealSummary] = []
    /// Attestations found beside the chain, each checked (docs/FORMAT.md §7.2).
    public var attestations: [AttestationSummary] = []
    /// Set when a head was given to compare with (`--expect-head`).
    @NullWhenAbsent public var expectedHead: ExpectedHeadCheck? = nil
    /// Set when a `-wal` beside the store holds changes.
    @NullWhenAbsent public var wal: WALNotice? = nil
    /// For a bundle: its manifest and documents (BundleReader.check); absent for a store.
    public var bundle: BundleSummary?
    /// What the time rules found (docs/FORMAT.md §8): never part of the verdict. Nil when they could
    /// not be applied (§6 stopped: the schema was altered or SQLite could not read the store).
    @NullWhenAbsent package private(set) var time: TimeSummary? = nil
    /// §6 stopped early (`schema_altered`, `store_corrupt`): §7 and §8 are not read.
    public private(set) var stopped = false {
        didSet { if stopped { time = nil } }
    }

    private var recorded: Set<ProblemKey> = []

    private struct ProblemKey: Hashable {
        let seq: Int64?
        let code: ProblemCode
        let subject: String?
    }

    package init(
        store: String, verifiedAt: String = TimeFormat.utc(Date()),
        verifier: String = "\(Temoin.name) \(Temoin.version)"
    ) {
        self.store = store
        self.verifiedAt = verifiedAt
        self.verifier = verifier
    }

    /// Records a problem: once per seq, code and subject (docs/FORMAT.md §6), kept in report order.
    /// `stops`: the walk of §6 ends here (schema altered, store corrupt) and §7 is not read.
    package mutating func record(
        _ code: ProblemCode, at seq: Int64?, subject: String? = nil, _ reason: String, stops: Bool = false
    ) {
        assert(code.time == nil, "time problems go to the report's time member (record(time:)), never to the verdict")
        if stops { stopped = true }
        guard recorded.insert(ProblemKey(seq: seq, code: code, subject: subject)).inserted else { return }
        let problem = VerificationProblem(seq: seq, code: code, reason: reason, subject: subject)
        // Problems mostly arrive in report order (the walk goes by seq): the search usually ends at once.
        var at = problems.count
        while at > 0 && VerificationProblem.precedes(problem, problems[at - 1]) { at -= 1 }
        problems.insert(problem, at: at)
        verdict = .tampered
        if let seq, seq < firstBadSeq ?? .max { firstBadSeq = seq }
    }

    /// Problems of another report (a bundle's manifest, say), recorded here.
    package mutating func record(_ others: [VerificationProblem]) {
        for p in others { record(p.code, at: p.seq, subject: p.subject ?? p.reason, p.reason) }
    }

    /// True when a problem with `code` was recorded.
    public func has(_ code: ProblemCode) -> Bool { problems.contains { $0.code == code } }

    enum CodingKeys: String, CodingKey {
        case verdict, store, entries, attempts, head, captures, problems, withheld, verifier, seals, attestations, time,
            wal
        case bundle
        case storeID = "store_id"
        case firstBadSeq = "first_bad_seq"
        case verifiedAt = "verified_at"
        case expectedHead = "expected_head"
    }
}

/// docs/FORMAT.md §6: what `--json` prints for a file that cannot be read as a store (exit 2).
public struct UnreadableReport: Encodable, Sendable {
    /// Always `unreadable`.
    public let verdict = "unreadable"
    /// The file that could not be read, as given.
    public let store: String
    /// Why, in the current language (the error's message).
    public let reason: String
    /// The tool that tried, `temoin VERSION`.
    public let verifier: String

    /// The report for `store`, unreadable for `reason`.
    public init(store: String, reason: String, verifier: String = "\(Temoin.name) \(Temoin.version)") {
        self.store = store
        self.reason = reason
        self.verifier = verifier
    }
}

extension VerificationReport {
    /// Time problems that contradict an attempt, or any time problem when `strict` (`--strict-time`).
    public func hasTimeProblems(strict: Bool = true) -> Bool {
        guard let time else { return false }
        return strict ? !time.problems.isEmpty : time.contradicted > 0
    }

    /// Records what the time rules found (§8), the one place a report's `time` is set, beside `record`
    /// for the verdict's problems: never after §6 stopped (the rules are not applied to tables that
    /// cannot be trusted), and never a change to the verdict.
    mutating func record(time summary: TimeSummary?) {
        guard var summary, !stopped else {
            time = nil
            return
        }
        summary.problems.sort { ($0.seq, $0.code) < ($1.seq, $1.code) }
        time = summary
    }
}
