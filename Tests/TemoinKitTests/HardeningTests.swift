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
        let page = try rootPageBytes(store.path, of: "sqlite_autoindex_captures_1")
        var file = try Data(contentsOf: URL(fileURLWithPath: store.path))
        let at = try #require(file.range(of: Data(digest.utf8), in: page))
        // The index now holds another digest for that row: a lookup by the real one finds nothing.
        file[at.upperBound - 1] = digest.last == "0" ? UInt8(ascii: "1") : UInt8(ascii: "0")
        try file.write(to: URL(fileURLWithPath: store.path))
        let r = try VerifyTests().verifyBoth(store.path)
        #expect(r.verdict == .intact, "\(r.problems)")
    }

    /// `seq` no longer the rowid (schema edited): the schema reads (docs/FORMAT.md §6.1), the rows would
    /// not. The edited `CREATE TABLE` text is no longer the format's (§6.2): `schema_altered`, exit 1, for
    /// both verifiers, and nothing is read through it (temoin used to call the store unreadable, exit 2;
    /// before §6.2 compared the text, it was `store_corrupt` at seq 1).
    @Test func aSeqThatIsNotTheRowidIsAlteredForBothVerifiers() throws {
        let (_, store) = try populatedStore()
        try tamper(
            store.path,
            """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_master SET sql = replace(sql, 'INTEGER PRIMARY KEY', 'INT PRIMARY KEY') WHERE name = 'entries';
            """)
        let r = try VerifyTests().verifyBoth(store.path)
        #expect(r.problems.map(\.code) == ["schema_altered"] && r.firstBadSeq == nil)
        let cli = try temoin(["verify", "--json"], store: store.path)
        #expect(cli.status == 1, "\(cli.stderr)")
    }

    /// A column renamed in the schema's text while a CHECK still names it: SQLite reads that schema on a
    /// read-only connection (the reference verifier's) and refuses it on one that may write. temoin
    /// reads it read-only too, so both say `schema_altered`, exit 1 (found by `make harden`: temoin
    /// said unreadable, exit 2).
    @Test func aCheckNamingARenamedColumnIsAlteredForBothVerifiers() throws {
        let (_, store) = try populatedStore()
        try tamper(
            store.path,
            """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_master SET sql = replace(sql, '    seq INTEGER', '    seqx INTEGER') WHERE name = 'entries';
            """)
        var readOnly = Configuration()
        readOnly.readonly = true
        let sql = try DatabaseQueue(path: store.path, configuration: readOnly).read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'entries'")
        }
        try #require(sql?.contains("seqx INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1)") == true)
        let r = try VerifyTests().verifyBoth(store.path)
        #expect(r.problems.map(\.code) == ["schema_altered"] && r.firstBadSeq == nil)
        #expect(try temoin(["verify", "--json"], store: store.path).status == 1)
    }

    /// A schema SQLite cannot parse at all is unreadable (exit 2) for both verifiers: §6.1's test.
    @Test func aSchemaSQLiteCannotParseIsUnreadableForBothVerifiers() throws {
        let (_, store) = try populatedStore()
        try tamper(
            store.path,
            """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_master SET sql = 'CREATE TABLE entries (seq INTEGER PRIMARY KEY, hash' WHERE name = 'entries';
            """)
        let error = #expect(throws: TemoinError.self) { try Verifier().verify(path: store.path) }
        #expect(error?.exitCode == 2)
        #expect(try referenceVerify(store.path).0 == 2)
        #expect(try temoin(["verify"], store: store.path).status == 2)
    }

    /// The index of meta damaged (the table intact): the identity is read by a scan, as both
    /// verifiers read meta, so a valid attestation still verifies and the store still opens (temoin
    /// used to look `store_id` up through the index and report `attestation_mismatch`).
    @Test func aDamagedMetaIndexDoesNotBreakAnAttestation() throws {
        let (_, store, out) = try attestationFileForAStore()
        #expect(try temoin(["attestation", "add", out], store: store.path).status == 0)
        let page = try rootPageBytes(store.path, of: "sqlite_autoindex_meta_1")
        var file = try Data(contentsOf: URL(fileURLWithPath: store.path))
        let at = try #require(file.range(of: Data("store_id".utf8), in: page))
        file[at.lowerBound] = UInt8(ascii: "X")  // the index's key is now "Xtore_id": a lookup finds nothing
        try file.write(to: URL(fileURLWithPath: store.path))
        try #require(
            try DatabaseQueue(path: store.path).read { db in
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'store_id'")
            } == nil, "the index lookup is meant to fail")

        var report = try Verifier().verify(path: store.path)
        try AnchorChecks.extend(&report, path: store.path, trust: TSATrust(), trustedKeys: [])
        #expect(report.verdict == .intact, "\(report.problems)")
        #expect(report.attestations.first?.state == .validUntrusted)
        #expect(try referenceVerify(store.path).0 == 0)
        let reopened = try Store.open(at: store.path, readOnly: true)
        #expect(reopened.storeID == store.storeID)
        #expect(try reopened.attestations().first?.state == .validUntrusted)
        #expect(try temoin(["verify"], store: store.path).status == 0)
    }

    /// The captures' digest index is a shortcut: when SQLite cannot walk it at all (its root page's
    /// type byte broken), verify finds the captures by reading the table, as the reference verifier
    /// always does, and both say intact: the evidence is untouched.
    @Test func aCaptureIndexSQLiteCannotWalkIsNoFinding() throws {
        let (_, store) = try populatedStore()
        let page = try rootPageBytes(store.path, of: "sqlite_autoindex_captures_1")
        var file = try Data(contentsOf: URL(fileURLWithPath: store.path))
        file[page.lowerBound] = 0x00  // not a b-tree page type
        try file.write(to: URL(fileURLWithPath: store.path))
        #expect(throws: DatabaseError.self, "the index is meant to be unreadable") {
            try DatabaseQueue(path: store.path).read { db in
                try String.fetchOne(db, sql: "SELECT digest FROM captures INDEXED BY sqlite_autoindex_captures_1")
            }
        }
        let r = try VerifyTests().verifyBoth(store.path)
        #expect(r.verdict == .intact, "\(r.problems)")
        #expect(r.captures.checked == 4)
        #expect(try temoin(["verify"], store: store.path).status == 0)
    }

    /// The file header's reserved-bytes-per-page changed: the small entry rows still read, the
    /// captures' long rows no longer do. Captures are step 6 of FORMAT.md §6, after every entry, so
    /// both verifiers walk the whole chain and put `store_corrupt` after its last entry, though temoin
    /// meets the damage on the first capture.
    @Test func capturesSQLiteCannotReadAreCorruptAfterTheLastEntry() throws {
        let (_, store) = try populatedStore()
        try tamper(store.path, "PRAGMA wal_checkpoint(TRUNCATE)")
        var file = try Data(contentsOf: URL(fileURLWithPath: store.path))
        file[20] ^= 0x01
        try file.write(to: URL(fileURLWithPath: store.path))
        let r = try VerifyTests().verifyBoth(store.path)
        #expect(r.verdict == .tampered)
        #expect(r.entries == 6)
        #expect(r.problems.last?.code == "store_corrupt" && r.problems.last?.seq == 7, "\(r.problems)")
    }

    /// A flipped bit in a seq can make it 2^37 + 3: one hole of 137 billion entries. Both verifiers
    /// name the first missing seq at once (the fuzzer's own bookkeeping once hung on such a gap).
    @Test func aSeqFlippedFarBeyondTheHeadIsTheFirstMissingEntry() throws {
        let (_, store) = try populatedStore()
        try tamper(store.path, "UPDATE entries SET seq = seq + 137438953472 WHERE seq = 3")
        let r = try VerifyTests().verifyBoth(store.path)
        #expect(r.firstBadSeq == 3)
        #expect(r.problems.map(\.code).contains("entry_missing"))
    }

    /// A damaged page in the middle of entries: both verifiers check every row SQLite could read and
    /// put `store_corrupt` at the first one it cannot (temoin said 1, having not yet checked the rows
    /// it had read; the reference verifier one less, Python's sqlite3 having read one row ahead).
    @Test func corruptionMidChainStandsAtTheFirstRowThatCannotBeRead() throws {
        let (_, store) = try populatedStore()
        let importer = try Importer(store: store)
        for day in 1...10 {
            let at = try #require(TimeFormat.parse(String(format: "2026-10-%02dT09:15", day)))
            _ = try importer.importFile(Fixtures.page("rdv-creneau-aucun.html"), options: ImportOptions(observedAt: at))
        }
        try tamper(store.path, "PRAGMA wal_checkpoint(TRUNCATE)")
        let pageSize = try DatabaseQueue(path: store.path).read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") }
        var file = try Data(contentsOf: URL(fileURLWithPath: store.path))
        let at = try #require(file.range(of: Data("\"seq\":12,".utf8)))
        let page = at.lowerBound / (pageSize ?? 2048)
        file[page * (pageSize ?? 2048)] = 0xFF  // the page (leaf or overflow) no longer reads
        try file.write(to: URL(fileURLWithPath: store.path))
        let r = try VerifyTests().verifyBoth(store.path)
        #expect(r.problems.map(\.code) == ["store_corrupt"])
        #expect((r.firstBadSeq ?? 0) > 6 && (r.firstBadSeq ?? 99) <= 12, "\(r.problems)")
    }

    /// A capture whose size is text, and a capture digest stored as a BLOB of the same bytes.
    @Test func columnTypesAnAttackerChoseAreReadAsTheFormatSays() throws {
        let (_, a) = try populatedStore()
        try tamper(a.path, "UPDATE captures SET size = 'big' WHERE rowid = 1")
        #expect(try VerifyTests().verifyBoth(a.path).problems.map(\.code).contains("capture_altered"))
        let (_, b) = try populatedStore()
        try tamper(b.path, "UPDATE captures SET digest = CAST(digest AS BLOB), withheld_at = x'ff' WHERE rowid = 1")
        #expect(try VerifyTests().verifyBoth(b.path).verdict == .intact)
        // Compressed capture bytes retyped as TEXT (NUL bytes, invalid UTF-8 and all), entries as
        // BLOBs: the same bytes, so intact for both (temoin read such TEXT as a C string and called
        // the capture altered; tamper-fuzz "retype captures.data").
        let (_, c) = try populatedStore()
        try tamper(
            c.path,
            """
            UPDATE captures SET data = CAST(data AS TEXT), encoding = CAST(encoding AS BLOB);
            UPDATE entries SET body = CAST(body AS BLOB), hash = CAST(hash AS BLOB) WHERE seq % 2 = 0;
            UPDATE meta SET value = CAST(value AS BLOB) WHERE key = 'store_id';
            """)
        #expect(
            try DatabaseQueue(path: c.path).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM captures WHERE instr(data, x'00') > 0") ?? 0
            } > 0, "the fixture's compressed captures hold NUL bytes")
        #expect(try VerifyTests().verifyBoth(c.path).verdict == .intact)
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

/// The bytes of the root page of index or table `name` in the store file, after a checkpoint has put
/// every page in the file itself.
func rootPageBytes(_ path: String, of name: String) throws -> Range<Int> {
    try tamper(path, "PRAGMA wal_checkpoint(TRUNCATE)")
    let (pageSize, root) = try DatabaseQueue(path: path).read { db in
        (
            try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096,
            try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = ?", arguments: [name]) ?? 0
        )
    }
    try #require(root > 1, "\(name) has no root page of its own")
    return (root - 1) * pageSize..<root * pageSize
}
