import CSQLite
import Foundation
import GRDB
import Synchronization

/// Appending to the chain: one entry and its captures per write transaction.
extension Store {
    // MARK: Appending

    /// Appends one entry built by `fill`, with its captures, in one write transaction.
    ///
    /// `recorded_at` is read off the clock inside the transaction (unless `now` is given), once the
    /// head is held: concurrent writers then record times in chain order, which the time rules check
    /// (docs/FORMAT.md §8). An attempt names the latest seal in `after_seal`, read in the same
    /// transaction, so it provably was written after that seal's genTime.
    @discardableResult
    package func append(
        type: EntryType, captures: [PendingCapture] = [], now: Date? = nil, fill: (inout EntryBody) throws -> Void
    ) throws -> StoredEntry {
        do {
            // Captures are never removed (withholding keeps the row), so one seen here is still there
            // inside the transaction: only the others are compressed and inserted.
            var toInsert: [(PendingCapture, CaptureEncoding, Data)] = []
            if !captures.isEmpty {
                let present = try db.read { db in
                    try captures.map { try CaptureRow.exists(db, key: $0.ref.digest) }
                }
                var seen: Set<String> = []
                for (capture, stored) in zip(captures, present) where !stored {
                    guard seen.insert(capture.ref.digest).inserted else { continue }
                    let (encoding, data) = CaptureCodec.encode(capture.bytes)
                    toInsert.append((capture, encoding, data))
                }
            }
            let stored = try db.writeWithoutTransaction { db in
                var result: StoredEntry?
                try db.inTransaction(.immediate) {
                    let head = try Self.head(db)
                    let prev = head?.hash ?? ChainHash.genesis(storeID: storeID)
                    var body = EntryBody(
                        seq: (head?.seq ?? 0) + 1, prev: prev, type: type,
                        recordedAt: TimeFormat.utc(now ?? clock.now()))
                    if !captures.isEmpty { body.captures = captures.map(\.ref) }
                    if type == .attempt { body.afterSeal = try AfterSeal.latest(db) }
                    try fill(&body)
                    // The filler may not move the entry in the chain.
                    body.seq = (head?.seq ?? 0) + 1
                    body.prev = prev
                    let bytes = try body.canonicalBytes()
                    let hash = ChainHash.entry(bytes)
                    for (capture, encoding, data) in toInsert {
                        try db.execute(
                            sql: "INSERT OR IGNORE INTO captures (digest, size, encoding, data) VALUES (?, ?, ?, ?)",
                            arguments: [capture.ref.digest, capture.ref.size, encoding.rawValue, data])
                    }
                    try EntryRow(seq: body.seq, hash: hash, body: bytes).insert(db)
                    try db.execute(
                        sql: "UPDATE meta SET value = ? WHERE key = 'head_seq'", arguments: [String(body.seq)])
                    result = StoredEntry(seq: body.seq, hash: hash, bodyBytes: bytes, body: body)
                    return .commit
                }
                return result!
            }
            return stored
        } catch {
            throw Store.map(error, path: path, writing: true)
        }
    }

    /// Copies what the WAL holds into the main file, so that the main file is complete whenever no
    /// write is under way: a copy of the main file alone must never verify as an older state
    /// (docs/FORMAT.md §1). Called when a store is released (a writing command ends, even while another
    /// process keeps the store open, when SQLite would not checkpoint on its own), after each attempt
    /// (`watch` keeps the store open for days) and after each anchor. Not after every append: an import
    /// of a hundred pages would pay a second disk sync per page. PASSIVE never waits for readers; a
    /// reader holding an older snapshot only delays it to the next call. What was committed stays
    /// committed either way, so a failure here is no failure of a write.
    package func checkpoint() {
        guard !isReadOnly else { return }
        _ = try? db.writeWithoutTransaction { db in
            // After `closeAll` (a seal's thread may release the last reference when the command ended),
            // GRDB would hand SQLite a null connection.
            guard db.sqliteConnection != nil else { return }
            try db.checkpoint(.passive)
        }
    }
}
