import Foundation
import GRDB
import TestSupport
import Testing

@testable import TemoinKit

@Suite struct VerifyTests {
    /// Verifies with both verifiers and checks they agree on the verdict, the first bad seq and the codes.
    func verifyBoth(_ path: String) throws -> VerificationReport {
        let ours = try Verifier().verify(path: path)
        let (status, theirs) = try referenceVerify(path)
        #expect(status == (ours.verdict == .intact ? 0 : 1), "reference verifier exit \(status)")
        #expect(theirs["verdict"] as? String == ours.verdict.rawValue)
        #expect((theirs["first_bad_seq"] as? NSNumber)?.int64Value == ours.firstBadSeq)
        let theirCodes = ((theirs["problems"] as? [[String: Any]]) ?? []).map {
            "\(($0["seq"] as? NSNumber)?.int64Value.description ?? "-"):\($0["code"] as? String ?? "")"
        }
        let ourCodes = ours.problems.map { "\($0.seq?.description ?? "-"):\($0.code)" }
        #expect(theirCodes == ourCodes)
        #expect((theirs["head"] as? [String: Any])?["hash"] as? String == ours.head?.hash)
        #expect((theirs["withheld"] as? [Any])?.count == ours.withheld.count)
        return ours
    }

    @Test func anUntouchedStoreIsIntactForBothVerifiers() throws {
        let (_, store) = try populatedStore()
        let r = try verifyBoth(store.path)
        #expect(r.verdict == .intact)
        #expect(r.entries == 6 && r.attempts == 5)
        #expect(r.head == (try store.head()))
        #expect(r.captures.checked == 4)  // one page imported twice is stored once
        #expect(r.problems.isEmpty && r.firstBadSeq == nil)
    }

    struct Tampering: CustomTestStringConvertible, Sendable {
        let name: String
        let sql: String
        let firstBad: Int64?
        let codes: Set<ProblemCode>
        var testDescription: String { name }
    }

    static let tamperings: [Tampering] = [
        Tampering(
            name: "edited entry body",
            sql:
                "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'no_slot', 'slot_available') AS BLOB) WHERE seq = 3",
            firstBad: 3, codes: ["hash_mismatch"]),
        Tampering(
            name: "rewritten entry with a fresh hash",
            sql:
                "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), '07:30', '07:31') AS BLOB) WHERE seq = 2; UPDATE entries SET hash = '@' WHERE seq = 2",
            firstBad: 2, codes: ["hash_mismatch", "prev_mismatch"]),
        Tampering(
            name: "deleted entry", sql: "DELETE FROM entries WHERE seq = 4", firstBad: 4,
            codes: ["entry_missing", "prev_mismatch"]),
        Tampering(
            // The CAPTCHA page of entry 6 is then referenced by no entry.
            name: "deleted last entries", sql: "DELETE FROM entries WHERE seq >= 5", firstBad: 5,
            codes: ["entries_truncated", "capture_unreferenced"]),
        Tampering(
            name: "reordered entries",
            sql:
                "UPDATE entries SET seq = 100 WHERE seq = 3; UPDATE entries SET seq = 3 WHERE seq = 4; UPDATE entries SET seq = 4 WHERE seq = 100",
            firstBad: 3, codes: ["seq_mismatch", "prev_mismatch"]),
        Tampering(
            name: "inserted entry",
            sql:
                "INSERT INTO entries SELECT 7, hash, body FROM entries WHERE seq = 6; UPDATE meta SET value = '7' WHERE key = 'head_seq'",
            firstBad: 7, codes: ["seq_mismatch", "prev_mismatch"]),
        Tampering(
            name: "altered capture",
            sql:
                "UPDATE captures SET data = zeroblob(length(data)) WHERE digest = (SELECT digest FROM captures WHERE encoding = 'zlib' LIMIT 1)",
            firstBad: nil, codes: ["capture_altered"]),
        Tampering(
            name: "deleted capture", sql: "DELETE FROM captures WHERE rowid = (SELECT MIN(rowid) FROM captures)",
            firstBad: nil, codes: ["capture_missing"]),
        Tampering(
            name: "capture added outside temoin",
            sql:
                "INSERT INTO captures VALUES ('\(String(repeating: "ab", count: 32))', 1, 'identity', x'00', NULL, NULL)",
            firstBad: nil, codes: ["capture_unreferenced"]),
        Tampering(
            name: "store identity changed",
            sql: "UPDATE meta SET value = '11111111-2222-4333-8444-555555555555' WHERE key = 'store_id'", firstBad: 1,
            codes: ["prev_mismatch"]),
        Tampering(
            name: "schema edited", sql: "ALTER TABLE entries ADD COLUMN comment TEXT", firstBad: nil,
            codes: ["schema_altered"]),
    ]

    @Test(arguments: tamperings)
    func everyKindOfTamperingIsDetectedByBothVerifiers(_ t: Tampering) throws {
        let (_, store) = try populatedStore()
        let sql = t.sql.replacingOccurrences(of: "'@'", with: "'\(String(repeating: "0", count: 64))'")
        try tamper(store.path, sql)
        let r = try verifyBoth(store.path)
        #expect(r.verdict == .tampered)
        #expect(Set(r.problems.map(\.code)) == t.codes, "\(r.problems)")
        if let first = t.firstBad {
            #expect(r.firstBadSeq == first)
        } else if t.codes == ["capture_altered"] || t.codes == ["capture_missing"] {
            #expect(r.firstBadSeq != nil)  // the entries that referenced it
        }
    }

    @Test func aRewrittenEntryWithARecomputedHashBreaksTheNextLink() throws {
        let (_, store) = try populatedStore()
        let e = try store.entry(seq: 3)
        let forged = Data(
            String(decoding: e.bodyBytes, as: UTF8.self).replacingOccurrences(of: "no_slot", with: "slot_available")
                .utf8)
        try tamper(
            store.path, "UPDATE entries SET body = ?, hash = ? WHERE seq = 3",
            arguments: [forged, ChainHash.entry(forged)])
        let r = try verifyBoth(store.path)
        #expect(r.problems.map(\.code) == ["prev_mismatch"])
        #expect(r.firstBadSeq == 4)
    }

    @Test func withheldCapturesAreReportedNotAltered() throws {
        let (_, store) = try populatedStore()
        let digest = try #require(try store.entry(seq: 2).body?.captures?.first?.digest)
        try store.withhold(digest: digest, reason: "vie privée")
        let r = try verifyBoth(store.path)
        #expect(r.verdict == .intact)
        #expect(r.withheld.map(\.digest) == [digest])
        #expect(r.withheld.first?.seqs == [2, 4])
    }

    /// Entries 2 and 4 share a capture: the second reference meets a capture already found intact
    /// (known by its row), or one already found altered.
    @Test func aSharedCaptureIsJudgedForEveryEntryThatReferencesIt() throws {
        do {
            let (_, store) = try populatedStore()
            let digest = try #require(try store.entry(seq: 2).body?.captures?.first?.digest)
            try tamper(
                store.path, "UPDATE captures SET data = zeroblob(length(data)) WHERE digest = ?", arguments: [digest])
            let r = try verifyBoth(store.path)
            #expect(r.problems.map { "\($0.seq ?? 0):\($0.code)" } == ["2:capture_altered", "4:capture_altered"])
        }
        do {
            // Entry 4 gives the shared capture another size, its hash recomputed: the size is wrong at
            // 4, and entry 5 no longer chains to it.
            let (_, store) = try populatedStore()
            let e = try store.entry(seq: 4)
            let size = try #require(e.body?.captures?.first?.size)
            let text = String(decoding: e.bodyBytes, as: UTF8.self)
            #expect(text.contains("\"size\":\(size)"))
            let forged = Data(text.replacingOccurrences(of: "\"size\":\(size)", with: "\"size\":\(size + 1)").utf8)
            try tamper(
                store.path, "UPDATE entries SET body = ?, hash = ? WHERE seq = 4",
                arguments: [forged, ChainHash.entry(forged)])
            let r = try verifyBoth(store.path)
            #expect(r.problems.map { "\($0.seq ?? 0):\($0.code)" } == ["4:capture_altered", "5:prev_mismatch"])
        }
    }

    @Test func anEntryFromAnotherStoreDoesNotVerify() throws {
        let (_, a) = try populatedStore()
        let (_, b) = try populatedStore()
        let foreign = try b.entry(seq: 1)
        try tamper(
            a.path, "UPDATE entries SET body = ?, hash = ? WHERE seq = 1", arguments: [foreign.bodyBytes, foreign.hash])
        let r = try verifyBoth(a.path)
        #expect(r.firstBadSeq == 1)
        #expect(r.problems.map(\.code).contains("prev_mismatch"))
    }

    @Test func unreadableFilesAreNotCalledTampered() throws {
        let dir = TempDir()
        for (name, data) in [("text.sqlite", Data("hello".utf8)), ("empty.sqlite", Data())] {
            let p = dir.write(name, data)
            #expect(throws: TemoinError.self) { try Verifier().verify(path: p) }
            let (status, _) = try referenceVerify(p)
            #expect(status == 2)
        }
        #expect(throws: TemoinError.storeMissing(path: dir.file("none.sqlite"))) {
            try Verifier().verify(path: dir.file("none.sqlite"))
        }
        #expect(try referenceVerify(dir.file("none.sqlite")).0 == 2)
    }

    @Test func bodyEdgeCasesGetTheSameVerdictFromBothVerifiers() throws {
        // Forged last entries (an attacker can always recompute the hash of the last one): both
        // verifiers must read the same JSON the same way.
        let bodies = [
            #"{"prev":"@","seq":6.0,"type":"attempt"}"#, #"{"prev":"@","seq":true}"#,
            #"{"prev":"@","seq":6,"type":null}"#,
            #"{"prev":"@","seq":6,"seq":7}"#, #"{"prev":"@","seq":6,"captures":null}"#, #"[6]"#,
            #"{"prev":"@","seq":6,"x":"\ud800"}"#,
            "\u{FEFF}{\"prev\":\"@\",\"seq\":6}", #"{"prev":"@","seq":6,"captures":[{"digest":"aa","size":"1"}]}"#,
            #"{"prev":"@","seq":6,"v":NaN}"#,
        ]
        for text in bodies {
            let (_, store) = try populatedStore()
            let prev = try store.entry(seq: 5).hash
            let body = Data(text.replacingOccurrences(of: "@", with: prev).utf8)
            try tamper(
                store.path, "UPDATE entries SET body = ?, hash = ? WHERE seq = 6",
                arguments: [body, ChainHash.entry(body)])
            let r = try verifyBoth(store.path)
            // 6.0 is an integral number and a repeated member counts once, first: those two forged
            // entries are valid; every other one is not.
            let valid = text.contains(#""seq":6.0"#) || text.contains(#""seq":6,"seq":7"#)
            #expect(r.firstBadSeq == (valid ? nil : 6), "\(text)")
        }
    }

    @Test func verifyAnswersWithTheReportAndTheStatusItEndsWith() throws {
        let (dir, store) = try makeStore()
        let intact = try Verification(path: store.path).answer(json: false, strictTime: true)
        #expect(intact.exitStatus == .success && intact.error == nil)
        #expect(intact.output == VerifyText.text(try Verification(path: store.path).run()))
        // A page recorded by a clock a month behind, before the case: a failure only with --strict-time.
        let page = Fixtures.page("rdv-creneau-aucun.html")
        let behind = Date().addingTimeInterval(-30 * 86_400)
        let early = ImportOptions(observedAt: behind.addingTimeInterval(-3_600))
        _ = try Importer(store: store).importFile(page, options: early, now: behind)
        #expect(try Verification(path: store.path).answer(json: false, strictTime: false).exitStatus == .success)
        #expect(try Verification(path: store.path).answer(json: true, strictTime: true).exitStatus == .timeProblems)
        try tamper(store.path, "DELETE FROM entries WHERE seq >= 2")
        let tampered = try Verification(path: store.path).answer(json: true, strictTime: false)
        #expect(tampered.exitStatus == .tampered && tampered.output.hasPrefix("{"))
        // A file that is no store: with --json its report is printed and its error said (exit 2).
        let notAStore = dir.write("notes.txt", "pas une base")
        let unreadable = try Verification(path: notAStore).answer(json: true, strictTime: false)
        #expect(unreadable.exitStatus == .storeUnreadable)
        #expect(unreadable.error?.exitStatus == .storeUnreadable)
        #expect(unreadable.output.contains(notAStore))
        #expect(throws: TemoinError.self) { try Verification(path: notAStore).answer(json: false, strictTime: false) }
    }
}
