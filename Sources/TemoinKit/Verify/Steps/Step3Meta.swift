import Foundation
import GRDB

extension Walk {
    /// docs/FORMAT.md §6.3, meta, read by scanning the table, never through an index (an index can be
    /// damaged while the table is intact); when a key repeats, the last row read counts. Keys and
    /// values are compared as bytes whatever their SQL type (`ColumnBytes`): a tampered store may hold a
    /// BLOB that is not UTF-8 or a number where text belongs, and reading it must report
    /// `meta_invalid`, never trap.
    mutating func checkMeta(_ db: Database) throws {
        var meta: [Data: Data] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT \(ColumnBytes.select("key")), \(ColumnBytes.select("value")) FROM meta NOT INDEXED")
        while let row = try rows.next() {
            guard let key = ColumnBytes.optionalBytes(row["key"]) else { continue }
            meta[key] = ColumnBytes.optionalBytes(row["value"])
        }
        let format = meta[Data("format".utf8)]
        if format != Data(Store.formatName.utf8) {
            report.record(
                .metaInvalid, at: nil, subject: "format",
                "meta format is \(format.map { String(decoding: $0, as: UTF8.self) } ?? "missing"), expected \(Store.formatName)"
            )
        }
        if let id = meta[Data("store_id".utf8)], Self.isStoreID(id) {
            report.storeID = String(decoding: id, as: UTF8.self)
        } else {
            report.record(.metaInvalid, at: nil, subject: "store_id", "meta store_id is missing or malformed")
        }
        // One or more ASCII digits (no sign, no space); a number too large for 64 bits still counts, as
        // a head beyond any entry.
        if let h = meta[Data("head_seq".utf8)], !h.isEmpty, h.allSatisfy({ (0x30...0x39).contains($0) }) {
            headSeqMeta = Int64(String(decoding: h, as: UTF8.self)) ?? .max
        } else {
            report.record(.metaInvalid, at: nil, subject: "head_seq", "meta head_seq is missing or malformed")
        }
    }

    /// §2: 36 bytes, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lowercase hexadecimal digits.
    static func isStoreID(_ bytes: Data) -> Bool {
        guard bytes.count == 36 else { return false }
        for (i, b) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                if b != UInt8(ascii: "-") { return false }
            } else if !(0x30...0x39).contains(b) && !(0x61...0x66).contains(b) {
                return false
            }
        }
        return true
    }
}
