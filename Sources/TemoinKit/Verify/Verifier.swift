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

    /// Bytes of stored captures handed to the hashing threads at once; bounds memory whatever the store size.
    static let batchBytes = 8 << 20
    /// Entries hashed and parsed together on the worker threads.
    static let entryChunk = 256

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
            // file): still corruption of a readable store, reported once.
            if !state.problems.contains(where: { $0.code == "store_corrupt" }) {
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
        return VerificationReport(
            verdict: state.problems.isEmpty ? .intact : .tampered, store: path, storeID: state.storeID,
            entries: state.entryCount, attempts: state.attempts, head: state.head,
            captures: .init(checked: state.capturesChecked, withheld: withheld.count, bytes: state.captureBytes),
            firstBadSeq: state.problems.compactMap(\.seq).min(), problems: state.problems, withheld: withheld,
            verifiedAt: TimeFormat.utc(Date()), verifier: "\(Temoin.name) \(Temoin.version)")
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

    /// What is known of a referenced capture so far.
    enum CaptureStatus {
        case pending, intact, altered, missing, withheld
    }

    struct Known {
        var size: Int64
        var status: CaptureStatus
    }

    struct State {
        var problems: [VerificationProblem] = []
        var storeID: String?
        var headSeqMeta: Int64?
        var entryCount = 0
        var attempts = 0
        var head: ChainHead?
        var expectedSeq: Int64 = 1
        var known: [DigestKey: Known] = [:]
        /// Referencing seqs of the captures being hashed right now (bounded by the batch size).
        var pendingSeqs: [DigestKey: [Int64]] = [:]
        var withheld: [WithheldCapture] = []
        var withheldIndex: [DigestKey: Int] = [:]
        var capturesChecked = 0
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

        enum CodingKeys: String, CodingKey { case seq, prev, type, captures }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            seq = try c.decode(Int64.self, forKey: .seq)
            prev = try c.decode(String.self, forKey: .prev)
            type = c.contains(.type) ? try c.decode(String.self, forKey: .type) : nil
            captures = c.contains(.captures) ? try c.decode([CaptureView].self, forKey: .captures) : nil
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
        let hasher = CaptureHasher(
            progress: progress,
            total: try Int64.fetchOne(
                db, sql: "SELECT COALESCE(SUM(size), 0) FROM captures WHERE data IS NOT NULL") ?? 0)
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
                    for c in view.captures ?? [] {
                        try reference(c.digest, size: c.size, seq: seq, lookup: lookup, hasher: hasher, &state)
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
        try checkUnreferenced(db, &state)
        let last = state.head?.seq ?? 0
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

    /// Entry `seq` references capture `digest` of `size` bytes (docs/FORMAT.md §6, steps 4 and 6).
    private func reference(
        _ digest: String, size: Int64, seq: Int64, lookup: CaptureFinder, hasher: CaptureHasher, _ state: inout State
    ) throws {
        let key = DigestKey(digest)
        if let known = state.known[key] {
            if known.size != size {
                state.problem(seq, "capture_altered", "capture \(digest.prefix(12))… is referenced with two sizes")
            }
            switch known.status {
            case .intact: break
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
        guard let row = try lookup.find(digest) else {
            state.known[key] = Known(size: size, status: .missing)
            state.problem(seq, "capture_missing", "capture \(digest.prefix(12))… is referenced but absent (deleted)")
            return
        }
        let storedSize = Self.integer(row["size"]) ?? -1
        if storedSize != size {
            state.known[key] = Known(size: size, status: .altered)
            state.problem(
                seq, "capture_altered", "capture \(digest.prefix(12))… has size \(storedSize), the entry says \(size)")
            return
        }
        let data: DatabaseValue = row["data"]
        if data.isNull {
            state.known[key] = Known(size: size, status: .withheld)
            state.withheldIndex[key] = state.withheld.count
            state.withheld.append(
                WithheldCapture(digest: digest, seqs: [seq], withheldAt: Self.optionalText(row["withheld_at"])))
            return
        }
        state.known[key] = Known(size: size, status: .pending)
        state.pendingSeqs[key] = [seq]
        hasher.add(
            StoredCapture(
                key: key, digest: digest, size: size, encoding: Self.text(row["encoding"]), data: Self.bytes(data)),
            &state)
    }

    /// Captures no entry references: added outside temoin. Only scanned when the counts say so.
    private func checkUnreferenced(_ db: Database, _ state: inout State) throws {
        let present = state.known.values.filter { $0.status != .missing }.count
        let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM captures NOT INDEXED") ?? 0
        guard rows > present else { return }
        let digests = try Row.fetchCursor(db, sql: "SELECT \(Self.raw("digest")) FROM captures NOT INDEXED")
        while let row = try digests.next() {
            let digest = Self.text(row["digest"])
            if state.known[DigestKey(digest)] == nil {
                state.problem(
                    nil, "capture_unreferenced",
                    "capture \(digest.prefix(12))… belongs to no entry (added outside temoin)")
            }
        }
    }

    /// Finds a capture's row by digest. The primary-key index is only a shortcut: the row it leads to
    /// must hold that digest in the table itself, and when the index leads nowhere (or elsewhere, as a
    /// damaged index can) the table is scanned once, so a damaged index never makes a present capture
    /// look missing. Digests are matched as bytes, whatever their SQL type (docs/FORMAT.md §6.4).
    final class CaptureFinder {
        let db: Database
        let byIndex: Statement
        let byRowid: Statement
        var scanned: [Data: Int64]?

        init(_ db: Database) throws {
            self.db = db
            byIndex = try db.makeStatement(sql: "SELECT rowid FROM captures WHERE digest IN (?1, CAST(?1 AS BLOB))")
            byRowid = try db.makeStatement(
                sql: """
                    SELECT \(Verifier.raw("digest")), size, \(Verifier.raw("encoding")), \(Verifier.raw("data")),
                    withheld_at FROM captures WHERE rowid = ?
                    """)
        }

        func find(_ digest: String) throws -> Row? {
            let wanted = Data(digest.utf8)
            if let rowid = try Int64.fetchOne(byIndex, arguments: [digest]),
                let row = try Row.fetchOne(byRowid, arguments: [rowid]), Verifier.bytes(row["digest"]) == wanted
            {
                return row
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
            guard let rowid = scanned?[wanted] else { return nil }
            return try Row.fetchOne(byRowid, arguments: [rowid])
        }
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

    /// Idle `CaptureChecker`s; each is used by one lane at a time.
    final class CheckerPool: Sendable {
        private let idle = Mutex<[CaptureChecker]>([])
        func take() -> CaptureChecker { idle.withLock { $0.popLast() } ?? CaptureChecker() }
        func give(_ checker: CaptureChecker) { idle.withLock { $0.append(checker) } }
    }

    /// Results written by index from the hashing threads; each index is written by one thread only.
    final class Outcomes: @unchecked Sendable {
        let ok: UnsafeMutableBufferPointer<Bool>
        init(count: Int) {
            ok = .allocate(capacity: count)
            ok.initialize(repeating: false)
        }
        deinit { ok.deallocate() }
    }

    /// Decodes and hashes captures on the worker threads while the reading thread fills the next
    /// batch: at most three batches are held at once. The first batches are small so the workers
    /// start at once; later ones are `batchBytes`.
    final class CaptureHasher {
        private var batch: [StoredCapture] = []
        private var batchSize = 0
        private var batchLimit = 1 << 20
        /// Batches being hashed, oldest first; two may run while the reading thread fills a third.
        private var inFlight: [(DispatchGroup, [StoredCapture], Outcomes)] = []
        private let progress: Progress?
        private let total: Int64
        private var done: Int64 = 0
        private let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        /// Checkers (a decompressor and an output buffer each) kept from batch to batch.
        private let checkers = CheckerPool()

        init(progress: Progress?, total: Int64) {
            self.progress = progress
            self.total = total
        }

        func add(_ capture: StoredCapture, _ state: inout State) {
            batchSize += capture.data.count
            batch.append(capture)
            if batchSize >= batchLimit {
                launch(&state)
                batchLimit = min(batchLimit * 2, Verifier.batchBytes)
            }
        }

        func finish(_ state: inout State) {
            launch(&state)
            while !inFlight.isEmpty { settle(&state) }
        }

        private func launch(_ state: inout State) {
            if inFlight.count >= 2 { settle(&state) }
            guard !batch.isEmpty else { return }
            let captures = batch
            let outcomes = Outcomes(count: captures.count)
            let group = DispatchGroup()
            let lanes = min(workers, captures.count)
            let checkers = self.checkers
            DispatchQueue.global().async(group: group) {
                // Each lane takes every `lanes`-th capture with its own decompressor and buffer.
                DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                    let checker = checkers.take()
                    defer { checkers.give(checker) }
                    var i = lane
                    while i < captures.count {
                        let c = captures[i]
                        outcomes.ok[i] = checker.matches(c.data, encoding: c.encoding, size: c.size, digest: c.digest)
                        i += lanes
                    }
                }
            }
            inFlight.append((group, captures, outcomes))
            batch = []
            batchSize = 0
        }

        /// Waits for the oldest batch and records its results.
        private func settle(_ state: inout State) {
            guard !inFlight.isEmpty else { return }
            let (group, captures, outcomes) = inFlight.removeFirst()
            group.wait()
            for (i, capture) in captures.enumerated() {
                state.capturesChecked += 1
                state.captureBytes += capture.size
                done += capture.size
                let seqs = state.pendingSeqs.removeValue(forKey: capture.key) ?? []
                if outcomes.ok[i] {
                    state.known[capture.key]?.status = .intact
                } else {
                    state.known[capture.key]?.status = .altered
                    for seq in seqs { state.problem(seq, "capture_altered", Verifier.alteredReason(capture.digest)) }
                }
            }
            progress?(done, total)
        }
    }
}
