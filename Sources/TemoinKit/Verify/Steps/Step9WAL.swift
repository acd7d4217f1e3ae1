import Foundation
import GRDB

extension Verifier {
    /// docs/FORMAT.md §6.9, the `-wal` file: SQLite reads the store with the `-wal` beside it, so a copy
    /// of the main file alone can be an older state that verifies as intact. When a non-empty `-wal`
    /// lies beside the store and the main file read alone (immutable: SQLite then ignores the `-wal`)
    /// holds fewer entries, the report says so: a notice, not a problem.
    static func walNotice(_ path: String, entries: Int64) -> WALNotice? {
        let wal = path + "-wal"
        guard let size = (try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? Int64, size > 0
        else { return nil }
        let alone: Int64? = try? DatabaseQueue(
            path: Store.immutableURI(path), configuration: Store.readerConfiguration()
        )
        .read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM entries") ?? 0 }
        if let alone, alone >= entries { return nil }
        return WALNotice(entriesInMainFile: alone, entriesWithWAL: entries)
    }
}
