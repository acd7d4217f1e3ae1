import Foundation
import GRDB

/// Columns read as the format compares them: as bytes, whatever SQL type an attacker gave them
/// (docs/FORMAT.md §6, "Reading the tables").
///
/// Invariant: BLOB is its bytes; TEXT is its bytes exactly as stored (never decoded: GRDB would stop a
/// String at a NUL byte and repair invalid UTF-8); INTEGER and REAL are the text SQLite gives them
/// (`CAST(x AS TEXT)`), as any SQLite-based verifier sees them; NULL is nil.
enum ColumnBytes {
    /// The select-list expression for `column`, named `column`.
    ///
    /// A simple CASE rather than `typeof(x) IN (...)`: SQLite builds a temporary table for an `IN` list
    /// each time a statement runs, which on verify's per-capture lookups cost more than the read itself.
    static func select(_ column: String) -> String {
        "CASE typeof(\(column)) WHEN 'blob' THEN \(column) WHEN 'null' THEN NULL "
            + "ELSE CAST(CAST(\(column) AS TEXT) AS BLOB) END AS \(column)"
    }

    /// The bytes of a value selected with `select`; empty for NULL.
    static func bytes(_ value: DatabaseValue) -> Data { optionalBytes(value) ?? Data() }

    static func optionalBytes(_ value: DatabaseValue) -> Data? {
        switch value.storage {
        case .blob(let d): return d
        case .string(let s): return Data(s.utf8)
        case .int64(let i): return Data(String(i).utf8)
        case .double(let d): return Data(String(d).utf8)
        case .null: return nil
        }
    }

    /// The bytes as text for a report or a lookup key (invalid UTF-8 shown as U+FFFD); "" for NULL.
    static func text(_ value: DatabaseValue) -> String { String(decoding: bytes(value), as: UTF8.self) }

    static func optionalText(_ value: DatabaseValue) -> String? {
        optionalBytes(value).map { String(decoding: $0, as: UTF8.self) }
    }

    /// An INTEGER value, else nil: a number stored as text, a real or a blob is not an integer
    /// (an INTEGER column keeps integers as INTEGER, so anything else was put there by hand).
    static func integer(_ value: DatabaseValue) -> Int64? {
        if case .int64(let i) = value.storage { return i }
        return nil
    }
}
