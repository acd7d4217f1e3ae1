import Foundation
import GRDB

extension Verifier {
    /// docs/FORMAT.md §6.1, readable: the SQLite header, a read-only open, the application id, a
    /// `user_version` of 1 and a schema SQLite can read. Only what fails here makes the store unreadable
    /// (exit 2); corruption SQLite finds later, while reading the tables, is a finding (§6.7,
    /// `store_corrupt`, exit 1), as in the reference verifier.
    static func openReadable(_ path: String) throws -> DatabaseQueue {
        try Store.checkHeader(path)
        let queue = try Store.openQueue(path: path, readOnly: true)
        do {
            // The walk reads each page about once (entries in order, each capture once): SQLite's
            // default 2 MB page cache would only hold pages already used. A quarter of it keeps the
            // tables' and the digest index's inner pages, which every lookup passes through.
            try queue.inDatabase { db in try db.execute(sql: "PRAGMA cache_size = -512") }
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
        return queue
    }
}
