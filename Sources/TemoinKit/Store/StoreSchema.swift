import Foundation
import GRDB

/// Every object a temoin store may hold (docs/FORMAT.md §2 and §7), declared once: the migrations
/// create the tables from this text, the verifier compares `sqlite_master` with it (§6 step 2), and
/// writers refuse a store holding anything else.
///
/// Invariant: a store whose `sqlite_master` rows are exactly these (type, name, table, SQL text byte for
/// byte; automatic indexes with NULL SQL) holds no view, trigger, table or index that could run SQL or
/// keep data outside the format. SQLite keeps a table's `CREATE` statement as written, so the text is
/// part of the format: never reformat it.
package enum StoreSchema {
    /// One table and the automatic indexes SQLite creates for its PRIMARY KEY or UNIQUE columns.
    package struct Table: Sendable, Equatable {
        package let name: String
        /// The `CREATE TABLE` statement, exactly as `sqlite_master.sql` holds it.
        package let sql: String
        package let autoindexes: [String]
        /// A store lacks it only if it is not a temoin store (optional tables: older stores, or anchors removed).
        package let required: Bool
        /// Column names in order (what `pragma_table_info` lists).
        package let columns: [String]
    }

    package static let meta = Table(
        name: "meta",
        sql: """
            CREATE TABLE meta (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            )
            """, autoindexes: ["sqlite_autoindex_meta_1"], required: true, columns: ["key", "value"])

    package static let entries = Table(
        name: "entries",
        sql: """
            CREATE TABLE entries (
                seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
                hash TEXT NOT NULL,
                body BLOB NOT NULL
            )
            """, autoindexes: [], required: true, columns: ["seq", "hash", "body"])

    package static let captures = Table(
        name: "captures",
        sql: """
            CREATE TABLE captures (
                digest TEXT PRIMARY KEY NOT NULL,
                size INTEGER NOT NULL,
                encoding TEXT NOT NULL,
                data BLOB,
                withheld_at TEXT,
                withheld_reason TEXT
            )
            """, autoindexes: ["sqlite_autoindex_captures_1"], required: true,
        columns: ["digest", "size", "encoding", "data", "withheld_at", "withheld_reason"])

    package static let seals = Table(
        name: "seals",
        sql: """
            CREATE TABLE seals (
                id INTEGER PRIMARY KEY NOT NULL,
                seq INTEGER NOT NULL,
                head TEXT NOT NULL,
                tsa_url TEXT NOT NULL,
                nonce TEXT NOT NULL,
                requested_at TEXT NOT NULL,
                response BLOB NOT NULL
            )
            """, autoindexes: [], required: false,
        columns: ["id", "seq", "head", "tsa_url", "nonce", "requested_at", "response"])

    package static let attestations = Table(
        name: "attestations",
        sql: """
            CREATE TABLE attestations (
                id INTEGER PRIMARY KEY NOT NULL,
                statement BLOB NOT NULL,
                signature TEXT NOT NULL UNIQUE,
                added_at TEXT NOT NULL
            )
            """, autoindexes: ["sqlite_autoindex_attestations_1"], required: false,
        columns: ["id", "statement", "signature", "added_at"])

    package static let tsaConfig = Table(
        name: "tsa_config",
        sql: """
            CREATE TABLE tsa_config (
                url TEXT PRIMARY KEY NOT NULL,
                name TEXT,
                added_at TEXT NOT NULL
            )
            """, autoindexes: ["sqlite_autoindex_tsa_config_1"], required: false, columns: ["url", "name", "added_at"])

    /// GRDB's migration log (rows `v1`, `v2-trust`), created by GRDB with this exact statement.
    package static let grdbMigrations = Table(
        name: "grdb_migrations", sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)",
        autoindexes: ["sqlite_autoindex_grdb_migrations_1"], required: false, columns: ["identifier"])

    /// In the order of docs/FORMAT.md.
    package static let tables: [Table] = [meta, entries, captures, seals, attestations, tsaConfig, grdbMigrations]

    /// The tables of the anchors (§7), created together by the migration `v2-trust`.
    static let anchorTables: [Table] = [seals, attestations, tsaConfig]

    static func create(_ db: Database, _ tables: [Table]) throws {
        for table in tables { try db.execute(sql: table.sql) }
    }

    /// One object of `sqlite_master` that is not as declared, or a declared one that is missing.
    package struct Deviation: Sendable, Equatable {
        package enum Kind: String, Sendable {
            /// A name the format does not know: another table, a view, a trigger, an index.
            case foreign
            /// A known name whose type, table or SQL differs (a view named `entries`, an added column…).
            case altered
            /// A required table, or the automatic index of a table present, is absent.
            case missing
        }

        package let name: String
        package let type: String?
        package let kind: Kind
    }

    /// The deviations of the schema from the format, one per name, sorted by name (§6 step 2). Names,
    /// types and SQL are compared as bytes: SQLite keeps the text, and a name that is not UTF-8 is
    /// foreign like any other.
    package static func deviations(_ db: Database) throws -> [Deviation] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT \(ColumnBytes.select("type")), \(ColumnBytes.select("name")), \
                \(ColumnBytes.select("tbl_name")), \(ColumnBytes.select("sql")) FROM sqlite_master
                """)
        var count: [Data: Int] = [:]
        for row in rows { count[ColumnBytes.bytes(row["name"]), default: 0] += 1 }
        var expected: [Data: (type: String, table: String, sql: String?)] = [:]
        for table in tables where table.required || count[Data(table.name.utf8)] != nil {
            expected[Data(table.name.utf8)] = ("table", table.name, table.sql)
            for index in table.autoindexes { expected[Data(index.utf8)] = ("index", table.name, nil) }
        }
        var found: [Data: Deviation] = [:]
        for row in rows {
            let name = ColumnBytes.bytes(row["name"])
            let type = ColumnBytes.optionalBytes(row["type"])
            let typeText = type.map { String(decoding: $0, as: UTF8.self) }
            let shown = String(decoding: name, as: UTF8.self)
            guard let want = expected[name] else {
                found[name] = Deviation(name: shown, type: typeText, kind: .foreign)
                continue
            }
            // A name listed twice (only an edited schema can do that) is altered even if both rows match.
            if count[name] != 1 || type != Data(want.type.utf8)
                || ColumnBytes.optionalBytes(row["tbl_name"]) != Data(want.table.utf8)
                || ColumnBytes.optionalBytes(row["sql"]) != want.sql.map({ Data($0.utf8) })
            {
                found[name] = Deviation(name: shown, type: typeText, kind: .altered)
            }
        }
        for name in expected.keys where count[name] == nil {
            found[name] = Deviation(name: String(decoding: name, as: UTF8.self), type: nil, kind: .missing)
        }
        return found.values.sorted { Data($0.name.utf8).lexicographicallyPrecedes(Data($1.name.utf8)) }
    }

    /// Whether the anchor tables of §7 exist (a store made before seals has none).
    static func hasAnchorTables(_ db: Database) throws -> Bool {
        try db.tableExists(seals.name) && db.tableExists(attestations.name)
    }
}
