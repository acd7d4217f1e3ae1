import Foundation
import GRDB

/// The members of a body a verifier reads (docs/FORMAT.md §6.4), read under the format's JSON rules.
///
/// Invariant: `read` returns a view only for a body that `StrictJSON` accepts whole and whose
/// top-level object has (first occurrence of each name) an integral `seq`, a string `prev`, `type`
/// absent or a string, and `captures` absent or an array of objects each with a string `digest` and
/// an integral `size`.
struct BodyView: Sendable {
    struct Capture: Sendable {
        var digest: String
        var size: Int64
    }

    var seq: Int64
    var prev: String
    var type: String?
    var captures: [Capture]
    /// What the body says about time (docs/FORMAT.md §8), from the same parse; never makes it invalid.
    var time: TimeFacts

    static func read(_ body: Data) -> BodyView? {
        StrictJSON.read(body) { json -> BodyView? in
            guard json.atObject else { return nil }
            var seq: Int64??
            var prev: String??
            var type: String??
            var captures: [Capture]??
            var time = TimeFacts()
            var timeRead = 0  // a bit per time member, by position
            try json.object { name in
                switch name {
                case "seq" where seq == nil: seq = .some(try json.integral())
                case "prev" where prev == nil: prev = .some(try json.optionalText())
                case "type" where type == nil: type = .some(try json.optionalText())
                case "captures" where captures == nil: captures = .some(try Self.captures(json))
                default:
                    // The first occurrence of each time member, as for the others.
                    if let m = TimeFacts.member(name), timeRead & (1 << m) == 0 {
                        timeRead |= 1 << m
                        try time.read(member: m, json)
                    } else {
                        try json.skipValue()
                    }
                }
            }
            // Present but of the wrong type is as bad as absent, except for `type` and `captures`, which
            // may be absent (never null).
            guard case .some(.some(let s)) = seq, case .some(.some(let p)) = prev else { return nil }
            if case .some(.none) = type { return nil }
            if case .some(.none) = captures { return nil }
            time.type = type ?? nil
            return BodyView(seq: s, prev: p, type: type ?? nil, captures: (captures ?? nil) ?? [], time: time)
        } ?? nil
    }

    /// The `captures` array, or nil when it is not an array of `{digest, size}` objects (the value is
    /// consumed either way).
    private static func captures(_ json: StrictJSON) throws -> [Capture]? {
        guard json.atArray else {
            try json.skipValue()
            return nil
        }
        var out: [Capture] = []
        var valid = true
        try json.array {
            guard json.atObject else {
                try json.skipValue()
                valid = false
                return
            }
            var digest: String??
            var size: Int64??
            try json.object { name in
                switch name {
                case "digest" where digest == nil: digest = .some(try json.optionalText())
                case "size" where size == nil: size = .some(try json.integral())
                default: try json.skipValue()
                }
            }
            if case .some(.some(let d)) = digest, case .some(.some(let s)) = size {
                out.append(Capture(digest: d, size: s))
            } else {
                valid = false
            }
        }
        return valid ? out : nil
    }
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

extension Walk {
    /// docs/FORMAT.md §6.4 to §6.6 in one pass in chain order: each entry is checked, and each capture
    /// it references is looked up when first referenced, then hashed on the worker threads in bounded
    /// batches while this thread reads on, so memory stays flat whatever the store size. Step 5 (the
    /// head counter) and the end of step 6 (captures no entry references) follow.
    mutating func checkEntriesAndCaptures(_ db: Database, progress: Verifier.Progress?) throws {
        // For progress and sizing only: a damaged table is reported where the walk meets it, at the
        // entry that needs it, not here.
        let totals = try? Row.fetchOne(
            db,
            sql:
                "SELECT COALESCE(SUM(size) FILTER (WHERE data IS NOT NULL), 0) AS bytes, COUNT(*) AS rows FROM captures NOT INDEXED"
        )
        let hasher = CaptureHasher(progress: progress, total: ColumnBytes.integer(totals?["bytes"] ?? .null) ?? 0)
        intact = RowidSet(expectedRows: totals?["rows"] ?? 0)
        let lookup = try CaptureFinder(db)
        let genesis = ChainHash.genesis(storeID: report.storeID ?? "")
        var previousHash: Data?
        // Hashing and parsing an entry needs nothing but its own bytes: done for a chunk of entries at
        // once on every core; linking them and their captures then goes on in order on this thread.
        var chunk: [(seq: Int64, stored: Data, body: Data)] = []
        func processChunk(_ walk: inout Walk) throws {
            let parsed = ParsedChunk(count: chunk.count)
            let rows = chunk
            DispatchQueue.concurrentPerform(iterations: rows.count) { i in
                parsed.hashes[i] = ChainHash.entry(rows[i].body)
                parsed.views[i] = BodyView.read(rows[i].body)
            }
            for (i, row) in rows.enumerated() {
                try walk.checkEntry(
                    seq: row.seq, stored: row.stored, computed: parsed.hashes[i], view: parsed.views[i],
                    genesis: genesis, previousHash: previousHash, lookup: lookup, hasher: hasher)
                previousHash = row.stored
            }
            chunk.removeAll(keepingCapacity: true)
        }
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT seq, \(ColumnBytes.select("hash")), \(ColumnBytes.select("body")) FROM entries ORDER BY seq")
        do {
            while let row = try rows.next() {
                // A seq that is not an integer can only come from an edited schema: the table is damaged.
                guard case .int64(let seq) = (row["seq"] as DatabaseValue).storage else {
                    throw DatabaseError(
                        resultCode: .SQLITE_CORRUPT, message: "an entries row has a seq that is not an integer")
                }
                chunk.append((seq, ColumnBytes.bytes(row["hash"]), ColumnBytes.bytes(row["body"])))
                if chunk.count == Verifier.entryChunk { try processChunk(&self) }
            }
        } catch let error as DatabaseError {
            // The rows read before the damage are checked first, as the reference verifier checks each
            // row as it reads it: `store_corrupt` then stands at the first row not read, and steps 5
            // and 6 are not done (the captures' findings so far are dropped with them).
            try processChunk(&self)
            throw error
        }
        try processChunk(&self)
        entriesRead = true
        checkHeadCounter()
        try finishCaptures(db, lookup: lookup, hasher: hasher)
    }

    /// One row of `entries` (§6.4), its hash and body already computed and parsed.
    mutating func checkEntry(
        seq: Int64, stored: Data, computed: String, view: BodyView?, genesis: String, previousHash: Data?,
        lookup: CaptureFinder, hasher: CaptureHasher
    ) throws {
        if seq > expectedSeq {
            report.record(
                .entryMissing, at: expectedSeq,
                seq == expectedSeq + 1
                    ? "entry #\(expectedSeq) is missing" : "entries #\(expectedSeq) to #\(seq - 1) are missing")
        }
        if stored != Data(computed.utf8) {
            report.record(
                .hashMismatch, at: seq, "the stored hash does not match the entry's bytes (entry edited)")
        }
        if let view {
            if view.seq != seq {
                report.record(
                    .seqMismatch, at: seq,
                    "the entry says it is #\(view.seq) but stands at #\(seq) (moved or renumbered)")
            }
            // Compared as bytes; a first row read after a gap has no predecessor to chain to.
            let expectedPrev = seq == 1 ? Data(genesis.utf8) : previousHash
            if expectedPrev == nil || Data(view.prev.utf8) != expectedPrev {
                report.record(
                    .prevMismatch, at: seq,
                    seq == 1
                        ? "entry 1 does not start this store's chain (another store's entry, or store_id edited)"
                        : "the entry does not chain to the one before it (inserted, reordered, or its predecessor rewritten)"
                )
            }
            if view.type == "attempt" { report.attempts += 1 }
            feedTime(seq: seq, view.time)
            for c in view.captures {
                try referenceOrSetAside(c.digest, size: c.size, seq: seq, lookup: lookup, hasher: hasher)
            }
        } else {
            report.record(
                .bodyInvalid, at: seq,
                "the entry's bytes are not a valid entry (strict JSON object with an integral seq, a string prev, "
                    + "an optional string type and optional captures [{digest, size}])")
        }
        if let expectedHead, expectedHead.seq == seq { hashAtExpectedSeq = computed }
        report.head = ChainHead(seq: seq, hash: String(decoding: stored, as: UTF8.self))
        report.entries += 1
        expectedSeq = seq + 1
    }
}
