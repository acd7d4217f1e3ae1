import Foundation
import GRDB

/// Everything `temoin status` tells: the case, the figures, the seals, the verification and the advice.
package struct CaseStatus: Sendable, Encodable {
    /// What verification found, in short (`temoin verify` gives the details).
    package struct Verification: Sendable, Encodable {
        package var verdict: VerificationReport.Verdict
        package var entries: Int
        package var capturesChecked: Int
        package var withheld: Int
        package var problems: Int
        package var firstBadSeq: Int64?
        package var head: ChainHead?

        package init(_ r: VerificationReport) {
            verdict = r.verdict
            entries = r.entries
            capturesChecked = r.captures.checked
            withheld = r.captures.withheld
            problems = r.problems.count
            firstBadSeq = r.firstBadSeq
            head = r.head
        }

        enum CodingKeys: String, CodingKey {
            case verdict, entries, withheld, problems, head
            case capturesChecked = "captures_checked"
            case firstBadSeq = "first_bad_seq"
        }
    }

    package var store: String
    package var storeID: String
    package var caseFields: CaseFields
    package var openedAt: String
    package var statistics: CaseStatistics
    /// Seals (RFC 3161 time stamps) held by the store; nil (written `null`, as are `attestations` and
    /// `time`) when this store has no seals table.
    @NullWhenAbsent package var seals: Int?
    /// Volunteer attestations held by the store; nil when this store has no attestations table.
    @NullWhenAbsent package var attestations: Int?
    package var verification: Verification
    /// What `status` exits with: 1 when the store is not intact.
    package var exitStatus: ExitStatus { verification.verdict.exitStatus }
    /// What the time rules found (docs/FORMAT.md §8); nil when they could not be applied.
    @NullWhenAbsent package var time: StatusTime?
    /// Doubts the record raises by itself: the same page classified two ways, early statements.
    package var consistency: ConsistencyReport
    package var advice: [Advice]
    @UTCText package var generatedAt: Date

    enum CodingKeys: String, CodingKey {
        case store, statistics, seals, attestations, verification, advice, consistency, time
        case storeID = "store_id"
        case caseFields = "case"
        case openedAt = "opened_at"
        case generatedAt = "generated_at"
    }

    /// Reads the store at `path`, verifies it (reporting progress over the capture bytes hashed) and
    /// draws the advice. Throws only when the file cannot be read as a temoin store.
    package static func compute(path: String, now: Date = Date(), progress: Verifier.Progress? = nil) throws
        -> CaseStatus
    {
        let store = try Store.open(at: path, readOnly: true)
        let record = try store.caseRecord()
        let attempts = try store.entries(containing: "\"type\":\"attempt\"")
        let consistency = try ConsistencyCheck.run(store: store, entries: attempts)
        let seals = try store.rowCountIfTableExists("seals")
        let attestations = try store.rowCountIfTableExists("attestations")
        let times = StatusTimeCollector()
        var verifier = Verifier()
        verifier.onAttemptTime = times.hook
        let report = try verifier.verify(path: path, progress: progress)
        let time = times.result(report.time)
        // A contradicted time counts in no day or week (docs/FORMAT.md §8): the Spread says how many.
        let statistics = CaseStatistics(entries: attempts, contradicted: Set(time?.summary.contradictedSeqs ?? []))
        let letters = try StepLedger(store: store).lettersToPrefect.count
        let advice = CaseAdvice.evaluate(
            statistics, facts: record.fields.facts, verdict: report.verdict, seals: seals, time: time,
            lettersToPrefect: letters, now: now, consistency: consistency,
            notedEntries: Set(try store.notes().map(\.about)))
        return CaseStatus(
            store: path, storeID: store.storeID, caseFields: record.fields, openedAt: record.openedAt,
            statistics: statistics, seals: seals, attestations: attestations, verification: Verification(report),
            time: time, consistency: consistency, advice: advice, generatedAt: now)
    }
}

extension Store {
    /// Rows of `table`, or nil when the store has no such table. Seals and attestations live in tables
    /// that a store gains when it first holds one; a store without them is not an error.
    func rowCountIfTableExists(_ table: String) throws -> Int? {
        try read { db in
            guard try db.tableExists(table) else { return nil }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
        }
    }
}
