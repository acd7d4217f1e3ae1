import Foundation
import GRDB
import TestSupport
import Testing

@testable import TemoinKit

/// A store whose last entry (seq 6) is replaced by `body` (`@` the previous hash, `#` its seq), its
/// hash recomputed: what anyone holding the file can do to the last entry.
func storeWithLastBody(_ body: [UInt8]) throws -> (TempDir, Store) {
    let (dir, store) = try populatedStore()
    let prev = Array(try store.entry(seq: 5).hash.utf8)
    var bytes: [UInt8] = []
    for b in body {
        if b == UInt8(ascii: "@") {
            bytes += prev
        } else if b == UInt8(ascii: "#") {
            bytes += Array("6".utf8)
        } else {
            bytes.append(b)
        }
    }
    let data = Data(bytes)
    try tamper(
        store.path, "UPDATE entries SET body = ?, hash = ? WHERE seq = 6", arguments: [data, ChainHash.entry(data)])
    return (dir, store)
}

/// docs/FORMAT.md §6 as settled by issue 19: every point, through both verifiers, on copies tampered in
/// the test.
@Suite struct VerifyStrictnessTests {
    struct Body: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let valid: Bool
        var testDescription: String { name }

        init(_ name: String, _ text: String, valid: Bool) {
            self.name = name
            bytes = Array(text.utf8)
            self.valid = valid
        }

        init(_ name: String, bytes: [UInt8], valid: Bool) {
            self.name = name
            self.bytes = bytes
            self.valid = valid
        }
    }

    static let bodies: [Body] = [
        Body(
            "raw 0xFF in a string", bytes: Array(#"{"prev":"@","seq":#,"x":""#.utf8) + [0xFF] + Array(#""}"#.utf8),
            valid: false),
        Body(
            "CESU-8 surrogate pair",
            bytes: Array(#"{"prev":"@","seq":#,"x":""#.utf8) + [0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80]
                + Array(#""}"#.utf8), valid: false),
        Body(
            "overlong slash", bytes: Array(#"{"prev":"@","seq":#,"x":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8),
            valid: false),
        Body("four-byte UTF-8", #"{"prev":"@","seq":#,"x":"𝄞 é"}"#, valid: true),
        Body("raw tab in a string", "{\"prev\":\"@\",\"seq\":#,\"x\":\"a\tb\"}", valid: false),
        Body("escaped tab", #"{"prev":"@","seq":#,"x":"a\tb"}"#, valid: true),
        Body("raw line feed in a name", "{\"prev\":\"@\",\"seq\":#,\"x\ny\":1}", valid: false),
        Body("byte order mark", "\u{FEFF}{\"prev\":\"@\",\"seq\":#}", valid: false),
        Body("seq 6.0000000000000001", #"{"prev":"@","seq":#.0000000000000001}"#, valid: false),
        Body("seq 60e-1", #"{"prev":"@","seq":60e-1,"type":"attempt"}"#, valid: true),
        Body("seq 0.6E1", #"{"prev":"@","seq":0.6E1}"#, valid: true),
        Body("size 1e19", #"{"captures":[{"digest":"ab","size":1e19}],"prev":"@","seq":#}"#, valid: false),
        Body("size 2.5", #"{"captures":[{"digest":"ab","size":2.5}],"prev":"@","seq":#}"#, valid: false),
        Body(
            "5,000 digits elsewhere", #"{"n":"# + String(repeating: "9", count: 5000) + #","prev":"@","seq":#}"#,
            valid: true),
        Body("exponent of 30 digits", #"{"n":1e999999999999999999999999999999,"prev":"@","seq":#}"#, valid: true),
        Body("zero with a huge exponent", #"{"n":-0.0e99999999999999999999,"prev":"@","seq":#}"#, valid: true),
        Body(
            "nested 64 deep",
            #"{"prev":"@","seq":#,"x":"# + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}",
            valid: true),
        Body(
            "nested 65 deep",
            #"{"prev":"@","seq":#,"x":"# + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}",
            valid: false),
        Body(
            "brackets inside strings do not nest",
            #"{"prev":"@","seq":#,"x":""# + String(repeating: "[", count: 100) + #""}"#, valid: true),
        Body("a second seq of another type", #"{"prev":"@","seq":#,"seq":"x"}"#, valid: true),
        Body("a name escaped to seq", #"{"prev":"@","s\u0065q":#}"#, valid: true),
        Body("an escaped lone surrogate in a name", #"{"prev":"@","seq":#,"\udc00":1}"#, valid: false),
        Body("a surrogate pair escaped", #"{"prev":"@","seq":#,"x":"\ud834\udd1e"}"#, valid: true),
        Body("form feed as whitespace", "{\"prev\":\"@\",\u{0C}\"seq\":#}", valid: false),
        Body("trailing data", #"{"prev":"@","seq":#} x"#, valid: false),
        Body("trailing whitespace", "{\"prev\":\"@\",\"seq\":#}\n\t ", valid: true),
        Body("leading zero", #"{"prev":"@","seq":06}"#, valid: false),
        Body("plus sign", #"{"prev":"@","seq":+6}"#, valid: false),
        Body("Infinity", #"{"prev":"@","seq":#,"x":Infinity}"#, valid: false),
        Body("a number as type", #"{"prev":"@","seq":#,"type":1}"#, valid: false),
    ]

    /// Each rule of §6.4, both ways: the two verifiers agree, and agree with the format.
    @Test(arguments: bodies)
    func everyJSONRuleOfTheFormatIsFollowedByBothVerifiers(_ body: Body) throws {
        let (_, store) = try storeWithLastBody(body.bytes)
        let both = try BothVerifiers.check(store.path)
        // The CAPTCHA page of entry 6 is then referenced by no entry: that stays whatever the body.
        #expect(both.codes.contains("6:body_invalid") == !body.valid, "\(both.codes)")
        #expect(both.codes.filter { $0.hasPrefix("6:") }.allSatisfy { $0 == "6:body_invalid" })
    }

    /// §6.4: a digest referenced under two roles by one entry is one reference of that entry: listed
    /// once among the withheld, reported once when altered.
    @Test func aCaptureReferencedUnderTwoRolesCountsOncePerEntry() throws {
        let (_, store) = try populatedStore()
        let capture = try #require(try store.entry(seq: 6).body?.captures?.first)
        let twice =
            #"{"captures":[{"digest":"\#(capture.digest)","role":"response","size":\#(capture.size)},"#
            + #"{"digest":"\#(capture.digest)","role":"page","size":\#(capture.size)}],"prev":"@","seq":#,"type":"attempt"}"#
        do {
            let (_, copy) = try storeWithLastBody(Array(twice.utf8))
            try tamper(
                copy.path, "UPDATE captures SET data = NULL, withheld_at = '2026-11-20T10:00:00.000Z' WHERE digest = ?",
                arguments: [capture.digest])
            let both = try BothVerifiers.check(copy.path)
            #expect(both.ours.verdict == .intact, "\(both.codes)")
            #expect(both.ours.withheld.map(\.seqs) == [[6]])
        }
        do {
            let (_, copy) = try storeWithLastBody(Array(twice.utf8))
            try tamper(
                copy.path, "UPDATE captures SET data = zeroblob(length(data)) WHERE digest = ?",
                arguments: [capture.digest])
            let both = try BothVerifiers.check(copy.path)
            #expect(both.codes == ["6:capture_altered"])
        }
    }

    struct MetaCase: CustomTestStringConvertible, Sendable {
        let key: String
        let value: String
        let valid: Bool
        var testDescription: String { "\(key) = \(value)" }
    }

    static let metaCases: [MetaCase] = [
        MetaCase(key: "store_id", value: "UPPER", valid: false),
        MetaCase(key: "store_id", value: "{BRACES}", valid: false),
        MetaCase(key: "store_id", value: "urn:uuid:ID", valid: false),
        MetaCase(key: "store_id", value: "ID ", valid: false),
        MetaCase(key: "head_seq", value: "0006", valid: true),
        MetaCase(key: "head_seq", value: "+6", valid: false),
        MetaCase(key: "head_seq", value: "6 ", valid: false),
        MetaCase(key: "head_seq", value: "٦", valid: false),
        MetaCase(key: "format", value: "temoin-store ", valid: false),
    ]

    /// §2 and §6.3: the grammars of `store_id` and `head_seq`, for both verifiers.
    @Test(arguments: metaCases)
    func metaValuesFollowTheirGrammar(_ c: MetaCase) throws {
        let (_, store) = try populatedStore()
        let id = store.storeID
        let value = c.value.replacingOccurrences(of: "UPPER", with: id.uppercased()).replacingOccurrences(
            of: "ID", with: id
        ).replacingOccurrences(of: "BRACES", with: id)
        try tamper(store.path, "UPDATE meta SET value = ? WHERE key = ?", arguments: [value, c.key])
        let both = try BothVerifiers.check(store.path)
        #expect(both.codes.contains("-:meta_invalid") == !c.valid, "\(both.codes)")
    }

    /// §6 "The report": `checked` and `bytes` count the captures found intact, `withheld` those withheld.
    @Test func theCountersCountWhatTheFormatSays() throws {
        let (_, store) = try populatedStore()
        let intact = try BothVerifiers.check(store.path).ours
        #expect(intact.captures.checked == 4)
        let digest = try #require(try store.entry(seq: 3).body?.captures?.first?.digest)
        try tamper(
            store.path, "UPDATE captures SET data = zeroblob(length(data)) WHERE digest = ?", arguments: [digest])
        let altered = try BothVerifiers.check(store.path).ours
        let size = try #require(try store.entry(seq: 3).body?.captures?.first?.size)
        #expect(altered.captures.checked == 3)
        #expect(altered.captures.bytes == intact.captures.bytes - size)
    }

    /// §6.6: bytes removed without a date are a problem at every referencing entry; with a date and no
    /// reason, a withholding.
    @Test func aWithholdingWithoutADateIsReported() throws {
        let (_, store) = try populatedStore()
        let digest = try #require(try store.entry(seq: 2).body?.captures?.first?.digest)
        for (at, undated) in [
            (nil, true), ("hier", true), ("2026-11-20T10:00:00Z", true), ("2026-11-20T10:00:00.000Z", false),
        ]
            as [(String?, Bool)]
        {
            try tamper(
                store.path, "UPDATE captures SET data = NULL, withheld_at = ?, withheld_reason = NULL WHERE digest = ?",
                arguments: [at, digest])
            let both = try BothVerifiers.check(store.path)
            #expect(
                both.codes == (undated ? ["2:withholding_undated", "4:withholding_undated"] : []), "\(at ?? "NULL")")
            #expect(both.ours.withheld.first?.seqs == [2, 4])
        }
    }

    /// §6.6: a byte after the zlib stream is an alteration (libdeflate and Python's zlib both stop at
    /// the stream's end and would otherwise ignore it).
    @Test func bytesAfterAZlibStreamAreAnAlteration() throws {
        let (_, store) = try populatedStore()
        try tamper(
            store.path,
            "UPDATE captures SET data = data || x'00' WHERE rowid = (SELECT min(rowid) FROM captures WHERE encoding = 'zlib')"
        )
        let both = try BothVerifiers.check(store.path)
        #expect(!both.codes.isEmpty && both.codes.allSatisfy { $0.hasSuffix(":capture_altered") }, "\(both.codes)")
    }

    /// §6.2 and §7: after the walk stops, the anchors are not read (an invalid attestation in a store
    /// with a foreign object gives `schema_altered` alone).
    @Test func theAnchorsAreNotReadAfterTheWalkStops() throws {
        let (_, store, out) = try attestationFileForAStore()
        #expect(try temoin(["attestation", "add", out], store: store.path).status == 0)
        try tamper(store.path, "UPDATE attestations SET signature = 'AAAA'")
        #expect(try BothVerifiers.check(store.path).codes == ["\(try store.head()!.seq):attestation_invalid"])
        try tamper(store.path, "CREATE TABLE notes (t TEXT)")
        #expect(try BothVerifiers.check(store.path).codes == ["-:schema_altered"])
    }

    /// §6.8: the head obtained independently, in both verifiers.
    @Test func anExpectedHeadIsAStepOfBothVerifiers() throws {
        let (_, store) = try populatedStore()
        let head = try #require(try store.head())
        let prefix = String(head.hash.prefix(8))
        var both = try BothVerifiers.check(store.path, expectHead: "\(head.seq):\(prefix)")
        #expect(both.ours.verdict == .intact && both.ours.expectedHead?.matches == true)
        // Grouped as temoin shows it, with the display's `#` and `·`.
        both = try BothVerifiers.check(
            store.path, expectHead: "#\(head.seq) · \(head.groupedHash.prefix(19).uppercased())")
        #expect(both.ours.expectedHead?.matches == true)
        // An earlier head still in the chain: matches, with the entries after it counted.
        let earlier = try store.entry(seq: 4)
        both = try BothVerifiers.check(store.path, expectHead: "4:\(earlier.hash.prefix(12))")
        #expect(
            both.ours.expectedHead
                == ExpectedHeadCheck(
                    seq: 4, hashPrefix: String(earlier.hash.prefix(12)), matches: true, entriesAfter: 2))
        #expect((both.theirs["expected_head"] as? [String: Any])?["entries_after"] as? Int == 2)
        // A seq the chain does not have.
        both = try BothVerifiers.check(store.path, expectHead: "9:\(prefix)")
        #expect(both.codes == ["-:head_not_as_expected"])
        // The chain rebuilt whole from entry 3 (each hash recomputed): intact for the chain alone, caught here.
        try rebuildFrom(3, store.path)
        #expect(try BothVerifiers.check(store.path).ours.verdict == .intact)
        both = try BothVerifiers.check(store.path, expectHead: "\(head.seq):\(prefix)")
        #expect(both.codes == ["-:head_not_as_expected"] && both.ours.expectedHead?.matches == false)
        // Not compared when the walk stopped before it.
        try tamper(store.path, "CREATE VIEW v AS SELECT 1")
        both = try BothVerifiers.check(store.path, expectHead: "\(head.seq):\(prefix)")
        #expect(both.codes == ["-:schema_altered"])
        #expect(both.ours.expectedHead?.matches == nil)
    }

    /// A malformed expected head is a bad argument (64) for both, never tampering.
    @Test func aMalformedExpectedHeadIsABadArgument() throws {
        let (_, store) = try populatedStore()
        for bad in ["6", "6:abc", "6:zzzzzzzz", "x:12345678", "6:" + String(repeating: "a", count: 65)] {
            #expect(ExpectedHead(parsing: bad) == nil, "\(bad)")
            #expect(try temoin(["verify", "--expect-head", bad], store: store.path).status == 64, "\(bad)")
            let script = repositoryRoot.appendingPathComponent("docs/verify_reference.py").path
            #expect(
                try run("/usr/bin/env", ["python3", script, store.path, "--expect-head", bad]).status == 64, "\(bad)")
        }
        // Said in the person's language, with what to type.
        let french = try temoin(["verify", "--expect-head", "6:abc", "--lang", "fr"], store: store.path)
        #expect(french.status == 64 && french.stderr.contains("n'est pas une tête"), "\(french.stderr)")
    }

    /// §6 "The report": every member is written, null included; an unreadable file still gets a JSON
    /// report on standard output (exit 2), from both.
    @Test func theJSONReportHasEveryMemberAndUnreadableFilesGetOne() throws {
        let (dir, store) = try populatedStore()
        store.checkpoint()  // as a writing command does when it ends: no entry waits in the -wal
        let cli = try temoin(["verify", "--json"], store: store.path)
        let json = try #require(try JSONSerialization.jsonObject(with: cli.stdoutData) as? [String: Any])
        for member in [
            "verdict", "store_id", "entries", "attempts", "head", "captures", "first_bad_seq", "problems", "withheld",
            "seals", "attestations", "expected_head", "wal", "verifier",
        ] {
            #expect(json.keys.contains(member), "\(member)")
        }
        #expect(json["first_bad_seq"] is NSNull && json["expected_head"] is NSNull && json["wal"] is NSNull)
        let (_, reference) = try referenceVerify(store.path)
        #expect(Set(reference.keys).isSuperset(of: ["verdict", "store_id", "first_bad_seq", "expected_head", "wal"]))
        let text = dir.write("not-a-store.sqlite", "hello")
        let unreadable = try temoin(["verify", "--json", text])
        #expect(unreadable.status == 2)
        let report = try #require(try JSONSerialization.jsonObject(with: unreadable.stdoutData) as? [String: Any])
        #expect(
            report["verdict"] as? String == "unreadable" && report["reason"] is String
                && report["store"] as? String == text)
        let (status, theirs) = try referenceVerify(text)
        #expect(status == 2 && theirs["verdict"] as? String == "unreadable" && theirs["store"] as? String == text)
    }

    /// §1 and §6.9: a writing command leaves the main file complete when it ends, even while another
    /// process keeps the store open (SQLite checkpoints by itself only when the last connection
    /// closes); a copy of the main file alone then has every entry. A `-wal` that does hold entries is
    /// named by both verifiers.
    @Test func theMainFileIsCompleteWhenACommandEndsAndAPendingWALIsNamed() throws {
        let (dir, store) = try populatedStore()  // this process keeps the store open
        let holder = try DatabaseQueue(path: store.path)
        _ = try holder.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM entries") }
        let imported = try temoin(
            ["import", "--observed-at", "2026-10-02T09:00", Fixtures.page("legacy-motifs-val-de-marne.html")],
            store: store.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let copy = dir.file("main-only.sqlite")
        try FileManager.default.copyItem(atPath: store.path, toPath: copy)
        let alone = try BothVerifiers.check(copy)
        #expect(alone.ours.entries == 7 && alone.ours.verdict == .intact)
        try holder.close()

        // A writer that keeps its entries in the WAL (no checkpoint), copied with its -wal.
        let writer = try DatabaseQueue(path: store.path)
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            let prev = try String.fetchOne(db, sql: "SELECT hash FROM entries WHERE seq = 7")!
            let body = Data(#"{"prev":"\#(prev)","seq":8,"type":"attempt"}"#.utf8)
            try db.execute(sql: "INSERT INTO entries VALUES (8, ?, ?)", arguments: [ChainHash.entry(body), body])
            try db.execute(sql: "UPDATE meta SET value = '8' WHERE key = 'head_seq'")
        }
        let pending = dir.file("pending.sqlite")
        try FileManager.default.copyItem(atPath: store.path, toPath: pending)
        try FileManager.default.copyItem(atPath: store.path + "-wal", toPath: pending + "-wal")
        try writer.close()
        let both = try BothVerifiers.check(pending)
        #expect(both.ours.entries == 8 && both.ours.verdict == .intact)
        #expect(both.ours.wal == WALNotice(entriesInMainFile: 7, entriesWithWAL: 8))
        let wal = both.theirs["wal"] as? [String: Any]
        #expect(wal?["entries_in_main_file"] as? Int == 7 && wal?["entries_with_wal"] as? Int == 8)
        let cli = try temoin(["verify"], store: pending)
        #expect(cli.stdout.contains("#8") && cli.stdout.contains("-wal"), "\(cli.stdout)")
    }

    /// The verifier's vocabulary: every code has its explanation in both languages, and `verify` in
    /// French prints no English reason.
    @Test func everyProblemCodeSpeaksBothLanguages() throws {
        for code in ProblemCode.allCases {
            let entry = Messages.shared.catalogue["verify.problem.\(code)"]
            #expect(entry?["en"]?.isEmpty == false && entry?["fr"]?.isEmpty == false, "\(code)")
        }
        #expect(Set(ProblemCode.allCases).count == ProblemCode.allCases.count)
        let (_, store) = try populatedStore()
        try tamper(
            store.path, "UPDATE entries SET hash = '00' WHERE seq = 3; UPDATE meta SET value = 'x' WHERE key = 'format'"
        )
        let fr = try temoin(["verify", "--lang", "fr"], store: store.path)
        #expect(fr.status == 1)
        let problemLines = fr.stdout.split(separator: "\n").filter { $0.hasPrefix("  #") || $0.hasPrefix("  --") }
        #expect(problemLines.count == 3, "\(fr.stdout)")
        for line in problemLines {
            let code = try #require(line.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
            let french = try #require(Messages.shared.catalogue["verify.problem.\(code)"]?["fr"])
            #expect(line.contains(french), "\(line)")
        }
        #expect(!fr.stdout.contains("the stored hash"))
    }
}

extension VerifyStrictnessTests {
    /// The schema is declared once (StoreSchema): the migrations create it, FORMAT.md prints it byte for
    /// byte, the reference verifier holds the same list, and a store temoin makes deviates from none.
    @Test func theSchemaIsDeclaredOnceAndFormatAndReferenceAgree() throws {
        let format = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/FORMAT.md"), encoding: .utf8)
        var statements: [String] = []
        for block in format.components(separatedBy: "```sql\n").dropFirst() {
            let sql = block.components(separatedBy: "\n```")[0]
            statements += sql.components(separatedBy: ";\n").map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
        }
        for table in StoreSchema.tables where table != StoreSchema.grdbMigrations {
            #expect(statements.contains(table.sql), "\(table.name)")
        }
        #expect(format.contains("`\(StoreSchema.grdbMigrations.sql)`"))
        let script =
            "import json, sys\nsys.path.insert(0, sys.argv[1])\nimport verify_reference as VR\n"
            + "print(json.dumps([[n, r, list(i), sql] for n, r, i, sql in VR.SCHEMA]))"
        let r = try run("/usr/bin/env", ["python3", "-c", script, repositoryRoot.appendingPathComponent("docs").path])
        let reference = try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [[Any]])
        #expect(reference.count == StoreSchema.tables.count)
        for (row, table) in zip(reference, StoreSchema.tables) {
            #expect(row[0] as? String == table.name && row[1] as? Bool == table.required)
            #expect(row[2] as? [String] == table.autoindexes && row[3] as? String == table.sql, "\(table.name)")
        }
        let (_, store) = try populatedStore()
        #expect(try store.db.read { db in try StoreSchema.deviations(db) }.isEmpty)
        #expect(
            try store.db.read { db in try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('captures')") }
                == StoreSchema.captures.columns)
    }
}

/// Entries from `from` on re-chained with fresh hashes, the first of them edited: a forger who holds
/// the file.
func rebuildFrom(_ from: Int64, _ path: String) throws {
    let q = try DatabaseQueue(path: path)
    try q.write { db in
        var prev =
            from == 1
            ? nil : try String.fetchOne(db, sql: "SELECT hash FROM entries WHERE seq = ?", arguments: [from - 1])
        let last = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM entries") ?? 0
        for seq in from...last {
            var body = String(
                decoding: try Data.fetchOne(db, sql: "SELECT body FROM entries WHERE seq = ?", arguments: [seq])!,
                as: UTF8.self)
            if seq == from {
                body = body.replacingOccurrences(
                    of: "\"type\":\"attempt\"", with: "\"note\":\"x\",\"type\":\"attempt\"")
            }
            if let p = prev, let r = body.range(of: #""prev":"[0-9a-f]{64}""#, options: .regularExpression) {
                body.replaceSubrange(r, with: "\"prev\":\"\(p)\"")
            }
            let bytes = Data(body.utf8)
            let hash = ChainHash.entry(bytes)
            try db.execute(sql: "UPDATE entries SET body = ?, hash = ? WHERE seq = ?", arguments: [bytes, hash, seq])
            prev = hash
        }
    }
}
