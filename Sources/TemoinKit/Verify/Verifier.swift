import Crypto
import Foundation
import GRDB
import Synchronization

/// Recomputes every entry hash, every link and every capture digest of a store, reading nothing but
/// what docs/FORMAT.md describes, exactly as docs/verify_reference.py does.
///
/// Invariant: the verdict is `intact` only if, for every seq from 1 to the head, the stored hash equals
/// `ChainHash.entry(body)`, the body's `seq` and `prev` match its place and its predecessor's stored
/// hash (the genesis value for seq 1), every referenced capture is present and hashes to its digest
/// (or is withheld), and the metadata's head counter equals the last seq.
public struct Verifier: Sendable {
    public typealias Progress = @Sendable (_ done: Int64, _ total: Int64) -> Void

    /// Bytes of stored captures waiting for the hashing threads at most; bounds memory whatever the store size.
    static let batchBytes = 8 << 20
    /// Entries hashed and parsed together on the worker threads.
    static let entryChunk = 256

    /// Receives each attempt's time verdict during the walk (docs/FORMAT.md §8), in chain order.
    public var onAttemptTime: (@Sendable (AttemptTime) -> Void)?

    public init() {}

    /// Verifies the store at `path`. Throws only when the file cannot be read as a temoin store at all.
    public func verify(path: String, progress: Progress? = nil) throws -> VerificationReport {
        try Store.checkHeader(path)
        let queue = try Store.openQueue(path: path, readOnly: true)
        var state = State()
        // docs/FORMAT.md §6.1: only what fails here makes the store unreadable (exit 2). SQLite may
        // still find corruption later, while reading the tables; that is a finding (§6.7,
        // `store_corrupt`, exit 1), as in the reference verifier.
        do {
            try queue.read { db in
                let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if version > Store.schemaVersion {
                    throw TemoinError.storeFromNewerVersion(path: path, found: version, supported: Store.schemaVersion)
                }
                guard appID == Store.applicationID, version >= 1 else {
                    throw TemoinError.notAStore(path: path, detail: tr("detail.not_temoin_sqlite"))
                }
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
            }
        } catch let error as TemoinError {
            throw error
        } catch {
            throw Store.map(error, path: path, writing: false, opening: true)
        }
        do {
            try queue.read { db in
                do {
                    guard try checkSchema(db, &state) else { return }
                    try checkMeta(db, &state)
                } catch let error as DatabaseError where !Self.isBusy(error) {
                    state.problem(nil, "store_corrupt", "SQLite cannot read the store's tables: \(Self.detail(error))")
                    return
                }
                // FORMAT.md §8: the seals first, then the time rules fed from the walk below.
                state.time = Corroborator(seals: (try? SealClock.readAll(db)) ?? [], now: Date())
                do {
                    try checkEntriesAndCaptures(db, &state, progress: progress)
                } catch let error as DatabaseError where !Self.isBusy(error) {
                    state.problem(
                        state.expectedSeq, "store_corrupt",
                        "SQLite cannot read the rest of the store: \(Self.detail(error))")
                }
            }
        } catch let error as DatabaseError where !Self.isBusy(error) {
            // Raised by SQLite after the reads above (e.g. ending the read transaction on a damaged
            // file): still corruption of a readable store, reported once. Not when it is the echo,
            // at COMMIT, of a damaged index the walk set aside and replaced by reading the table:
            // everything was read, and an index carries no evidence (the reference verifier never
            // uses one).
            if !state.problems.contains(where: { $0.code == "store_corrupt" }) && !state.setAsideDamagedIndex {
                state.problem(
                    state.expectedSeq, "store_corrupt",
                    "SQLite cannot read the rest of the store: \(Self.detail(error))")
            }
        } catch let error as TemoinError {
            throw error
        } catch {
            throw Store.map(error, path: path, writing: false, opening: true)
        }
        state.problems.sort { ($0.seq ?? .max, $0.code) < ($1.seq ?? .max, $1.code) }
        let withheld = state.withheld.sorted { $0.digest < $1.digest }
        var report = VerificationReport(
            verdict: state.problems.isEmpty ? .intact : .tampered, store: path, storeID: state.storeID,
            entries: state.entryCount, attempts: state.attempts, head: state.head,
            captures: .init(checked: state.capturesChecked, withheld: withheld.count, bytes: state.captureBytes),
            firstBadSeq: state.problems.compactMap(\.seq).min(), problems: state.problems, withheld: withheld,
            verifiedAt: TimeFormat.utc(Date()), verifier: "\(Temoin.name) \(Temoin.version)")
        report.setTime(state.time.map(finishTime))
        return report
    }

    /// The last attempt's verdict and the summary of the time rules (FORMAT.md §8).
    private func finishTime(_ fold: Corroborator) -> TimeSummary {
        var fold = fold
        if let done = fold.finish() { onAttemptTime?(done) }
        return fold.summary
    }

    static func isBusy(_ error: DatabaseError) -> Bool {
        [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode.primaryResultCode)
    }

    static func detail(_ error: DatabaseError) -> String { error.message ?? "\(error.resultCode)" }

    // MARK: State

    /// A capture digest as a fixed-size key: SHA-256 of the digest text, so any string (even a
    /// malformed one in a tampered body) has one, and a store of 100,000 entries costs a few MB.
    struct DigestKey: Hashable {
        let a: UInt64, b: UInt64, c: UInt64, d: UInt64

        init(_ digest: String) {
            var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            withUnsafeMutableBytes(of: &words) { out in
                SHA256.hash(data: Data(digest.utf8)).withUnsafeBytes { out.copyMemory(from: $0) }
            }
            (a, b, c, d) = words
        }
    }

    /// What is known of a referenced capture that is not (yet) known to be intact.
    enum CaptureStatus {
        case pending, altered, missing, withheld
    }

    struct Known {
        /// The size the first referencing entry gave.
        var size: Int64
        var status: CaptureStatus
        /// The capture's row, when there is one.
        var rowid: Int64?
    }

    /// Rows of captures hashed and found intact, as a bit per rowid: an eighth of a byte per capture
    /// where rowids are dense (temoin's own writes), a set entry for any rowid far beyond the row count
    /// (a tampered table), so verify's memory stays flat whatever the number of captures.
    struct RowidSet {
        private var bits: [UInt64] = []
        private var outliers: Set<Int64> = []
        private let dense: Int64
        private(set) var count = 0

        /// `expectedRows`: the captures table's row count, which bounds the dense part.
        init(expectedRows: Int64) { dense = max(1024, expectedRows.multipliedReportingOverflow(by: 4).partialValue) }

        func contains(_ rowid: Int64) -> Bool {
            guard rowid >= 0 && rowid < dense else { return outliers.contains(rowid) }
            let word = Int(rowid >> 6)
            return word < bits.count && bits[word] & (1 << UInt64(rowid & 63)) != 0
        }

        mutating func insert(_ rowid: Int64) {
            guard rowid >= 0 && rowid < dense else {
                if outliers.insert(rowid).inserted { count += 1 }
                return
            }
            let word = Int(rowid >> 6)
            if word >= bits.count { bits.append(contentsOf: repeatElement(0, count: word + 1 - bits.count)) }
            let bit: UInt64 = 1 << UInt64(rowid & 63)
            if bits[word] & bit == 0 {
                bits[word] |= bit
                count += 1
            }
        }
    }

    struct State {
        var problems: [VerificationProblem] = []
        var storeID: String?
        var headSeqMeta: Int64?
        var entryCount = 0
        var attempts = 0
        var head: ChainHead?
        var expectedSeq: Int64 = 1
        /// Referenced captures not known to be intact: pending, altered, missing or withheld.
        var known: [DigestKey: Known] = [:]
        /// Referenced captures hashed and found intact, by row.
        var intact = RowidSet(expectedRows: 0)
        /// Referencing seqs of the captures being hashed right now (bounded by the batch size).
        var pendingSeqs: [DigestKey: [Int64]] = [:]
        var withheld: [WithheldCapture] = []
        var withheldIndex: [DigestKey: Int] = [:]
        var capturesChecked = 0
        /// The captures' index could not be walked and the table was read instead.
        var setAsideDamagedIndex = false
        /// SQLite's error reading the captures table, once met; captures are no longer read.
        var capturesUnreadable: String?
        /// The time rules, fed in chain order (FORMAT.md §8).
        var time: Corroborator?
        var captureBytes: Int64 = 0

        mutating func problem(_ seq: Int64?, _ code: String, _ reason: String) {
            problems.append(VerificationProblem(seq: seq, code: code, reason: reason))
        }
    }

    // MARK: Schema and metadata

    static let expectedColumns: [String: [String]] = [
        "meta": ["key", "value"],
        "entries": ["seq", "hash", "body"],
        "captures": ["digest", "size", "encoding", "data", "withheld_at", "withheld_reason"],
    ]

    private func checkSchema(_ db: Database, _ state: inout State) throws -> Bool {
        var ok = true
        for table in ["meta", "entries", "captures"] {
            let columns = try Row.fetchAll(
                db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table]
            )
            .map { $0["name"] as String? ?? "" }
            if columns != Self.expectedColumns[table] {
                state.problem(
                    nil, "schema_altered",
                    "table \(table) has columns \(columns), expected \(Self.expectedColumns[table]!)")
                ok = false
            }
        }
        return ok
    }

    /// Meta values are compared as bytes, whatever their SQL type, as docs/FORMAT.md §6.4 says: a
    /// tampered store may hold a BLOB that is not UTF-8 or a number where text belongs, and reading
    /// it must report `meta_invalid`, never trap.
    private func checkMeta(_ db: Database, _ state: inout State) throws {
        var meta: [Data: Data] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT \(Self.raw("key")), \(Self.raw("value")) FROM meta NOT INDEXED") {
            let key: DatabaseValue = row["key"]
            let value: DatabaseValue = row["value"]
            if key.isNull { continue }
            meta[Self.bytes(key)] = value.isNull ? nil : Self.bytes(value)
        }
        func text(_ name: String) -> String? { meta[Data(name.utf8)].flatMap { String(bytes: $0, encoding: .utf8) } }
        if text("format") != Store.formatName {
            state.problem(
                nil, "meta_invalid", "meta.format is \(text("format") ?? "missing"), expected \(Store.formatName)")
        }
        if let id = text("store_id"), id.utf8.count == 36, UUID(uuidString: id) != nil, id == id.lowercased() {
            state.storeID = id
        } else {
            state.problem(nil, "meta_invalid", "meta.store_id is missing or malformed")
        }
        // Decimal digits only (no sign, no space); a number too large for 64 bits still counts, as a
        // head beyond any entry.
        if let h = meta[Data("head_seq".utf8)], !h.isEmpty, h.allSatisfy({ (0x30...0x39).contains($0) }) {
            state.headSeqMeta = Int64(String(decoding: h, as: UTF8.self)) ?? .max
        } else {
            state.problem(nil, "meta_invalid", "meta.head_seq is missing or malformed")
        }
    }

    // MARK: Entries

    /// The members a verifier reads (docs/FORMAT.md §6.4). `type` and `captures` may be absent but
    /// not null; integral numbers written as `2.0` count as 2, as in the reference verifier.
    private struct BodyView: Decodable {
        var seq: Int64
        var prev: String
        var type: String?
        var captures: [CaptureView]?
        /// What the body says about time (FORMAT.md §8), from the same parse; never fails.
        var time: TimeFacts

        init(from decoder: Decoder) throws {
            // One container for both (FORMAT.md §8's members are in BodyKeys too).
            let c = try decoder.container(keyedBy: BodyKeys.self)
            seq = try c.decode(Int64.self, forKey: .seq)
            prev = try c.decode(String.self, forKey: .prev)
            type = c.contains(.type) ? try c.decode(String.self, forKey: .type) : nil
            captures = c.contains(.captures) ? try c.decode([CaptureView].self, forKey: .captures) : nil
            time = TimeFacts(c, type: type)
        }
    }

    private struct CaptureView: Decodable {
        var digest: String
        var size: Int64
    }

    /// One pass in chain order. Each capture is checked when first referenced: looked up by its
    /// digest, then hashed on the worker threads in bounded batches while this thread reads on, so
    /// memory stays flat whatever the store size.
    private func checkEntriesAndCaptures(_ db: Database, _ state: inout State, progress: Progress?) throws {
        let genesis = ChainHash.genesis(storeID: state.storeID ?? "")
        var previousHash: String?
        // For progress and sizing only: a damaged table is reported where the walk meets it, at the
        // entry that needs it, not here.
        let totals = try? Row.fetchOne(
            db,
            sql:
                "SELECT COALESCE(SUM(size) FILTER (WHERE data IS NOT NULL), 0) AS bytes, COUNT(*) AS rows FROM captures NOT INDEXED"
        )
        let hasher = CaptureHasher(progress: progress, total: Self.integer(totals?["bytes"] ?? .null) ?? 0)
        state.intact = RowidSet(expectedRows: totals?["rows"] ?? 0)
        let lookup = try CaptureFinder(db)
        // Hashing and parsing an entry needs nothing but its own bytes: done for a chunk of entries at
        // once on every core; linking them and their captures then goes on in order on this thread.
        var chunk: [(seq: Int64, stored: String, body: Data)] = []
        func processChunk(_ state: inout State) throws {
            let parsed = ParsedChunk(count: chunk.count)
            let rows = chunk
            DispatchQueue.concurrentPerform(iterations: rows.count) { i in
                parsed.hashes[i] = ChainHash.entry(rows[i].body)
                if Self.passesJSONRules(rows[i].body) {
                    parsed.views[i] = try? JSONDecoder().decode(BodyView.self, from: rows[i].body)
                }
            }
            for (i, (seq, stored, _)) in rows.enumerated() {
                if seq > state.expectedSeq {
                    state.problem(
                        state.expectedSeq, "entry_missing",
                        "entries \(state.expectedSeq) to \(seq - 1) are missing (deleted)")
                }
                if stored != parsed.hashes[i] {
                    state.problem(
                        seq, "hash_mismatch", "the stored hash does not match the entry's bytes (entry edited)")
                }
                if let view = parsed.views[i] {
                    if view.seq != seq {
                        state.problem(
                            seq, "seq_mismatch",
                            "the entry says it is #\(view.seq) but stands at #\(seq) (moved or renumbered)")
                    }
                    let expectedPrev = seq == 1 ? genesis : (previousHash ?? "")
                    if view.prev != expectedPrev {
                        state.problem(
                            seq, "prev_mismatch",
                            seq == 1
                                ? "entry 1 does not start this store's chain (another store's entry, or store_id edited)"
                                : "the entry does not chain to the one before it (inserted, reordered, or its predecessor rewritten)"
                        )
                    }
                    if view.type == "attempt" { state.attempts += 1 }
                    if let done = state.time?.feed(seq: seq, view.time) { onAttemptTime?(done) }
                    for c in view.captures ?? [] {
                        try referenceOrSetAside(
                            c.digest, size: c.size, seq: seq, lookup: lookup, hasher: hasher, &state)
                    }
                } else {
                    state.problem(
                        seq, "body_invalid", "the entry's bytes are not a valid entry (JSON object with seq and prev)")
                }
                previousHash = stored
                state.head = ChainHead(seq: seq, hash: stored)
                state.entryCount += 1
                state.expectedSeq = seq + 1
            }
            chunk.removeAll(keepingCapacity: true)
        }
        let rows = try Row.fetchCursor(
            db, sql: "SELECT seq, \(Self.raw("hash")), \(Self.raw("body")) FROM entries ORDER BY seq")
        do {
            while let row = try rows.next() {
                // A seq that is not an integer can only come from an edited schema: the table is damaged.
                guard case .int64(let seq) = (row["seq"] as DatabaseValue).storage else {
                    throw DatabaseError(
                        resultCode: .SQLITE_CORRUPT, message: "an entries row has a seq that is not an integer")
                }
                chunk.append((seq, Self.text(row["hash"]), Self.bytes(row["body"])))
                if chunk.count == Self.entryChunk { try processChunk(&state) }
            }
        } catch let error as DatabaseError {
            // The rows read before the damage are checked first, as the reference verifier checks
            // each row as it reads it: `store_corrupt` then stands at the first row not read.
            try processChunk(&state)
            throw error
        }
        try processChunk(&state)
        hasher.finish(&state)
        if state.capturesUnreadable == nil {
            do {
                try checkUnreferenced(db, &state, lookup: lookup)
            } catch let error as DatabaseError where !Self.isBusy(error) {
                state.capturesUnreadable = Self.detail(error)
            }
        }
        state.setAsideDamagedIndex = lookup.byIndex == nil
        let last = state.head?.seq ?? 0
        // FORMAT.md §6: captures are step 6, after every entry; SQLite failing to read them is
        // `store_corrupt` at the expected seq then, whichever capture temoin met it on.
        if let detail = state.capturesUnreadable {
            state.problem(last + 1, "store_corrupt", "SQLite cannot read the captures: \(detail)")
        }
        if let recorded = state.headSeqMeta {
            if recorded > last {
                state.problem(
                    last + 1, "entries_truncated",
                    "the store recorded \(recorded) entries; entries \(last + 1) to \(recorded) are missing")
            } else if recorded < last {
                state.problem(
                    recorded + 1, "head_mismatch",
                    "entries after #\(recorded) were added outside temoin (the head counter says \(recorded))")
            }
        }
    }

    /// The rules of docs/FORMAT.md §6.4 that Foundation's decoder does not enforce by itself: no byte
    /// order mark, and no escaped unpaired UTF-16 surrogate anywhere in the document.
    static func passesJSONRules(_ body: Data) -> Bool {
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { return false }
        let bytes = [UInt8](body)
        var i = 0
        var inString = false
        var pendingHigh = false  // the previous escape was a high surrogate awaiting its low half
        func hex4(_ at: Int) -> Int? {
            guard at + 4 <= bytes.count, let v = Int(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16)
            else { return nil }
            return v
        }
        while i < bytes.count {
            let b = bytes[i]
            if !inString {
                if b == UInt8(ascii: "\"") { inString = true }
                i += 1
                continue
            }
            if b == UInt8(ascii: "\\"), i + 1 < bytes.count {
                if bytes[i + 1] == UInt8(ascii: "u"), let v = hex4(i + 2) {
                    let high = (0xD800...0xDBFF).contains(v)
                    let low = (0xDC00...0xDFFF).contains(v)
                    if pendingHigh != low { return false }  // a high not followed by a low, or a lone low
                    pendingHigh = high
                    i += 6
                    continue
                }
                if pendingHigh { return false }
                i += 2
                continue
            }
            if pendingHigh { return false }
            if b == UInt8(ascii: "\"") { inString = false }
            i += 1
        }
        return !pendingHigh
    }

    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .string(let s): return s
        case .blob(let d): return String(decoding: d, as: UTF8.self)
        case .int64(let i): return String(i)
        case .double(let d): return String(d)
        case .null: return ""
        }
    }

    /// An integral number (`5` or `5.0`, as the reference verifier accepts), else nil: never traps on
    /// text or bytes where a number belongs.
    static func integer(_ value: DatabaseValue) -> Int64? {
        switch value.storage {
        case .int64(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9e18: return Int64(d)
        default: return nil
        }
    }

    static func optionalText(_ value: DatabaseValue) -> String? { value.isNull ? nil : text(value) }

    /// A column selected so that TEXT arrives as its exact bytes (as a BLOB): GRDB reads TEXT as a C
    /// string, which stops at a NUL byte and repairs invalid UTF-8, while the format compares bytes
    /// (docs/FORMAT.md §6.4; the reference verifier reads TEXT as bytes).
    static func raw(_ column: String) -> String {
        "CASE typeof(\(column)) WHEN 'text' THEN CAST(\(column) AS BLOB) ELSE \(column) END AS \(column)"
    }

    static func bytes(_ value: DatabaseValue) -> Data {
        switch value.storage {
        case .blob(let d): return d
        case .string(let s): return Data(s.utf8)
        case .int64(let i): return Data(String(i).utf8)
        case .double(let d): return Data(String(d).utf8)
        case .null: return Data()
        }
    }

    // MARK: Captures

    static func alteredReason(_ digest: String) -> String {
        "capture \(digest.prefix(12))… does not hash to its digest (bytes altered)"
    }

    /// `reference`, unless SQLite cannot read the captures table: then the entries are still walked
    /// (steps 4 and 5 need only them) and the captures are reported unreadable after them.
    private func referenceOrSetAside(
        _ digest: String, size: Int64, seq: Int64, lookup: CaptureFinder, hasher: CaptureHasher, _ state: inout State
    ) throws {
        guard state.capturesUnreadable == nil else { return }
        do {
            try reference(digest, size: size, seq: seq, lookup: lookup, hasher: hasher, &state)
        } catch let error as DatabaseError where !Self.isBusy(error) {
            state.capturesUnreadable = Self.detail(error)
        }
    }

    /// Entry `seq` references capture `digest` of `size` bytes (docs/FORMAT.md §6, steps 4 and 6).
    ///
    /// A capture already found intact is known by its row, not kept by digest: a later reference
    /// finds the row again through the index and compares its stored size, which equals the size the
    /// first reference gave (else it would not be intact).
    private func reference(
        _ digest: String, size: Int64, seq: Int64, lookup: CaptureFinder, hasher: CaptureHasher, _ state: inout State
    ) throws {
        let key = DigestKey(digest)
        if let known = state.known[key] {
            if known.size != size {
                state.problem(seq, "capture_altered", "capture \(digest.prefix(12))… is referenced with two sizes")
            }
            switch known.status {
            case .pending: state.pendingSeqs[key, default: []].append(seq)
            case .altered: state.problem(seq, "capture_altered", Self.alteredReason(digest))
            case .missing:
                state.problem(
                    seq, "capture_missing", "capture \(digest.prefix(12))… is referenced but absent (deleted)")
            case .withheld:
                if let i = state.withheldIndex[key] { state.withheld[i].seqs.append(seq) }
            }
            return
        }
        guard let rowid = try lookup.find(digest) else {
            state.known[key] = Known(size: size, status: .missing)
            state.problem(seq, "capture_missing", "capture \(digest.prefix(12))… is referenced but absent (deleted)")
            return
        }
        if state.intact.contains(rowid) {
            if try lookup.size(rowid: rowid) != size {
                state.problem(seq, "capture_altered", "capture \(digest.prefix(12))… is referenced with two sizes")
            }
            return
        }
        guard let row = try lookup.row(rowid: rowid) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a captures row vanished while it was read")
        }
        let storedSize = Self.integer(row["size"]) ?? -1
        if storedSize != size {
            state.known[key] = Known(size: size, status: .altered, rowid: rowid)
            state.problem(
                seq, "capture_altered", "capture \(digest.prefix(12))… has size \(storedSize), the entry says \(size)")
            return
        }
        let data: DatabaseValue = row["data"]
        if data.isNull {
            state.known[key] = Known(size: size, status: .withheld, rowid: rowid)
            state.withheldIndex[key] = state.withheld.count
            state.withheld.append(
                WithheldCapture(digest: digest, seqs: [seq], withheldAt: Self.optionalText(row["withheld_at"])))
            return
        }
        state.known[key] = Known(size: size, status: .pending, rowid: rowid)
        state.pendingSeqs[key] = [seq]
        hasher.add(
            StoredCapture(
                key: key, digest: digest, size: size, encoding: Self.text(row["encoding"]), data: Self.bytes(data)),
            &state)
    }

    /// Captures no entry references: added outside temoin. Only scanned when the counts say so.
    private func checkUnreferenced(_ db: Database, _ state: inout State, lookup: CaptureFinder) throws {
        let present = state.intact.count + state.known.values.filter { $0.status != .missing }.count
        let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM captures NOT INDEXED") ?? 0
        guard rows > present else { return }
        let digests = try Row.fetchCursor(db, sql: "SELECT rowid, \(Self.raw("digest")) FROM captures NOT INDEXED")
        while let row = try digests.next() {
            let rowid: Int64 = row["rowid"]
            let digest = Self.text(row["digest"])
            if state.intact.contains(rowid) || state.known[DigestKey(digest)] != nil { continue }
            // A second row with an intact capture's digest counts as that capture, as it does for
            // the reference verifier, which matches captures to entries by digest alone.
            if let first = try lookup.find(digest), state.intact.contains(first) { continue }
            state.problem(
                nil, "capture_unreferenced", "capture \(digest.prefix(12))… belongs to no entry (added outside temoin)")
        }
    }

    /// Finds a capture's row by digest. The primary-key index is only a shortcut: the row it leads to
    /// must hold that digest in the table itself, and when the index leads nowhere (or elsewhere, as a
    /// damaged index can) the table is scanned once, so a damaged index never makes a present capture
    /// look missing. Digests are matched as bytes, whatever their SQL type (docs/FORMAT.md §6.4).
    final class CaptureFinder {
        let db: Database
        /// Nil once SQLite found the index damaged: from then on the table decides (and SQLite's
        /// echo of that damage when the read ends is no finding, see `verify`).
        var byIndex: Statement?
        let digestOf: Statement
        let sizeOf: Statement
        let byRowid: Statement
        var scanned: [Data: Int64]?

        init(_ db: Database) throws {
            self.db = db
            byIndex = try db.makeStatement(sql: "SELECT rowid FROM captures WHERE digest IN (?1, CAST(?1 AS BLOB))")
            // Neither reads a capture's bytes: digest and size come before them in the row.
            digestOf = try db.makeStatement(sql: "SELECT \(Verifier.raw("digest")) FROM captures WHERE rowid = ?")
            sizeOf = try db.makeStatement(sql: "SELECT size FROM captures WHERE rowid = ?")
            byRowid = try db.makeStatement(
                sql: """
                    SELECT \(Verifier.raw("digest")), size, \(Verifier.raw("encoding")), \(Verifier.raw("data")),
                    withheld_at FROM captures WHERE rowid = ?
                    """)
        }

        /// The rowid of the row holding `digest`, or nil when no row does.
        func find(_ digest: String) throws -> Int64? {
            let wanted = Data(digest.utf8)
            if scanned == nil, let byIndex {
                do {
                    if let rowid = try Int64.fetchOne(byIndex, arguments: [digest]),
                        let stored = try DatabaseValue.fetchOne(digestOf, arguments: [rowid]),
                        Verifier.bytes(stored) == wanted
                    {
                        return rowid
                    }
                } catch let error as DatabaseError where error.resultCode.primaryResultCode == .SQLITE_CORRUPT {
                    // An index SQLite cannot walk is no finding about the evidence: the table decides.
                    self.byIndex = nil
                }
            }
            if scanned == nil {
                var all: [Data: Int64] = [:]
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT rowid, \(Verifier.raw("digest")) FROM captures NOT INDEXED")
                while let row = try rows.next() {
                    let key = Verifier.bytes(row["digest"])
                    if all[key] == nil { all[key] = row["rowid"] }
                }
                scanned = all
            }
            return scanned?[wanted]
        }

        /// The stored size of a row, as `Verifier.integer` reads it (-1 when it is not an integer).
        func size(rowid: Int64) throws -> Int64 {
            guard let value = try DatabaseValue.fetchOne(sizeOf, arguments: [rowid]) else { return -1 }
            return Verifier.integer(value) ?? -1
        }

        func row(rowid: Int64) throws -> Row? { try Row.fetchOne(byRowid, arguments: [rowid]) }
    }

    struct StoredCapture: Sendable {
        var key: DigestKey
        var digest: String
        var size: Int64
        var encoding: String
        var data: Data
    }

    /// Hashes and parsed bodies of a chunk of entries, written by index from the worker threads.
    private final class ParsedChunk: @unchecked Sendable {
        var hashes: [String]
        var views: [BodyView?]
        init(count: Int) {
            hashes = Array(repeating: "", count: count)
            views = Array(repeating: nil, count: count)
        }
    }

    /// Decodes and hashes captures on worker threads while the reading thread reads on.
    ///
    /// The reading thread hands captures over in batches through a queue bounded in bytes
    /// (`batchBytes` of stored data), which bounds memory whatever the store size. When the queue is
    /// full the reading thread hashes a queued batch itself instead of waiting: hashing is the larger
    /// half of the work, and on a 2-core machine a reader that only waited left the second core half
    /// idle. Batches (up to `handOffBytes` or `handOffCount` captures) keep the locking and the thread
    /// wake-ups rare when captures are small. Results come back in any order; the reading thread
    /// applies them to the state.
    final class CaptureHasher {
        static let handOffBytes = 1 << 20
        static let handOffCount = 256

        private let work: WorkQueue
        private let progress: Progress?
        private let total: Int64
        private var done: Int64 = 0
        private var batch: [StoredCapture] = []
        private var batchBytes = 0
        private let handOffBytes: Int
        /// The reading thread's own decompressor and buffer, for the captures it hashes itself.
        private let checker = CaptureChecker()
        private let exited = DispatchSemaphore(value: 0)
        private let workers: Int

        init(progress: Progress?, total: Int64, queueLimit: Int = Verifier.batchBytes) {
            self.progress = progress
            self.total = total
            work = WorkQueue(limit: queueLimit)
            handOffBytes = min(Self.handOffBytes, max(1, queueLimit / 4))
            // One core is the reading thread's: it reads, and hashes whenever it is ahead.
            workers = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
            for _ in 0..<workers {
                let thread = Thread { [work, exited] in
                    work.serve(CaptureChecker())
                    exited.signal()
                }
                thread.name = "temoin-verify-hash"
                thread.start()
            }
        }

        /// A walk that ends early (an unreadable table) still lets the workers go.
        deinit { work.close() }

        func add(_ capture: StoredCapture, _ state: inout State) {
            batchBytes += capture.data.count
            batch.append(capture)
            guard batchBytes >= handOffBytes || batch.count >= Self.handOffCount else { return }
            work.push(batch, bytes: batchBytes, helping: checker)
            batch = []
            batchBytes = 0
            apply(work.takeResults(), &state)
        }

        func finish(_ state: inout State) {
            if !batch.isEmpty { work.push(batch, bytes: batchBytes, helping: checker) }
            batch = []
            work.drain(helping: checker)
            apply(work.takeResults(), &state)
            work.close()
            for _ in 0..<workers { exited.wait() }
        }

        private func apply(_ results: [WorkQueue.Result], _ state: inout State) {
            guard !results.isEmpty else { return }
            for r in results {
                state.capturesChecked += 1
                state.captureBytes += r.size
                done += r.size
                let seqs = state.pendingSeqs.removeValue(forKey: r.key) ?? []
                if r.ok {
                    if let rowid = state.known.removeValue(forKey: r.key)?.rowid { state.intact.insert(rowid) }
                } else {
                    state.known[r.key]?.status = .altered
                    for seq in seqs { state.problem(seq, "capture_altered", Verifier.alteredReason(r.digest)) }
                }
            }
            progress?(done, total)
        }
    }

    /// Batches of captures waiting to be hashed and the results not yet applied, shared by the
    /// reading thread and the workers under one lock.
    final class WorkQueue: @unchecked Sendable {
        struct Result {
            var key: DigestKey
            var digest: String
            var size: Int64
            var ok: Bool
        }

        private let condition = NSCondition()
        private let limit: Int
        private var queue: [(captures: [StoredCapture], bytes: Int)] = []
        private var head = 0
        private var queuedBytes = 0
        private var busy = 0
        private var results: [Result] = []
        private var closed = false

        init(limit: Int) { self.limit = limit }

        /// Takes the oldest queued batch; the lock is held.
        private func take() -> [StoredCapture] {
            let (captures, bytes) = queue[head]
            queue[head] = ([], 0)
            head += 1
            queuedBytes -= bytes
            busy += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 64 {
                queue.removeFirst(head)
                head = 0
            }
            return captures
        }

        /// Hashes a batch without the lock, then records its results.
        private func check(_ captures: [StoredCapture], _ checker: CaptureChecker) {
            condition.unlock()
            let checked = captures.map {
                Result(
                    key: $0.key, digest: $0.digest, size: $0.size,
                    ok: checker.matches($0.data, encoding: $0.encoding, size: $0.size, digest: $0.digest))
            }
            condition.lock()
            busy -= 1
            results.append(contentsOf: checked)
            condition.broadcast()
        }

        /// A worker's loop: until closed, hash whatever is queued.
        func serve(_ checker: CaptureChecker) {
            condition.lock()
            defer { condition.unlock() }
            while true {
                while head == queue.count && !closed { condition.wait() }
                if closed { return }
                check(take(), checker)
            }
        }

        /// Queues a batch; while the queue holds more than its limit, the caller hashes from it.
        func push(_ captures: [StoredCapture], bytes: Int, helping checker: CaptureChecker) {
            condition.lock()
            defer { condition.unlock() }
            queue.append((captures, bytes))
            queuedBytes += bytes
            condition.signal()
            while queuedBytes > limit && head < queue.count { check(take(), checker) }
        }

        /// Hashes what is left with the workers, then waits for the batches they are still on.
        func drain(helping checker: CaptureChecker) {
            condition.lock()
            defer { condition.unlock() }
            while head < queue.count { check(take(), checker) }
            while busy > 0 { condition.wait() }
        }

        func takeResults() -> [Result] {
            condition.lock()
            defer { condition.unlock() }
            let taken = results
            results = []
            return taken
        }

        func close() {
            condition.lock()
            closed = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
