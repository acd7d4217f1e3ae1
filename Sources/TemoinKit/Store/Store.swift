import CSQLite
import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One evidence store: a single SQLite file holding the case, the chain of entries and the captures.
///
/// Every append happens in one IMMEDIATE write transaction that reads the head and writes the entry,
/// its captures and the head counter, so concurrent writers queue instead of forking the chain, and a
/// process killed at any moment leaves either the whole entry or nothing.
///
/// Outside this package a store is only opened and read: creating and appending are `package`
/// (docs/DESIGN.md, "The library's public API").
public final class Store: Sendable {
    /// Schema version this build reads and writes (`PRAGMA user_version`).
    public static let schemaVersion = 1
    /// `PRAGMA application_id`: "TEMO".
    public static let applicationID: Int32 = 0x5445_4D4F
    /// The `meta` value `format` of every temoin store.
    public static let formatName = "temoin-store"
    /// The file name temoin gives a store when the person names none.
    public static let defaultFileName = "temoin.sqlite"

    /// The store's file, as given to ``open(at:readOnly:clock:)``.
    public let path: String
    /// True when opened read-only: no write can happen through this value.
    public let isReadOnly: Bool
    let db: DatabaseQueue
    /// The store's identity, its `meta` value `store_id`, which the genesis value binds (docs/FORMAT.md §3).
    public let storeID: String
    /// Where `recorded_at` and the attempts' times are read: the system clock, except in TemoinKit's
    /// own tests (no command lets a person choose it).
    public let clock: WallClock

    /// The store path from `--store`, else `TEMOIN_STORE`, else `temoin.sqlite` beside the portable
    /// folder's launcher when temoin runs from one (`make dist`), else `./temoin.sqlite`.
    package static func resolvePath(
        option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> String
    {
        if let o = option, !o.isEmpty { return o }
        if let e = environment["TEMOIN_STORE"], !e.isEmpty { return e }
        return Installation.current.defaultStorePath
    }

    private init(path: String, db: DatabaseQueue, readOnly: Bool, storeID: String, clock: WallClock) {
        self.path = path
        self.db = db
        self.isReadOnly = readOnly
        self.storeID = storeID
        self.clock = clock
        Self.opened.withLock { list in
            list.removeAll { $0.store == nil }
            list.append(WeakStore(store: self))
        }
    }

    // MARK: Closing

    private final class WeakStore: @unchecked Sendable {
        weak var store: Store?
        init(store: Store) { self.store = store }
    }

    /// The stores this process opened and still holds.
    private static let opened = Mutex<[WeakStore]>([])

    /// Closes every store still open: the executable calls it when a command ends. SQLite removes a
    /// store's `-wal` and `-shm` files when its last connection closes, and a connection still held
    /// when the process exits never closes; using a store after this fails.
    package static func closeAll() {
        for store in opened.withLock({ list in list.compactMap(\.store) }) { try? store.db.close() }
        opened.withLock { $0.removeAll() }
    }

    // MARK: Opening

    /// SQLite page size of new stores. An entry of a live attempt is about 2 KB: with 4 KB pages each
    /// took a page of its own (the rest stayed empty) and every table and index at least 4 KB, so a
    /// store grew by 5.2 KB per attempt; with 2 KB pages it grows by about 2.9 KB. 1 KB pages save a
    /// little more but make verify read its captures in twice as many pieces (docs/BENCHMARKS.md).
    /// Any SQLite reads any page size; existing stores keep theirs.
    static let newStorePageSize = 2048

    /// `queryOnly`: a connection SQLite opens for writing but that refuses every change (see `openQueue`).
    static func configuration(readOnly: Bool, creating: Bool = false, queryOnly: Bool = false)
        -> Configuration
    {
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(30)
        config.label = "temoin"
        config.prepareDatabase { db in
            try Self.harden(db)
            if queryOnly {
                try db.execute(sql: "PRAGMA query_only = ON")
                return
            }
            if creating {
                // Only possible before the first write, so before WAL is switched on.
                try db.execute(sql: "PRAGMA page_size = \(newStorePageSize)")
            }
            if !readOnly {
                // WAL keeps readers (verify) and the writer apart; FULL makes each commit durable
                // before the tool says it recorded anything.
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // Withheld capture bytes are overwritten on disk, not merely unlinked.
                try db.execute(sql: "PRAGMA secure_delete = ON")
            }
        }
        return config
    }

    /// A read-only connection as every reader of a store gets it.
    static func readerConfiguration() -> Configuration { configuration(readOnly: true) }

    /// Every connection to a store, before anything is read: a store is a file someone else may have
    /// prepared (docs/SECURITY.md, "Hostile stores"). Functions with side effects may not run from its
    /// schema (`trusted_schema = OFF`), defensive mode refuses `writable_schema` and the other ways to
    /// corrupt a file on purpose, and SQLite checks `Interruption` every 1,000 steps so Ctrl-C stops
    /// any query, even an endless one in a view.
    static func harden(_ db: Database) throws {
        try db.execute(sql: "PRAGMA trusted_schema = OFF")
        guard let connection = db.sqliteConnection else { return }
        if temoin_sqlite3_defensive(connection) != SQLITE_OK {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE, message: "SQLite has no defensive mode (3.26 or later needed)")
        }
        sqlite3_progress_handler(connection, 1000, { _ in Interruption.isRequested ? 1 : 0 }, nil)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try StoreSchema.create(db, [StoreSchema.meta, StoreSchema.entries, StoreSchema.captures])
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        // Seals, attestations and the TSA list live beside the chain (docs/FORMAT.md §7); older readers
        // ignore these tables, so the format version stays 1.
        migrator.registerMigration("v2-trust") { db in try StoreSchema.create(db, StoreSchema.anchorTables) }
        return migrator
    }

    /// Creates a new store at `path` (mode 0600) and records the case as entry 1.
    package static func create(at path: String, case fields: CaseFields, now: Date? = nil, clock: WallClock = .system)
        throws -> Store
    {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) { throw TemoinError.storeExists(path: path) }
        let fd = Glibc_open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else {
            throw TemoinError.storeNotWritable(path: path, detail: String(cString: strerror(errno)))
        }
        close(fd)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration(readOnly: false, creating: true))
            let storeID = UUID().uuidString.lowercased()
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            }
            try migrator.migrate(queue)
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for (k, v) in [
                        ("format", formatName), ("store_id", storeID),
                        ("created_at", TimeFormat.utc(now ?? clock.now())),
                        ("created_by", "\(Temoin.name) \(Temoin.version)"), ("head_seq", "0"),
                    ] {
                        try MetaRow(key: k, value: v).insert(db)
                    }
                    return .commit
                }
            }
            let store = Store(path: path, db: queue, readOnly: false, storeID: storeID, clock: clock)
            _ = try store.append(type: .caseOpened, now: now) { body in
                body.caseFields = fields
            }
            return store
        } catch {
            // A store that failed half-way would only confuse: remove it with its journal files.
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
            throw Store.map(error, path: path, writing: true)
        }
    }

    /// Opens an existing store. Refuses what is not a temoin store or was written by a newer schema.
    public static func open(at path: String, readOnly: Bool = false, clock: WallClock = .system) throws -> Store {
        try checkHeader(path)
        let queue = try openQueue(path: path, readOnly: readOnly)
        do {
            let (appID, version) = try queue.read { db in
                (
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                )
            }
            if version > schemaVersion {
                throw TemoinError.storeFromNewerVersion(path: path, found: version, supported: schemaVersion)
            }
            guard appID == applicationID, version >= 1 else {
                throw TemoinError.notAStore(path: path, detail: tr("detail.not_temoin_sqlite"))
            }
            if !readOnly {
                // Nothing is written to a store holding objects temoin never creates: a trigger would run
                // on our writes (copying pages into a hidden table during `withhold`), a view would
                // stand in for a table (docs/FORMAT.md §6.2, docs/SECURITY.md).
                try requireKnownSchema(queue, path: path)
                try migrator.migrate(queue)
            }
            let storeID = try queue.read { db in
                // A table scan, as the verifiers read meta: a damaged index on meta must not hide the
                // identity (or give another row's value) while the table itself is intact.
                try String.fetchOne(db, sql: "SELECT value FROM meta NOT INDEXED WHERE key = 'store_id'")
            }
            guard let storeID else {
                throw TemoinError.notAStore(path: path, detail: tr("detail.no_store_id"))
            }
            return Store(path: path, db: queue, readOnly: readOnly, storeID: storeID, clock: clock)
        } catch {
            throw Store.map(error, path: path, writing: !readOnly, opening: true)
        }
    }

    /// Refuses a store whose schema holds anything `StoreSchema` does not declare (exit 2, naming the
    /// objects). Writers and exports call it: a trigger would run on our writes (copying pages into a
    /// hidden table during `withhold`), a view would stand in for a table, a foreign table would ride
    /// along in a bundle (docs/FORMAT.md §6.2, docs/SECURITY.md).
    static func requireKnownSchema(_ queue: DatabaseQueue, path: String) throws {
        let foreign = try queue.read { db in try StoreSchema.deviations(db) }
        guard foreign.isEmpty else {
            throw TemoinError.notAStore(
                path: path,
                detail: tr(
                    "store.foreign_schema",
                    ["objects": foreign.map { "\($0.type ?? "?") \($0.name)" }.joined(separator: ", ")]))
        }
    }

    /// `requireKnownSchema` on this store.
    func requireKnownSchema() throws {
        do { try Self.requireKnownSchema(db, path: path) } catch let error as TemoinError { throw error } catch {
            throw Store.map(error, path: path, writing: false)
        }
    }

    /// Opens the SQLite connection. A reader on read-only media (a write-protected USB stick, a copy
    /// on a CD) cannot create the WAL index SQLite wants, so when no `-wal` file holds pending
    /// changes it reopens the file as immutable, which needs none.
    ///
    /// A store extracted from a bundle is always opened immutable: no file beside it may change what
    /// the verifiers read. A store read while no `-wal` holds pending changes (none, or an empty one
    /// another connection of this command made) is opened for writing with every change refused
    /// (`query_only`): SQLite then removes the `-wal` and `-shm` it makes when the last connection
    /// closes, where a read-only connection would leave them behind, empty.
    static func openQueue(path: String, readOnly: Bool) throws -> DatabaseQueue {
        if readOnly, WorkFolder.contains(path) {
            return try openImmutable(path, check: "PRAGMA user_version")
        }
        do {
            let queue: DatabaseQueue
            if readOnly, !walHasContent(path) {
                queue = try DatabaseQueue(
                    path: uri(path, "mode=rw"), configuration: configuration(readOnly: false, queryOnly: true))
            } else {
                queue = try DatabaseQueue(path: path, configuration: configuration(readOnly: readOnly))
            }
            if readOnly { _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") } }
            return queue
        } catch let error as DatabaseError
            where readOnly && error.resultCode.primaryResultCode == .SQLITE_CORRUPT && !walHasContent(path)
        {
            // SQLite parses a schema more strictly on a connection that may write: a CHECK naming a
            // column renamed in the schema's text fails there and reads on a read-only one, as the
            // reference verifier opens it. Read it read-only too, so both see the same schema (§6.1);
            // immutable, as no `-wal` holds changes, so nothing is left beside the store.
            return try openImmutable(path, check: "SELECT count(*) FROM sqlite_master")
        } catch let error as DatabaseError
            where readOnly
            && [.SQLITE_CANTOPEN, .SQLITE_IOERR, .SQLITE_READONLY].contains(error.resultCode.primaryResultCode)
            && !FileManager.default.fileExists(atPath: path + "-wal")
        {
            return try openImmutable(path, check: "PRAGMA user_version")
        } catch {
            throw Store.map(error, path: path, writing: !readOnly, opening: true)
        }
    }

    /// `path` opened read-only and immutable, `check` read once so that a file SQLite cannot open fails
    /// here, as an unreadable store.
    static func openImmutable(_ path: String, check: String) throws -> DatabaseQueue {
        do {
            let queue = try DatabaseQueue(path: immutableURI(path), configuration: configuration(readOnly: true))
            _ = try queue.read { db in try Int.fetchOne(db, sql: check) }
            return queue
        } catch {
            throw Store.map(error, path: path, writing: false, opening: true)
        }
    }

    /// Whether a `-wal` file beside `path` holds bytes (changes not yet in the main file).
    static func walHasContent(_ path: String) -> Bool {
        var info = stat()
        return lstat(path + "-wal", &info) == 0 && info.st_size > 0
    }

    /// `file:` URI of `path` with `immutable=1` (SQLite's URI syntax: `%`, `?` and `#` escaped).
    static func immutableURI(_ path: String) -> String { uri(path, "mode=ro&immutable=1") }

    /// `file:` URI of `path` with `query` (SQLite's URI syntax: `%`, `?` and `#` escaped).
    static func uri(_ path: String, _ query: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var escaped = ""
        for ch in absolute.unicodeScalars {
            switch ch {
            case "%": escaped += "%25"
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            default: escaped.unicodeScalars.append(ch)
            }
        }
        return "file:\(escaped)?\(query)"
    }

    /// Distinguishes "no file", "not SQLite" and "truncated" before SQLite gives a vaguer answer.
    static func checkHeader(_ path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw TemoinError.storeMissing(path: path)
        }
        if isDir.boolValue { throw TemoinError.notAStore(path: path, detail: tr("detail.is_directory")) }
        // A FIFO or a device would block the read below (and SQLite) forever.
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw TemoinError.notAStore(path: path, detail: tr("detail.not_regular_file"))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TemoinError.storeUnreadable(path: path, detail: tr("detail.permission"))
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        if header.isEmpty { throw TemoinError.notAStore(path: path, detail: tr("detail.empty_file")) }
        guard header.count >= 16, header.prefix(16) == Data("SQLite format 3\0".utf8) else {
            throw TemoinError.notAStore(path: path, detail: tr("detail.not_sqlite"))
        }
        if header.count < 100 { throw TemoinError.storeUnreadable(path: path, detail: tr("detail.truncated")) }
    }

    /// Turns SQLite's errors into ones a person can act on. `writing`: the operation was meant to
    /// write, so a refusal of the medium means "cannot write" (exit 3), not "cannot read" (exit 2).
    static func map(_ error: Error, path: String, writing: Bool, opening: Bool = false) -> Error {
        if error is TemoinError { return error }
        guard let dbError = error as? DatabaseError else { return error }
        let detail = dbError.message ?? "\(dbError.resultCode)"
        switch dbError.resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return TemoinError.storeBusy(path: path)
        case .SQLITE_INTERRUPT: return TemoinError.interrupted
        case .SQLITE_READONLY, .SQLITE_FULL, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_IOERR:
            return writing
                ? TemoinError.storeNotWritable(path: path, detail: detail)
                : TemoinError.storeUnreadable(path: path, detail: detail)
        case .SQLITE_NOTADB: return TemoinError.notAStore(path: path, detail: tr("detail.not_sqlite"))
        case .SQLITE_CORRUPT: return TemoinError.storeUnreadable(path: path, detail: detail)
        case .SQLITE_ERROR where opening:
            return TemoinError.notAStore(path: path, detail: detail)
        default: return TemoinError.storeUnreadable(path: path, detail: detail)
        }
    }

    deinit { checkpoint() }

}

/// What a store holds for a capture digest.
public enum CaptureState: Sendable, Equatable {
    /// The bytes are in the store, encoded as `encoding` names (`zlib` or `identity` in an intact store,
    /// docs/FORMAT.md §2); whether they still hash to the digest is for verification to say.
    case stored(encoding: String)
    /// The bytes were withheld on purpose (``Store`` keeps the digest): when, if recorded, and why, if given.
    case withheld(at: String?, reason: String?)
    /// No row for this digest.
    case absent
}

// `open` is shadowed by `Store.open`; call the C function by an unambiguous name.
private func Glibc_open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Glibc)
        return Glibc.open(path, flags, mode)
    #else
        return Darwin.open(path, flags, mode)
    #endif
}
