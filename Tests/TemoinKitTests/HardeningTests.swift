import Foundation
import GRDB
import Testing
import ZIPFoundation

@testable import TemoinKit

/// Regressions found by scripts/harden/tamper-fuzz and hostile-inputs (docs/HARDENING.md): each case
/// once crashed temoin or made the two verifiers disagree.
@Suite struct HardeningTests {
    /// A meta value that is not UTF-8 (an attacker is not bound by the column's type) used to trap
    /// in verify; both verifiers now read it as bytes.
    @Test(arguments: ["created_at", "store_id", "format"])
    func metaValuesThatAreNotTextNeverCrashVerify(_ key: String) throws {
        let (_, store) = try populatedStore()
        try tamper(store.path, "UPDATE meta SET value = x'ff00fe' WHERE key = ?", arguments: [key])
        let r = try VerifyTests().verifyBoth(store.path)
        // created_at carries no evidence; store_id and format do.
        #expect(r.verdict == (key == "created_at" ? .intact : .tampered))
    }

    @Test(arguments: ["+7", "7 ", "-0", "99999999999999999999999", "6.0"])
    func aHeadCounterIsDigitsOnlyForBothVerifiers(_ value: String) throws {
        let (_, store) = try populatedStore()
        try tamper(store.path, "UPDATE meta SET value = ? WHERE key = 'head_seq'", arguments: [value])
        let r = try VerifyTests().verifyBoth(store.path)
        #expect(r.verdict == .tampered)
        // Too large for 64 bits is still a number: entries beyond the last are missing.
        #expect(
            r.problems.map(\.code)
                == (value.count > 20 ? ["entries_truncated"] : ["meta_invalid"]))
    }

    /// The primary-key index of captures damaged, the table intact: the evidence is whole, so both
    /// verifiers say intact (temoin used to report the capture missing).
    @Test func aDamagedIndexDoesNotMakeACaptureLookMissing() throws {
        let (_, store) = try populatedStore()
        let digest = try #require(try store.entry(seq: 2).body?.captures?.first?.digest)
        try tamper(store.path, "PRAGMA wal_checkpoint(TRUNCATE)")  // every page in the file itself
        let (pageSize, root) = try DatabaseQueue(path: store.path).read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096,
                try Int.fetchOne(
                    db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_captures_1'") ?? 0
            )
        }
        try #require(root > 0)
        var file = try Data(contentsOf: URL(fileURLWithPath: store.path))
        let page = (root - 1) * pageSize..<root * pageSize
        let at = try #require(file.range(of: Data(digest.utf8), in: page))
        // The index now holds another digest for that row: a lookup by the real one finds nothing.
        file[at.upperBound - 1] = digest.last == "0" ? UInt8(ascii: "1") : UInt8(ascii: "0")
        try file.write(to: URL(fileURLWithPath: store.path))
        let r = try VerifyTests().verifyBoth(store.path)
        #expect(r.verdict == .intact, "\(r.problems)")
    }

    /// `seq` no longer the rowid (schema edited): SQLite finds the table malformed. Neither verifier
    /// calls it intact or crashes: temoin cannot read it (exit 2), the reference verifier reports
    /// `store_corrupt` (exit 1) because Python's SQLite reads the schema before failing on the rows.
    @Test func aSeqThatIsNotTheRowidIsUnreadableNotACrash() throws {
        let (_, store) = try populatedStore()
        try tamper(
            store.path,
            """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_master SET sql = replace(sql, 'INTEGER PRIMARY KEY', 'INT PRIMARY KEY') WHERE name = 'entries';
            """)
        let error = #expect(throws: TemoinError.self) { try Verifier().verify(path: store.path) }
        #expect(error?.exitCode == 2)
        #expect(try referenceVerify(store.path).0 == 1)
    }

    /// A capture whose size is text, and a capture digest stored as a BLOB of the same bytes.
    @Test func columnTypesAnAttackerChoseAreReadAsTheFormatSays() throws {
        let (_, a) = try populatedStore()
        try tamper(a.path, "UPDATE captures SET size = 'big' WHERE rowid = 1")
        #expect(try VerifyTests().verifyBoth(a.path).problems.map(\.code).contains("capture_altered"))
        let (_, b) = try populatedStore()
        try tamper(b.path, "UPDATE captures SET digest = CAST(digest AS BLOB), withheld_at = x'ff' WHERE rowid = 1")
        #expect(try VerifyTests().verifyBoth(b.path).verdict == .intact)
    }

    /// A member whose name the file system cannot hold is a refused bundle (exit 4), not an
    /// unwritable store (exit 3).
    @Test func aBundleMemberWithAnImpossibleNameIsRefused() throws {
        let dir = TempDir()
        let zip = dir.file("long.zip")
        let archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .create)
        let data = Data("x".utf8)
        try archive.addEntry(
            with: "d/" + String(repeating: "n", count: 1000), type: .file, uncompressedSize: Int64(data.count),
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        let error = #expect(throws: TemoinError.self) { try BundleReader().extract(zip) }
        #expect(error?.exitCode == 4)
        #expect(error?.description.contains("cannot be extracted") == true)
    }
}
