import Foundation
import GRDB

/// Recomputes every entry hash, every link and every capture digest of a store, reading nothing but
/// what docs/FORMAT.md describes, exactly as docs/verify_reference.py does. One file per step of §6
/// (Steps/), the capture hashing machinery in Captures/, the anchors of §7 in Anchors/.
///
/// Invariant: the verdict is `intact` only if the schema is exactly the format's, for every seq from 1
/// to the head the stored hash equals `ChainHash.entry(body)`, the body's `seq` and `prev` match its
/// place and its predecessor's stored hash (the genesis value for seq 1), every referenced capture is
/// present and hashes to its digest (or is withheld, with a date), the metadata's head counter equals
/// the last seq, and the expected head, when one is given, is the chain's.
public struct Verifier: Sendable {
    /// Called during the walk with entries done and the total, from any thread.
    public typealias Progress = @Sendable (_ done: Int64, _ total: Int64) -> Void

    /// Entries hashed and parsed together on the worker threads.
    static let entryChunk = 256

    /// Receives each attempt's time verdict during the walk (docs/FORMAT.md §8), in chain order.
    package var onAttemptTime: (@Sendable (AttemptTime) -> Void)?

    package init() {}

    /// Verifies the store at `path` (§6). Throws only when the file cannot be read as a temoin store at
    /// all (§6.1, exit 2).
    package func verify(path: String, expectedHead: ExpectedHead? = nil, progress: Progress? = nil) throws
        -> VerificationReport
    {
        let queue = try Self.openReadable(path)
        var walk = Walk(
            report: VerificationReport(store: path), expectedHead: expectedHead, onAttemptTime: onAttemptTime)
        do {
            try queue.read { db in try walk.run(db, progress: progress) }
        } catch let error as DatabaseError where !Self.isBusy(error) && !Self.isInterrupt(error) {
            // Raised by SQLite after the reads (ending the read transaction on a damaged file): still
            // corruption of a readable store, reported once (§6.7). Not when it is the echo, at COMMIT,
            // of a damaged index the walk set aside and replaced by reading the table: everything was
            // read, and an index carries no evidence (the reference verifier never uses one).
            if !walk.report.has(.storeCorrupt) && !walk.setAsideDamagedIndex {
                walk.report.record(
                    .storeCorrupt, at: walk.expectedSeq,
                    "SQLite cannot read the rest of the store: \(Self.detail(error))", stops: true)
            }
        } catch let error as TemoinError {
            throw error
        } catch {
            throw Store.map(error, path: path, writing: false, opening: true)
        }
        walk.checkExpectedHead()
        walk.finishTime()
        walk.report.wal = Self.walNotice(path, entries: Int64(walk.report.entries))
        return walk.report
    }

    static func isBusy(_ error: DatabaseError) -> Bool {
        [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode.primaryResultCode)
    }

    /// An interruption (Ctrl-C) is never a finding: it ends the command.
    static func isInterrupt(_ error: DatabaseError) -> Bool { error.resultCode.primaryResultCode == .SQLITE_INTERRUPT }

    static func detail(_ error: DatabaseError) -> String { error.message ?? "\(error.resultCode)" }
}

/// What is known of a referenced capture that is not (yet) known to be intact.
struct KnownCapture {
    enum Status {
        case pending, altered, missing, withheld
    }

    /// The size the first referencing entry gave.
    var size: Int64
    var status: Status
    /// The capture's row, when there is one.
    var rowid: Int64?
    /// Withheld without a date (§6.6): reported at every referencing seq.
    var undated = false
}

/// The state of one walk of §6 over a store, the report it fills, and the steps (one file each in
/// Steps/).
struct Walk {
    var report: VerificationReport
    let expectedHead: ExpectedHead?
    /// §6.3: the head counter, when valid.
    var headSeqMeta: Int64?
    /// §6.4: the seq the next row should have.
    var expectedSeq: Int64 = 1
    /// §6.8: the hash of entry `expectedHead.seq`, recomputed, once read.
    var hashAtExpectedSeq: String?
    /// Step 4 read every row (whatever it found).
    var entriesRead = false
    /// Referenced captures not known to be intact: pending, altered, missing or withheld.
    var known: [DigestKey: KnownCapture] = [:]
    /// Referenced captures hashed and found intact, by row.
    var intact = RowidSet(expectedRows: 0)
    /// Referencing seqs of the captures being hashed right now (bounded by the batch size).
    var pendingSeqs: [DigestKey: [Int64]] = [:]
    var withheldIndex: [DigestKey: Int] = [:]
    /// SQLite's error reading the captures table, once met; captures are no longer read.
    var capturesUnreadable: String?
    /// The captures' index could not be walked and the table was read instead.
    var setAsideDamagedIndex = false
    /// §6.6: findings held back until the whole captures table was read, withheld captures, and the
    /// captures found intact (count and bytes).
    var captureFindings: [VerificationProblem] = []
    var withheld: [WithheldCapture] = []
    var checked = 0
    var checkedBytes: Int64 = 0
    /// §8: the time rules, fed in chain order from step 4 (Steps/TimeStep.swift); nil until step 3
    /// passed.
    var time: Corroborator?
    let onAttemptTime: (@Sendable (AttemptTime) -> Void)?

    init(
        report: VerificationReport, expectedHead: ExpectedHead? = nil,
        onAttemptTime: (@Sendable (AttemptTime) -> Void)? = nil
    ) {
        self.report = report
        self.expectedHead = expectedHead
        self.onAttemptTime = onAttemptTime
    }

    /// Steps 2 to 6, with step 7 (corruption) wherever SQLite reports it, and the time rules of §8 fed
    /// from step 4.
    mutating func run(_ db: Database, progress: Verifier.Progress?) throws {
        do {
            guard try checkSchema(db) else { return }
            try checkMeta(db)
            startTime(db)
        } catch let error as DatabaseError where !Verifier.isBusy(error) && !Verifier.isInterrupt(error) {
            report.record(
                .storeCorrupt, at: nil, "SQLite cannot read the store's schema or meta: \(Verifier.detail(error))",
                stops: true)
            return
        }
        do {
            try checkEntriesAndCaptures(db, progress: progress)
        } catch let error as DatabaseError where !Verifier.isBusy(error) && !Verifier.isInterrupt(error) {
            report.record(
                .storeCorrupt, at: expectedSeq, "SQLite cannot read the rest of the store: \(Verifier.detail(error))",
                stops: true)
        }
    }
}
