import Foundation
import TestSupport
import Testing

@testable import TemoinKit

@Suite struct ChainTests {
    // Known answers computed independently with Python's hashlib (see docs/FORMAT.md §3).
    @Test func genesisMatchesTheDocumentedConstruction() {
        #expect(
            ChainHash.genesis(storeID: "00000000-0000-4000-8000-000000000000")
                == "4ef87d6df046ee72eaa18fb5d81420743467dfc6092968caea7c1a57b8856807")
    }

    @Test func entryHashIsDomainSeparatedFromAPlainDigest() {
        let body = Data(#"{"seq":1}"#.utf8)
        #expect(ChainHash.entry(body) == "8445c90609ad794330e808b3bf6c6fe144b720e1a60c82c7bd53a375fd2351f4")
        #expect(ChainHash.entry(body) != sha256Hex(body))
        #expect(sha256Hex(body) == "b41e95c43f388d561b146326d84e3a6b9e31c4ef32ab97c04774c31aada3246a")
    }

    @Test func headIsShownInGroupsOfFour() {
        let head = ChainHead(seq: 42, hash: "4ef87d6df046ee72eaa18fb5d81420743467dfc6092968caea7c1a57b8856807")
        #expect(head.groupedHash.hasPrefix("4ef8 7d6d f046 ee72"))
        #expect(head.groupedHash.split(separator: " ").count == 16)
        #expect(head.display.hasPrefix("#42 · 4ef8"))
        #expect(head.matches(expectation: "42:4ef87d6d"))
        #expect(head.matches(expectation: "42 : 4ef8 7d6d f046"))
        #expect(!head.matches(expectation: "41:4ef87d6d"))
        #expect(!head.matches(expectation: "42:4ef8"))  // too short to mean anything
        #expect(!head.matches(expectation: "42:00000000"))
    }

    @Test func bodiesAreCanonicalSortedCompactUTF8() throws {
        var body = EntryBody(
            seq: 3, prev: String(repeating: "a", count: 64), type: .attempt, recordedAt: "2026-11-22T10:00:00.000Z")
        body.url = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/"
        body.message = "Aucun créneau disponible"
        let text = String(decoding: try body.canonicalBytes(), as: UTF8.self)
        #expect(!text.contains(" \"") && !text.contains(": "))
        #expect(text.contains(#""url":"https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/""#))
        #expect(text.contains("créneau"))
        #expect(!text.contains("null"))
        let keys = try #require(try JSONSerialization.jsonObject(with: body.canonicalBytes()) as? [String: Any]).keys
        #expect(text.hasPrefix(#"{"message""#))
        #expect(keys.count == 8)
    }
}

@Suite struct TimeFormatTests {
    @Test func utcFormIsFixedWidth() {
        let d = Date(timeIntervalSince1970: 1_795_000_000.5)
        let s = TimeFormat.utc(d)
        #expect(s.count == 24 && s.hasSuffix("Z"))
        #expect(TimeFormat.parseUTC(s).map { abs($0.timeIntervalSince(d)) < 0.002 } == true)
    }

    @Test func wallTimesAreReadInParis() throws {
        // 20 November 2026 is winter time: Paris is UTC+1.
        let d = try #require(TimeFormat.parse("2026-11-20T09:15"))
        #expect(TimeFormat.utc(d) == "2026-11-20T08:15:00.000Z")
        #expect(TimeFormat.parisWallTime(d) == "2026-11-20 09:15:00 CET")
        // 20 July is summer time: UTC+2.
        let s = try #require(TimeFormat.parse("2026-07-20 09:15"))
        #expect(TimeFormat.utc(s) == "2026-07-20T07:15:00.000Z")
        #expect(TimeFormat.parse("2026-11-20T09:15:00+01:00") == d)
        #expect(TimeFormat.parse("2026-11-20T08:15Z") == d)
    }

    @Test(arguments: ["20/11/2026", "2026-02-30T10:00", "2026-13-01", "yesterday", "2026-11-20T25:00", ""])
    func invalidDatesAreRefused(_ text: String) {
        #expect(TimeFormat.parse(text) == nil)
    }
}

@Suite struct CaptureCodecTests {
    @Test func compressibleBytesRoundTripThroughZlib() throws {
        let page = Data(String(repeating: "<p>Aucun créneau disponible</p>\n", count: 500).utf8)
        let (encoding, stored) = CaptureCodec.encode(page)
        #expect(encoding == .zlib)
        #expect(stored.count < page.count / 10)
        #expect(CaptureCodec.decode(stored, encoding: "zlib", size: Int64(page.count)) == page)
        // A stream that inflates to another size is damaged, not accepted.
        #expect(CaptureCodec.decode(stored, encoding: "zlib", size: Int64(page.count - 1)) == nil)
        var flipped = stored
        flipped[flipped.count / 2] ^= 0x40
        let back = CaptureCodec.decode(flipped, encoding: "zlib", size: Int64(page.count))
        #expect(back != page)
    }

    @Test func incompressibleBytesAreKeptAsTheyAre() {
        var rng = SystemRandomNumberGenerator()
        let noise = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) })
        let (encoding, stored) = CaptureCodec.encode(noise)
        #expect(encoding == .identity)
        #expect(stored == noise)
        #expect(CaptureCodec.decode(noise, encoding: "identity", size: 4096) == noise)
        #expect(CaptureCodec.decode(noise, encoding: "brotli", size: 4096) == nil)
    }
}
