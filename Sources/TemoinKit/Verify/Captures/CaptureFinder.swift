import Foundation
import GRDB

/// Finds a capture's row by digest (docs/FORMAT.md §6.6). The primary-key index is only a shortcut:
/// the row it leads to must hold that digest in the table itself, and when the index leads nowhere (or
/// elsewhere, as a damaged index can) the table is scanned once, so a damaged index never makes a
/// present capture look missing. Digests are matched as bytes, whatever their SQL type; when several
/// rows hold one digest (only a damaged index allows it), the smallest rowid is the capture.
final class CaptureFinder {
    let db: Database
    /// Nil once SQLite found the index damaged: from then on the table decides (and SQLite's echo of
    /// that damage when the read ends is no finding, see `Verifier.verify`).
    private(set) var byIndex: Statement?
    private let digestOf: Statement
    private let sizeOf: Statement
    private let byRowid: Statement
    private var scanned: [Data: Int64]?

    init(_ db: Database) throws {
        self.db = db
        // The digest as TEXT, then as BLOB (the index keeps them apart): two equality probes, the
        // smallest rowid taken in `find`. Neither an `IN` list nor `ORDER BY`, for which SQLite would
        // build a temporary table each time the statement runs (once per capture).
        byIndex = try db.makeStatement(
            sql: """
                SELECT rowid FROM captures WHERE digest = ?1 \
                UNION ALL SELECT rowid FROM captures WHERE digest = CAST(?1 AS BLOB)
                """)
        // Neither reads a capture's bytes: digest and size come before them in the row.
        digestOf = try db.makeStatement(sql: "SELECT \(ColumnBytes.select("digest")) FROM captures WHERE rowid = ?")
        sizeOf = try db.makeStatement(sql: "SELECT size FROM captures WHERE rowid = ?")
        byRowid = try db.makeStatement(
            sql: """
                SELECT \(ColumnBytes.select("digest")), size, \(ColumnBytes.select("encoding")), \
                \(ColumnBytes.select("data")), \(ColumnBytes.select("withheld_at")) FROM captures WHERE rowid = ?
                """)
    }

    /// The index could not be walked and the table was read instead.
    var setAsideDamagedIndex: Bool { byIndex == nil }

    /// The rowid of the row holding `digest`, or nil when no row does.
    func find(_ digest: String) throws -> Int64? {
        let wanted = Data(digest.utf8)
        if scanned == nil, let byIndex {
            do {
                var first: Int64?
                let rowids = try Int64.fetchCursor(byIndex, arguments: [digest])
                while let rowid = try rowids.next() {
                    if first == nil || rowid < first! { first = rowid }
                }
                if let rowid = first,
                    let stored = try DatabaseValue.fetchOne(digestOf, arguments: [rowid]),
                    ColumnBytes.bytes(stored) == wanted
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
                db, sql: "SELECT rowid, \(ColumnBytes.select("digest")) FROM captures NOT INDEXED ORDER BY rowid")
            while let row = try rows.next() {
                let key = ColumnBytes.bytes(row["digest"])
                if all[key] == nil { all[key] = row["rowid"] }
            }
            scanned = all
        }
        return scanned?[wanted]
    }

    /// The stored size of a row (-1 when it is not an INTEGER).
    func size(rowid: Int64) throws -> Int64 {
        guard let value = try DatabaseValue.fetchOne(sizeOf, arguments: [rowid]) else { return -1 }
        return ColumnBytes.integer(value) ?? -1
    }

    func row(rowid: Int64) throws -> Row? { try Row.fetchOne(byRowid, arguments: [rowid]) }
}
