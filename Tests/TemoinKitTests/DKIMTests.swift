import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// RFC 6376 canonicalization, byte for byte, then signatures made by dkimpy (an independent
/// implementation) checked with keys served by a DNS server on 127.0.0.1.
@Suite struct DKIMCanonicalizationTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// The example of RFC 6376 §3.4.6.
    @Test func theRFCExampleCanonicalizesAsTheRFCSays() throws {
        let example = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n"
        let m = try EmailMessage(Data(("From: a@b.test\r\nDate: Tue, 10 Nov 2026 09:12:44 +0100\r\n" + example).utf8))
        // The two RFC fields come after our From and Date.
        let a = try #require(m.fields.first { $0.name == "A" })
        let b = try #require(m.fields.first { $0.name == "B" })
        #expect(DKIMCanonicalization.header(a.raw, relaxed: true) == bytes("a:X\r\n"))
        #expect(DKIMCanonicalization.header(b.raw, relaxed: true) == bytes("b:Y Z\r\n"))
        #expect(DKIMCanonicalization.header(a.raw, relaxed: false) == bytes("A: X\r\n"))
        #expect(DKIMCanonicalization.header(b.raw, relaxed: false) == bytes("B : Y\t\r\n\tZ  \r\n"))
        #expect(DKIMCanonicalization.body(m.body, relaxed: true) == bytes(" C\r\nD E\r\n"))
        #expect(DKIMCanonicalization.body(m.body, relaxed: false) == bytes(" C \r\nD \t E\r\n"))
    }

    @Test func emptyAndUnterminatedBodies() {
        #expect(DKIMCanonicalization.body([], relaxed: false) == bytes("\r\n"))
        #expect(DKIMCanonicalization.body([], relaxed: true) == [])
        #expect(DKIMCanonicalization.body(bytes("\r\n\r\n"), relaxed: false) == bytes("\r\n"))
        #expect(DKIMCanonicalization.body(bytes("\r\n \t\r\n"), relaxed: true) == [])
        #expect(DKIMCanonicalization.body(bytes("fin"), relaxed: false) == bytes("fin\r\n"))
        #expect(DKIMCanonicalization.body(bytes("fin  \t"), relaxed: true) == bytes("fin\r\n"))
    }

    @Test func theSignatureValueIsRemovedButNotTheBodyHash() {
        let raw = bytes("DKIM-Signature: v=1; a=rsa-sha256; bh=AAAA;\r\n b=abc\r\n def; s=sel")
        #expect(
            DKIMCanonicalization.removingSignatureValue(raw)
                == bytes("DKIM-Signature: v=1; a=rsa-sha256; bh=AAAA;\r\n b=; s=sel"))
        let last = bytes("DKIM-Signature: v=1; bh=AAAA; b = abc ")
        #expect(DKIMCanonicalization.removingSignatureValue(last) == bytes("DKIM-Signature: v=1; bh=AAAA; b ="))
    }

    @Test func malformedSignaturesArePermanentErrorsWithTheirReason() throws {
        func reason(_ value: String) -> DKIMReason? {
            do {
                _ = try DKIMSignature(value: value)
                return nil
            } catch { return error }
        }
        let ok = "v=1; a=rsa-sha256; d=val-de-marne.test; s=sel; h=from:date; bh=AAAA; b=AAAA"
        #expect(reason(ok) == nil)
        #expect(reason(ok.replacingOccurrences(of: "v=1", with: "v=2")) == .unsupportedVersion)
        #expect(reason(ok.replacingOccurrences(of: "h=from:date", with: "h=subject:date")) == .fromNotSigned)
        #expect(reason(ok + "; d=other.test") == .malformedSignature)
        #expect(reason(ok.replacingOccurrences(of: "s=sel; ", with: "")) == .malformedSignature)
        #expect(reason(ok + "; i=someone@elsewhere.test") == .identityMismatch)
        #expect(reason(ok + "; i=@mail.val-de-marne.test") == nil)
        #expect(reason(ok.replacingOccurrences(of: "s=sel", with: "s=../etc")) == .malformedSignature)
    }
}

@Suite(.enabled(if: DKIMTool.available, DKIMTool.missing)) struct DKIMInteropTests {
    let dir = TempDir()
    static let domain = "val-de-marne.test"

    /// Signs the prefecture's automatic reply with a new key; returns the message and the key's record.
    func signed(
        algorithm: String, canonicalization: String, selector: String = "s2026", length: Bool = false,
        headers: [String]? = nil
    ) throws -> (message: Data, record: String, path: String) {
        let kind = algorithm.hasPrefix("ed25519") ? "ed25519" : "rsa"
        let (key, record) = try DKIMTool.keygen(kind, in: dir, name: "\(selector)-\(UUID().uuidString)")
        let out = dir.file("signed-\(UUID().uuidString).eml")
        try DKIMTool.sign(
            StepFixtures.path("accuse-reception.eml"), to: out, key: key, algorithm: algorithm, selector: selector,
            canonicalization: canonicalization, length: length, headers: headers)
        return (try Data(contentsOf: URL(fileURLWithPath: out)), record, out)
    }

    func check(_ message: Data, zone: [String: String?]) throws -> [DKIMSignatureCheck] {
        let dns = try LocalDNS(zone, dir: dir)
        return DKIMVerifier().verify(try EmailMessage(message), resolver: dns.resolver)
    }

    @Test(
        arguments: ["rsa-sha256", "ed25519-sha256"],
        ["relaxed/relaxed", "simple/simple", "relaxed/simple", "simple/relaxed"])
    func messagesSignedByDkimpyVerify(algorithm: String, canonicalization: String) throws {
        let (message, record, _) = try signed(algorithm: algorithm, canonicalization: canonicalization)
        let checks = try check(message, zone: ["s2026._domainkey.\(Self.domain)": record])
        try #require(checks.count == 1)
        #expect(checks[0].result == .pass, "\(checks[0])")
        #expect(checks[0].reason == nil)
        #expect(checks[0].domain == Self.domain && checks[0].selector == "s2026")
        #expect(checks[0].algorithm == algorithm && checks[0].canonicalization == canonicalization)
        #expect(checks[0].coversDate)
        #expect(checks[0].key?.status == .found && checks[0].key?.record == record)
    }

    @Test func aChangedBodyFailsOnItsHash() throws {
        let (message, record, _) = try signed(algorithm: "rsa-sha256", canonicalization: "relaxed/relaxed")
        let text = String(decoding: message, as: UTF8.self).replacingOccurrences(of: "9 novembre", with: "19 novembre")
        let checks = try check(Data(text.utf8), zone: ["s2026._domainkey.\(Self.domain)": record])
        #expect(checks.map(\.result) == [.fail])
        #expect(checks.first?.reason == .bodyHashMismatch)
    }

    @Test func aChangedSignedHeaderFailsOnTheSignature() throws {
        let (message, record, _) = try signed(algorithm: "ed25519-sha256", canonicalization: "simple/simple")
        let text = String(decoding: message, as: UTF8.self).replacingOccurrences(
            of: "Date: Tue, 10 Nov 2026 09:12:44 +0100", with: "Date: Tue, 3 Nov 2026 09:12:44 +0100")
        let checks = try check(Data(text.utf8), zone: ["s2026._domainkey.\(Self.domain)": record])
        #expect(checks.map(\.result) == [.fail])
        #expect(checks.first?.reason == .signatureMismatch)
    }

    @Test func relaxedCanonicalizationForgivesRefoldingButNotNewWords() throws {
        let (message, record, _) = try signed(algorithm: "rsa-sha256", canonicalization: "relaxed/relaxed")
        let zone = ["s2026._domainkey.\(Self.domain)": record]
        let text = String(decoding: message, as: UTF8.self)
        // A relay that refolds a header and changes spacing: still valid under relaxed/relaxed.
        let refolded = text.replacingOccurrences(of: "To: Amina Diallo", with: "TO:   Amina\r\n\tDiallo")
            .replacingOccurrences(of: "délais.  Merci", with: "délais. Merci  ")
        #expect(try check(Data(refolded.utf8), zone: zone).map(\.result) == [.pass])
        let renamed = text.replacingOccurrences(of: "To: Amina Diallo", with: "To: Aminata Diallo")
        #expect(try check(Data(renamed.utf8), zone: zone).map(\.result) == [.fail])
    }

    @Test func aFieldAddedAboveTheSignedOneIsNotPickedFromTheTop() throws {
        // h= picks fields from the bottom: a second Subject added at the top is not the signed one.
        let (message, record, _) = try signed(algorithm: "rsa-sha256", canonicalization: "relaxed/relaxed")
        let added = Data("Subject: Rendez-vous accorde\r\n".utf8) + message
        let checks = try check(added, zone: ["s2026._domainkey.\(Self.domain)": record])
        #expect(checks.map(\.result) == [.pass])
        // What a person is shown is the signed Subject, and the added one is pointed out.
        let facts = StepRecorder.facts(
            try EmailMessage(added), digest: sha256Hex(added), resolver: OfflineKeyResolver(), knownKeys: [:],
            now: Date())
        #expect(facts.subject == "Accusé de réception de votre demande de rendez-vous")
        #expect(facts.repeatedFields == ["Subject"])
        // Added at the bottom instead, it is the one the verifier reads: the signature breaks.
        let text = String(decoding: message, as: UTF8.self)
        let bottom = text.replacingOccurrences(
            of: "MIME-Version: 1.0\r\n", with: "MIME-Version: 1.0\r\nSubject: Rendez-vous accorde\r\n")
        #expect(
            try check(Data(bottom.utf8), zone: ["s2026._domainkey.\(Self.domain)": record]).map(\.result) == [.fail])
    }

    @Test func aWrongKeyFailsOnTheSignature() throws {
        let (message, _, _) = try signed(algorithm: "rsa-sha256", canonicalization: "relaxed/relaxed")
        let (_, other) = try DKIMTool.keygen("rsa", in: dir, name: "other")
        let checks = try check(message, zone: ["s2026._domainkey.\(Self.domain)": other])
        #expect(checks.map(\.result) == [.fail])
        #expect(checks.first?.reason == .signatureMismatch)
        // An Ed25519 key where the signature is RSA: the key's type does not match.
        let (_, ed) = try DKIMTool.keygen("ed25519", in: dir, name: "ed-other")
        let mismatched = try check(message, zone: ["s2026._domainkey.\(Self.domain)": ed])
        #expect(mismatched.map(\.result) == [.permerror] && mismatched.first?.reason == .keyTypeMismatch)
    }

    @Test func rsaSha1IsAnUnsupportedAlgorithm() throws {
        let (message, record, _) = try signed(algorithm: "rsa-sha1", canonicalization: "relaxed/relaxed")
        let checks = try check(message, zone: ["s2026._domainkey.\(Self.domain)": record])
        #expect(checks.map(\.result) == [.permerror])
        #expect(checks.first?.reason == .unsupportedAlgorithm)
        #expect(checks.first?.key == nil, "no key is fetched for an algorithm that cannot be checked")
    }

    @Test func aMissingOrRevokedKeyIsAPermanentErrorAndNoAnswerIsNotChecked() throws {
        let (message, record, _) = try signed(algorithm: "ed25519-sha256", canonicalization: "relaxed/relaxed")
        let missing = try check(message, zone: ["other._domainkey.\(Self.domain)": record])
        #expect(missing.map(\.result) == [.permerror] && missing.first?.reason == .keyNotFound)
        #expect(missing.first?.key?.status == .notFound)
        let revoked = try check(message, zone: ["s2026._domainkey.\(Self.domain)": "v=DKIM1; k=ed25519; p="])
        #expect(revoked.map(\.result) == [.permerror] && revoked.first?.reason == .keyRevoked)
        let failing = try check(message, zone: ["s2026._domainkey.\(Self.domain)": "SERVFAIL"])
        #expect(failing.map(\.result) == [.notChecked] && failing.first?.reason == .dnsUnavailable)
        let down = DNSKeyResolver(server: ("127.0.0.1", deadDNSPort()), timeout: 1, attempts: 1)
        let unreachable = DKIMVerifier().verify(try EmailMessage(message), resolver: down)
        #expect(unreachable.map(\.result) == [.notChecked] && unreachable.first?.reason == .dnsUnavailable)
        let offline = DKIMVerifier().verify(try EmailMessage(message), resolver: OfflineKeyResolver())
        #expect(offline.map(\.result) == [.notChecked] && offline.first?.reason == .offline)
    }

    @Test func theBodyLengthTagSignsOnlyThatMuchAndSaysSo() throws {
        let (message, record, _) = try signed(
            algorithm: "rsa-sha256", canonicalization: "relaxed/relaxed", length: true)
        let zone = ["s2026._domainkey.\(Self.domain)": record]
        let checks = try check(message, zone: zone)
        #expect(checks.map(\.result) == [.pass])
        let length = try #require(checks.first?.bodyLength)
        #expect(length > 100)
        // Text appended after the signed length still verifies: the verdict says how much is signed.
        let appended = message + Data("PS: rendez-vous le 12 novembre.\r\n".utf8)
        #expect(try check(appended, zone: zone).map(\.result) == [.pass])
        // A body cut below l= cannot match.
        let text = String(decoding: message, as: UTF8.self)
        let cut = text.replacingOccurrences(of: "Bureau des étrangers\r\n", with: "")
        let short = try check(Data(cut.utf8), zone: zone)
        #expect(short.map(\.result) == [.fail] && short.first?.reason == .bodyLengthExceeds)
    }

    @Test func aMessageSavedWithBareLineFeedsStillVerifies() throws {
        let (message, record, _) = try signed(algorithm: "rsa-sha256", canonicalization: "simple/simple")
        let lf = Data(String(decoding: message, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").utf8)
        #expect(try check(lf, zone: ["s2026._domainkey.\(Self.domain)": record]).map(\.result) == [.pass])
    }

    @Test func aKeyPublishedAsBareRSAPublicKeyIsRead() throws {
        let (message, record, _) = try signed(algorithm: "rsa-sha256", canonicalization: "relaxed/relaxed")
        // The SubjectPublicKeyInfo's BIT STRING holds the PKCS #1 RSAPublicKey: publish that alone.
        let spki = try #require(Data(base64Encoded: String(record.split(separator: "=", maxSplits: 3).last!)))
        let pkcs1 = spki.suffix(from: spki.startIndex + 24)
        #expect(pkcs1.first == 0x30)
        let bare = "v=DKIM1; k=rsa; p=" + pkcs1.base64EncodedString()
        #expect(try check(message, zone: ["s2026._domainkey.\(Self.domain)": bare]).map(\.result) == [.pass])
    }

    @Test func theKeyKeptFromTheFirstCheckVerifiesOfflineLater() throws {
        let (message, record, _) = try signed(algorithm: "ed25519-sha256", canonicalization: "relaxed/relaxed")
        let first = try check(message, zone: ["s2026._domainkey.\(Self.domain)": record])
        let kept = try #require(first.first?.key)
        let later = DKIMVerifier().verify(
            try EmailMessage(message), resolver: OfflineKeyResolver(), knownKeys: [kept.query: kept])
        #expect(later.map(\.result) == [.pass])
        #expect(later.first?.key == kept)
    }
}
