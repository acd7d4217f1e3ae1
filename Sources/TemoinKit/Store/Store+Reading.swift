import CSQLite
import Foundation
import GRDB
import Synchronization

/// Reading the chain: heads, entries, captures and meta values.
extension Store {
    // MARK: Reading

    static func head(_ db: Database) throws -> ChainHead? {
        try Row.fetchOne(db, sql: "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1").map {
            ChainHead(seq: $0["seq"], hash: $0["hash"])
        }
    }

    /// The last entry's seq and hash; nil for a store with no entry.
    public func head() throws -> ChainHead? {
        try read { db in try Self.head(db) }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try db.read(body) } catch { throw Store.map(error, path: path, writing: false) }
    }

    /// Entries in chain order, optionally limited to a seq range.
    public func entries(from: Int64 = 1, through: Int64 = .max) throws -> [StoredEntry] {
        try read { db in
            try EntryRow.fetchAll(
                db, sql: "SELECT seq, hash, body FROM entries WHERE seq BETWEEN ? AND ? ORDER BY seq",
                arguments: [from, through]
            ).map { StoredEntry(seq: $0.seq, hash: $0.hash, bodyBytes: $0.body, body: try? EntryBody.decode($0.body)) }
        }
    }

    /// The entry `seq`; throws when the store holds none with that seq.
    public func entry(seq: Int64) throws -> StoredEntry {
        guard let e = try entries(from: seq, through: seq).first else { throw TemoinError.noSuchEntry(seq: seq) }
        return e
    }

    /// Entries whose body contains every one of `needles` as bytes: a cheap pre-filter in SQLite
    /// before anything is decoded.
    func entries(containing first: String, _ more: String...) throws -> [StoredEntry] {
        let needles = [first] + more
        let condition = needles.map { _ in "instr(body, CAST(? AS BLOB)) > 0" }.joined(separator: " AND ")
        return try read { db in
            try EntryRow.fetchAll(
                db, sql: "SELECT seq, hash, body FROM entries WHERE \(condition) ORDER BY seq",
                arguments: StatementArguments(needles)
            ).map { StoredEntry(seq: $0.seq, hash: $0.hash, bodyBytes: $0.body, body: try? EntryBody.decode($0.body)) }
        }
    }

    /// The raw bytes of a capture; nil when withheld or absent.
    public func captureBytes(digest: String) throws -> Data? {
        try read { db in
            guard let row = try CaptureRow.fetchOne(db, key: digest), let data = row.data else { return nil }
            return CaptureCodec.decode(data, encoding: row.encoding, size: row.size)
        }
    }

    /// Whether a capture's bytes are stored, withheld, or absent.
    public func captureState(digest: String) throws -> CaptureState {
        try read { db in
            guard let row = try CaptureRow.fetchOne(db, key: digest) else { return .absent }
            return row.data == nil
                ? .withheld(at: row.withheldAt, reason: row.withheldReason) : .stored(encoding: row.encoding)
        }
    }

    /// Withholds a capture's bytes for privacy. Its digest stays, so the chain still verifies and
    /// `verify` reports it as withheld, not altered.
    package func withhold(digest: String, reason: String?, now: Date = Date()) throws {
        do {
            try db.write { db in
                guard try CaptureRow.fetchOne(db, key: digest) != nil else {
                    throw TemoinError.noSuchCapture(digest: digest)
                }
                try db.execute(
                    sql: """
                        UPDATE captures SET data = NULL, withheld_at = ?, withheld_reason = ?
                        WHERE digest = ? AND data IS NOT NULL
                        """, arguments: [TimeFormat.utc(now), reason, digest])
            }
            // secure_delete zeroed the freed pages; the checkpoint clears the copies left in the WAL.
            try db.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw Store.map(error, path: path, writing: true)
        }
    }

    /// A value of the `meta` table (docs/FORMAT.md §2: `format`, `store_id`, `head_seq`...), as stored;
    /// nil when the key is absent.
    public func meta(_ key: String) throws -> String? {
        // A few rows: scanned, never looked up through an index that may be damaged (as the verifiers).
        try read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta NOT INDEXED WHERE key = ?", arguments: [key])
        }
    }
}
