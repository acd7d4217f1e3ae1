import Foundation
import GRDB

/// The store of a bundle made with `--redact` (docs/SECURITY.md, "What an export gives away").
///
/// Invariant: the copy is a fresh database made from `StoreSchema` and filled by copying only the
/// columns the format describes from the known tables of a snapshot: every capture's bytes are left
/// out (digest, size and encoding kept; withheld at `now` with a stated reason, or as the store already
/// withheld it), the TSA list (configuration, which may name a subscription) is left out, and nothing
/// else of the snapshot's file (free pages, other objects, SQLite's bookkeeping) can reach the bundle.
enum RedactedCopy {
    static let reason = "redacted for export"

    /// Writes the copy of `snapshot` at `path`; returns the number of captures whose bytes were left out.
    static func write(from snapshot: String, to path: String, now: Date) throws -> Int {
        let queue = try DatabaseQueue(path: path, configuration: Store.configuration(readOnly: false, creating: true))
        var redacted = 0
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA application_id = \(Store.applicationID)")
        }
        try Store.migrator.migrate(queue)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [Store.immutableURI(snapshot)])
            try db.inTransaction(.immediate) {
                // The keys of docs/FORMAT.md §2 only: another key carries no evidence, and could carry anything.
                try db.execute(
                    sql: """
                        INSERT INTO main.meta (key, value) SELECT key, value FROM source.meta
                        WHERE key IN ('format', 'store_id', 'created_at', 'created_by', 'head_seq')
                        """)
                try db.execute(
                    sql: "INSERT INTO main.entries (seq, hash, body) SELECT seq, hash, body FROM source.entries")
                redacted =
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM source.captures WHERE data IS NOT NULL") ?? 0
                try db.execute(
                    sql: """
                        INSERT INTO main.captures (digest, size, encoding, data, withheld_at, withheld_reason)
                        SELECT digest, size, encoding, NULL,
                            CASE WHEN data IS NULL THEN withheld_at ELSE ?1 END,
                            CASE WHEN data IS NULL THEN withheld_reason ELSE ?2 END
                        FROM source.captures
                        """, arguments: [TimeFormat.utc(now), reason])
                let sourceTables = try String.fetchSet(
                    db, sql: "SELECT name FROM source.sqlite_master WHERE type = 'table'")
                if sourceTables.contains(StoreSchema.seals.name) {
                    try db.execute(
                        sql: """
                            INSERT INTO main.seals (id, seq, head, tsa_url, nonce, requested_at, response)
                            SELECT id, seq, head, tsa_url, nonce, requested_at, response FROM source.seals
                            """)
                }
                if sourceTables.contains(StoreSchema.attestations.name) {
                    try db.execute(
                        sql: """
                            INSERT INTO main.attestations (id, statement, signature, added_at)
                            SELECT id, statement, signature, added_at FROM source.attestations
                            """)
                }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE source")
            // A single file, as every bundle's store.
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
        }
        try queue.close()
        return redacted
    }
}
