import Foundation
import GRDB
import TestSupport
import Testing
import X509
import ZIPFoundation

@testable import TemoinKit

/// Seals (RFC 3161 against a TSA made with OpenSSL), attestations, bundles and WARC export.
@Suite(.serialized) struct TrustTests {
    static let tsa: LocalTSA? = try? LocalTSA()

    func localTSA() throws -> LocalTSA { try #require(Self.tsa, "the test TSA (openssl + python3) did not start") }

    func caTrust(_ tsa: LocalTSA) throws -> TSATrust {
        TSATrust(certificates: try TSATrust.readCertificates(tsa.caPEM), sources: [tsa.caPEM])
    }

    /// Rewrites entry `seq` and its stored hash so that the chain verifies again (a careful forger).
    func rewriteLastEntry(_ path: String, seq: Int64) throws {
        let q = try DatabaseQueue(path: path)
        try q.write { db in
            let body = try Data.fetchOne(db, sql: "SELECT body FROM entries WHERE seq = ?", arguments: [seq])!
            let forged = Data(
                String(decoding: body, as: UTF8.self).replacingOccurrences(
                    of: "\"type\":\"attempt\"", with: "\"note\":\"forged\",\"type\":\"attempt\""
                ).utf8)
            #expect(forged != body)
            try db.execute(
                sql: "UPDATE entries SET body = ?, hash = ? WHERE seq = ?",
                arguments: [forged, ChainHash.entry(forged), seq])
        }
    }

    // MARK: Seals

    @Test func aSealFromTheLocalTSAIsStoredVerifiedAndPassesOpenSSL() async throws {
        let tsa = try localTSA()
        let (dir, store) = try populatedStore()
        let head = try #require(try store.head())
        let outcomes = try await offPool { try Sealer(store: store).seal(urls: [tsa.url("good")]) }
        let seal = try #require(outcomes.first?.seal, "\(outcomes.first?.error?.description ?? "")")
        #expect(seal.seq == head.seq && seal.head == head.hash)
        #expect(seal.state == .validUntrusted && seal.signatureValid && !seal.trusted)
        #expect(seal.tsaName?.contains("Test TSA") == true)
        #expect(seal.detail?.contains("no TSA certificate is trusted") == true)
        let gen = try #require(seal.genTime.flatMap(TimeFormat.parseUTC))
        #expect(abs(gen.timeIntervalSinceNow) < 300)
        #expect(abs(try #require(seal.clockOffsetMs)) < 60_000)

        let summary = try await offPool { try store.trustSummary() }
        #expect(summary.seals.count == 1 && summary.attestations.isEmpty && summary.latestValidSeal?.id == seal.id)
        // With the CA as anchor the signer is trusted; with an unrelated CA it is not.
        let trust = try caTrust(tsa)
        let trusted = try await offPool { try store.seals(trust: trust) }
        #expect(trusted.map(\.state) == [.trusted])
        let other = TSATrust(certificates: try TSATrust.readCertificates(tsa.otherCAPEM))
        let untrusted = try await offPool { try store.seals(trust: other) }
        #expect(untrusted.map(\.state) == [.validUntrusted])
        #expect(untrusted.first?.detail?.contains("not trusted") == true)

        // verify: intact, the seal listed; the reference verifier agrees on the binding.
        let path = store.path
        let report = try await offPool { () throws -> VerificationReport in
            var r = try Verifier().verify(path: path)
            try AnchorChecks.extend(&r, path: path, trust: trust, trustedKeys: [])
            return r
        }
        #expect(report.verdict == .intact && report.seals.count == 1 && report.seals[0].trusted)
        let (status, reference) = try referenceVerify(path)
        #expect(status == 0)
        let refSeals = try #require(reference["seals"] as? [[String: Any]])
        #expect(refSeals.count == 1 && refSeals[0]["binds"] as? Bool == true)

        // The stored response, as received, passes OpenSSL's own verification.
        let (seq, storedHead, response) = try store.sealResponse(id: seal.id)
        // A verifier whose clock is years behind sees a token from the future: refused.
        let past = try #require(TimeFormat.parseUTC("2020-01-01T00:00:00.000Z"))
        let future = TokenCheck.check(
            response: [UInt8](response), imprint: try #require(Hex.bytes(head.hash)), nonce: nil, trust: TSATrust(),
            now: past)
        #expect(future.problem?.contains("in the future") == true)
        #expect(seq == head.seq && storedHead == head.hash)
        let file = dir.write("seal.tsr", response)
        let openssl = try run(
            "/usr/bin/env", ["openssl", "ts", "-verify", "-in", file, "-digest", head.hash, "-CAfile", tsa.caPEM])
        #expect(openssl.status == 0, "\(openssl.stderr)")
        #expect(openssl.stdout.contains("Verification: OK"))
        // Against another head OpenSSL refuses it too.
        let wrong = try run(
            "/usr/bin/env",
            [
                "openssl", "ts", "-verify", "-in", file, "-digest", String(repeating: "ab", count: 32), "-CAfile",
                tsa.caPEM,
            ])
        #expect(wrong.status != 0)
    }

    @Test func anRSATSAWhoseSignerNamesTheKeyTypeVerifiesToo() async throws {
        // OpenSSL, like many TSAs, writes rsaEncryption + sha256 rather than sha256WithRSAEncryption.
        let tsa = try localTSA()
        let (_, store) = try populatedStore()
        let trust = try caTrust(tsa)
        let outcomes = try await offPool { try Sealer(store: store).seal(urls: [tsa.url("rsa")], trust: trust) }
        let seal = try #require(outcomes.first?.seal, "\(outcomes.first?.error?.description ?? "")")
        #expect(seal.state == .trusted && seal.tsaName?.contains("Test RSA TSA") == true)
    }

    struct BadTSA: CustomTestStringConvertible, Sendable {
        let path: String
        let reason: String
        var testDescription: String { path }
    }

    static let badTSAs: [BadTSA] = [
        BadTSA(path: "garbage", reason: "not a valid time-stamp response"),
        BadTSA(path: "wrong-imprint", reason: "stamped another hash"),
        BadTSA(path: "wrong-nonce", reason: "nonce is not the one sent"),
        BadTSA(path: "expired", reason: "certificate was not valid at the time it gives"),
        BadTSA(path: "refused", reason: "refused the request (status 2) bad day"),
    ]

    @Test(arguments: badTSAs) func aBadTSAIsRejectedWithAClearReasonAndNothingIsStored(_ bad: BadTSA) async throws {
        let tsa = try localTSA()
        let (_, store) = try populatedStore()
        let before = try store.head()
        let outcomes = try await offPool { try Sealer(store: store).seal(urls: [tsa.url(bad.path)]) }
        #expect(outcomes.count == 1 && outcomes[0].seal == nil)
        let error = try #require(outcomes[0].error)
        #expect(error.description.contains(bad.reason), "\(error.description)")
        #expect(error.description.contains("Nothing was stored"))
        #expect(error.exitCode == 6)
        #expect(try store.seals().isEmpty)
        #expect(try store.head() == before)
    }

    @Test func anUnreachableTSAIsReportedAndOtherTSAsStillSeal() async throws {
        let tsa = try localTSA()
        let (_, store) = try populatedStore()
        let outcomes = try await offPool {
            try Sealer(store: store).seal(urls: ["http://127.0.0.1:9/tsr", tsa.url("good")])
        }
        #expect(outcomes[0].seal == nil)
        #expect(outcomes[0].error?.description.contains("cannot be reached") == true)
        #expect(outcomes[1].seal != nil)
        #expect(try store.seals().count == 1)
        // One seal is enough for `seal take`: the other's failure is said, not its exit status.
        #expect(Sealer.exitStatus(outcomes) == nil)
        #expect(Sealer.exitStatus([outcomes[0]]) == outcomes[0].error?.exitStatus)
        #expect(
            TrustText.sealOutcomes(outcomes) == [
                .problem(try #require(outcomes[0].error?.description)),
                .line(
                    TrustText.sealLine(try #require(outcomes[1].seal))),
            ])
        #expect(TrustText.sealOutcomes(outcomes, json: true).count == 1)
    }

    @Test func aPasswordInATSAAddressIsWarnedAboutFirst() {
        #expect(
            TrustText.credentialsOnCommandLine(["http://127.0.0.1:9/tsr", "https://alice:s3cret@127.0.0.1:8443/tsr"])
                == [.problem(tr("trust.credentials.command_line", ["netrc": TSACredentials.netrcPath()]))])
        #expect(TrustText.credentialsOnCommandLine(["https://127.0.0.1:8443/tsr"]).isEmpty)
    }

    @Test func aSealIsExportedAsReceivedWithTheCommandThatChecksIt() async throws {
        let tsa = try localTSA()
        let (dir, store) = try populatedStore()
        _ = try await offPool { try Sealer(store: store).seal(urls: [tsa.url("good")]) }
        let seal = try #require(try store.seals().first)
        let out = dir.file("sceau.tsr")
        let lines = try store.exportSeal(id: seal.id, to: out)
        let (seq, head, response) = try store.sealResponse(id: seal.id)
        #expect(FileManager.default.contents(atPath: out) == response)
        #expect(
            lines == [
                tr("trust.seal.exported", ["path": out, "seq": String(seq)]),
                "openssl ts -verify -in \(out) -digest \(head) -CAfile TSA_CA.pem",
            ])
        #expect(throws: TemoinError.self) { try store.exportSeal(id: seal.id, to: out) }
    }

    @Test func aChainRewrittenAfterASealIsCaughtByBothVerifiers() async throws {
        let tsa = try localTSA()
        let (_, store) = try populatedStore()
        let head = try #require(try store.head())
        _ = try await offPool { try Sealer(store: store).seal(urls: [tsa.url("good")]) }
        // Entry 5 is "no slot": rewrite it and every hash after it, as a careful forger would.
        let q = try DatabaseQueue(path: store.path)
        try await q.write { db in
            var prev: String?
            for seq in Int64(5)...head.seq {
                var body = String(
                    decoding: try Data.fetchOne(db, sql: "SELECT body FROM entries WHERE seq = ?", arguments: [seq])!,
                    as: UTF8.self)
                if seq == 5 {
                    body = body.replacingOccurrences(of: "\"outcome\":\"no_slot\"", with: "\"outcome\":\"unexpected\"")
                }
                if let p = prev, let r = body.range(of: #""prev":"[0-9a-f]{64}""#, options: .regularExpression) {
                    body.replaceSubrange(r, with: "\"prev\":\"\(p)\"")
                }
                let bytes = Data(body.utf8)
                let hash = ChainHash.entry(bytes)
                try db.execute(
                    sql: "UPDATE entries SET body = ?, hash = ? WHERE seq = ?", arguments: [bytes, hash, seq])
                prev = hash
            }
        }
        let chainOnly = try Verifier().verify(path: store.path)
        #expect(chainOnly.verdict == .intact, "the rewritten chain verifies on its own: that is the gap seals close")
        let path = store.path
        let report = try await offPool { () throws -> VerificationReport in
            var r = try Verifier().verify(path: path)
            try AnchorChecks.extend(&r, path: path, trust: TSATrust(), trustedKeys: [])
            return r
        }
        #expect(report.verdict == .tampered)
        #expect(report.problems.map(\.code) == ["seal_mismatch"])
        #expect(report.firstBadSeq == head.seq)
        #expect(report.problems.first?.reason.contains("rewritten after the seal") == true)
        let (status, reference) = try referenceVerify(path)
        #expect(status == 1)
        let codes = (reference["problems"] as? [[String: Any]] ?? []).map { $0["code"] as? String }
        #expect(codes == ["seal_mismatch"])
    }

    /// Every byte of a stored response counts, the parts outside the signature included (versions,
    /// tags, the digest algorithm list, the signer's identifier): a flipped bit anywhere makes the
    /// seal invalid or no longer trusted. The one exception is the PKIStatus outside the token, where
    /// granted (0) and granted with modifications (1) are both a grant (RFC 3161 §2.4.2).
    @Test func everyByteOfASealResponseCountsButThePKIStatus() async throws {
        let tsa = try localTSA()
        let (_, store) = try populatedStore()
        let outcomes = try await offPool { try Sealer(store: store).seal(urls: [tsa.url("good")]) }
        let seal = try #require(outcomes.first?.seal)
        let (_, head, response) = try store.sealResponse(id: seal.id)
        let bytes = [UInt8](response)
        let imprint = try #require(Hex.bytes(head))
        let trust = try caTrust(tsa)
        let original = TokenCheck.check(response: bytes, imprint: imprint, nonce: nil, trust: trust)
        #expect(original.signatureValid && original.trusted)
        // SEQUENCE { SEQUENCE { INTEGER status ...: the status byte after both headers.
        let outer = bytes[1] & 0x80 == 0 ? 2 : 2 + Int(bytes[1] & 0x7F)
        #expect(bytes[0] == 0x30 && bytes[outer] == 0x30 && bytes[outer + 2] == 0x02 && bytes[outer + 3] == 0x01)
        let statusByte = outer + 4
        let checked = try await offPool { () -> [Int] in
            var passed: [Int] = []
            for i in bytes.indices {
                var flipped = bytes
                flipped[i] ^= 0x01
                let c = TokenCheck.check(response: flipped, imprint: imprint, nonce: nil, trust: trust)
                if c.signatureValid && c.trusted { passed.append(i) }
            }
            return passed
        }
        #expect(checked == [statusByte])

        // The TSA certificate's signature BIT STRING claiming one unused bit (its last bit cleared to
        // keep the DER valid): swift-certificates reads the same octets, so only the strict read
        // refuses it. Deterministic, unlike the sweep above, which meets it when that bit is 0.
        let outerAlgorithm: [UInt8] = [0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02, 0x03]
        let at = try #require(bytes.firstRange(of: outerAlgorithm), "the certificate's ecdsa-with-SHA256 signature")
        let bitString = at.upperBound - 1
        var padded = bytes
        padded[bitString + 2] = 1
        padded[bitString + 1 + Int(bytes[bitString + 1])] &= 0xFE
        let refused = TokenCheck.check(response: padded, imprint: imprint, nonce: nil, trust: trust)
        #expect(!refused.signatureValid && refused.problem?.contains("whole number of octets") == true)
    }

    @Test func aTamperedSealResponseIsInvalid() async throws {
        let tsa = try localTSA()
        let (_, store) = try populatedStore()
        _ = try await offPool { try Sealer(store: store).seal(urls: [tsa.url("good")]) }
        // Flip one byte of the signature (the last bytes of the response).
        try tamper(store.path, "UPDATE seals SET response = substr(response, 1, length(response) - 3) || X'000000'")
        let seals = try await offPool { try store.seals() }
        #expect(seals.map(\.state) == [.invalid])
        #expect(seals.first?.detail?.contains("signature does not verify") == true)
        let path = store.path
        let report = try await offPool { () throws -> VerificationReport in
            var r = try Verifier().verify(path: path)
            try AnchorChecks.extend(&r, path: path, trust: TSATrust(), trustedKeys: [])
            return r
        }
        #expect(report.problems.map(\.code) == ["seal_invalid"])
        // The reference verifier checks the signature too (docs/FORMAT.md §7.1).
        let (status, reference) = try referenceVerify(path)
        #expect(status == 1)
        #expect((reference["problems"] as? [[String: Any]])?.map { $0["code"] as? String } == ["seal_invalid"])
    }

    @Test func sealThroughTheCLI() throws {
        let tsa = try localTSA()
        let (dir, store) = try populatedStore()
        let path = store.path
        let trustDir = dir.file("trust")
        let env = ["TEMOIN_TRUST_DIR": trustDir]
        var r = try temoin(["seal"], store: path, environment: env)
        #expect(r.status == 64)
        #expect(r.stderr.contains("temoin seal tsa add"))
        r = try temoin(["seal", "tsa", "add", tsa.url("good"), "--name", "Local"], store: path, environment: env)
        #expect(r.status == 0)
        r = try temoin(["seal"], store: path, environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("valid signature, signer not trusted"))
        r = try temoin(["seal", "--tsa", tsa.url("garbage")], store: path, environment: env)
        #expect(r.status == 6)
        #expect(r.stderr.contains("not a valid time-stamp response"))
        // Trusting the CA in the trust folder makes verify say so.
        r = try temoin(["seal", "trust", "--add", tsa.caPEM], environment: env)
        #expect(r.status == 0)
        r = try temoin(["verify"], store: path, environment: env)
        #expect(r.status == 0)
        #expect(r.stdout.contains("Seals: 1") && r.stdout.contains("valid, trusted"))
        r = try temoin(["verify", "--json"], store: path, environment: ["TEMOIN_TRUST_DIR": dir.file("none")])
        let json = try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any])
        #expect((json["seals"] as? [[String: Any]])?.first?["state"] as? String == "valid_untrusted")
        r = try temoin(["seal", "export", "1", "--out", dir.file("s.tsr")], store: path)
        #expect(r.status == 0 && r.stdout.contains("openssl ts -verify"))
        r = try temoin(["seal", "--tsa", tsa.url("good"), "--lang", "fr"], store: path, environment: env)
        #expect(r.stdout.contains("valide, de confiance"))
    }

    @Test func sealAutoAfterAnAttemptNeverLosesTheAttempt() throws {
        let tsa = try localTSA()
        let sim = try SimulatorProcess()
        defer { _ = sim.stop() }
        let path = try sim.newStore()
        #expect(try temoin(["seal", "tsa", "add", tsa.url("garbage")], store: path).status == 0)
        var r = try temoin(["attempt", "--seal", "auto"], store: path)
        #expect(r.status == 0)
        #expect(r.stderr.contains("the attempt is recorded, but the seal failed"))
        let store = try Store.open(at: path, readOnly: true)
        #expect(try store.head()?.seq == 2)
        #expect(try store.seals().isEmpty)
        #expect(try temoin(["seal", "tsa", "remove", tsa.url("garbage")], store: path).status == 0)
        #expect(try temoin(["seal", "tsa", "add", tsa.url("good")], store: path).status == 0)
        r = try temoin(["attempt", "--seal", "auto"], store: path)
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        // Sealed just before the attempt (the head was #2) and just after it (#3).
        let seals = try Store.open(at: path, readOnly: true).seals()
        #expect(seals.map(\.seq) == [2, 3])
        // watch seals around each of its attempts too.
        r = try temoin(["watch", "--count", "1", "--seal", "auto"], store: path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("seal 3: #3") && r.stdout.contains("seal 4: #4"))
        #expect(try Store.open(at: path, readOnly: true).seals().map(\.seq) == [2, 3, 3, 4])
    }

    @Test func aStoreFromBeforeSealsIsReadAsIsAndGainsTheTablesWhenWritten() throws {
        let (_, store) = try populatedStore()
        try tamper(
            store.path,
            "DROP TABLE seals; DROP TABLE attestations; DROP TABLE tsa_config; DELETE FROM grdb_migrations WHERE identifier = 'v2-trust'"
        )
        let old = try Store.open(at: store.path, readOnly: true)
        #expect(try old.seals().isEmpty && old.attestations().isEmpty && old.tsas().isEmpty)
        var report = try Verifier().verify(path: store.path)
        try AnchorChecks.extend(&report, path: store.path, trust: TSATrust(), trustedKeys: [])
        #expect(report.verdict == .intact && report.seals.isEmpty)
        #expect(try referenceVerify(store.path).0 == 0)
        let reopened = try Store.open(at: store.path)
        try reopened.addTSA(url: "https://freetsa.org/tsr", name: "FreeTSA")
        #expect(try reopened.tsas().map(\.url) == ["https://freetsa.org/tsr"])
        #expect(try Verifier().verify(path: store.path).verdict == .intact)
    }

    @Test func anAlteredSealTableIsASchemaProblemForBothVerifiers() throws {
        let (_, store) = try populatedStore()
        try tamper(store.path, "ALTER TABLE seals ADD COLUMN forged TEXT")
        var report = try Verifier().verify(path: store.path)
        try AnchorChecks.extend(&report, path: store.path, trust: TSATrust(), trustedKeys: [])
        #expect(report.verdict == .tampered && report.problems.map(\.code) == ["schema_altered"])
        let (status, reference) = try referenceVerify(store.path)
        #expect(status == 1)
        #expect((reference["problems"] as? [[String: Any]])?.map { $0["code"] as? String } == ["schema_altered"])
        // Dropped and renamed columns too, and `verify --json` writes the store-wide problem's seq as
        // null, like the reference verifier (docs/FORMAT.md §6).
        // Listing them is a clear refusal naming the table (it was a raw "column not found").
        for (table, edit) in [
            ("seals", "ALTER TABLE seals DROP COLUMN tsa_url"),
            ("attestations", "ALTER TABLE attestations RENAME COLUMN added_at TO at"),
        ] {
            let (_, other) = try populatedStore()
            try tamper(other.path, edit)
            let list = try temoin([table == "seals" ? "seal" : "attestation", "list"], store: other.path)
            #expect(list.status == 2)
            #expect(list.stderr.contains("its \(table) table does not have the columns"), "\(list.stderr)")
            let cli = try temoin(["verify", "--json"], store: other.path)
            #expect(cli.status == 1)
            let json = try #require(try JSONSerialization.jsonObject(with: cli.stdoutData) as? [String: Any])
            let problems = try #require(json["problems"] as? [[String: Any]])
            #expect(problems.map { $0["code"] as? String } == ["schema_altered"])
            #expect(problems.first?["seq"] is NSNull)
            #expect(try referenceVerify(other.path).0 == 1)
        }
    }

    // MARK: Attestations

    @Test func anAttestationIsWrittenWhereAskedNeverOverAFileAndAttachedOnce() throws {
        let (dir, store) = try populatedStore()
        let key = VolunteerKey.generate()
        let out = dir.file("att.json")
        let (json, lines) = try key.attest(
            storePath: store.path, name: "Marie Dupont", organisation: "La Cimade", trust: TSATrust(), out: out)
        #expect(json.file == out && json.fingerprint == key.fingerprint && !lines.isEmpty)
        #expect(lines.contains { $0.contains(out) })
        #expect(throws: TemoinError.self) {
            try key.attest(
                storePath: store.path, name: "Marie Dupont", organisation: "La Cimade", trust: TSATrust(), out: out)
        }
        var said: [Utterance] = []
        try store.addAttestations(files: [out, out], json: false) { said += $0 }
        #expect(
            said == [
                .line(tr("trust.attestation.added", ["path": out])),
                .line(tr("trust.attestation.already", ["path": out])),
            ])
        var quiet: [Utterance] = []
        try store.addAttestations(files: [out], json: true) { quiet += $0 }
        #expect(quiet.isEmpty)
        #expect(try store.attestations().count == 1)
        #expect(throws: TemoinError.self) {
            try store.addAttestations(files: [dir.file("absente.json")], json: false) { _ in }
        }
    }

    @Test func aVolunteerAttestsAndVerifyChecksTheAttestation() throws {
        let (dir, store) = try populatedStore()
        let key = dir.file("marie.key")
        var r = try temoin(["key", "new", "--out", key])
        #expect(r.status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? NSNumber
        #expect(mode?.int16Value == 0o600)
        #expect(FileManager.default.fileExists(atPath: key + ".pub"))
        #expect(try temoin(["key", "new", "--out", key]).status == 64)  // never overwrites a key
        // OpenSSL reads the key files (standard PKCS #8 and SPKI PEM).
        #expect(try run("/usr/bin/env", ["openssl", "pkey", "-in", key, "-noout"]).status == 0)

        let out = dir.file("att.json")
        r = try temoin([
            "attest", store.path, "--key", key, "--name", "Marie Dupont", "--organisation", "La Cimade", "--out", out,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        r = try temoin(["attestation", "add", out], store: store.path)
        #expect(r.status == 0 && r.stdout.contains("attached"))
        r = try temoin(["attestation", "add", out], store: store.path)
        #expect(r.stdout.contains("already attached"))

        let list = try store.attestations()
        #expect(list.count == 1)
        let a = try #require(list.first)
        #expect(a.name == "Marie Dupont" && a.organisation == "La Cimade" && a.verdict == "intact")
        #expect(a.seq == (try store.head())?.seq && a.state == .validUntrusted)
        let fingerprint = try VolunteerKey.fingerprint(publicKeyFile: key + ".pub")
        #expect(a.keyFingerprint == fingerprint)
        #expect(try store.attestations(trustedKeys: [fingerprint]).first?.state == .trusted)

        r = try temoin(["verify", "--attester-key", key + ".pub"], store: store.path)
        #expect(r.status == 0 && r.stdout.contains("Marie Dupont") && r.stdout.contains("valid, trusted"))

        // The signature verifies with OpenSSL alone, as docs/TRUST.md shows.
        let file = try AttestationFile.read(path: out)
        var message = Data("temoin.attestation.v1".utf8)
        message.append(0)
        message.append(Data(file.statement.utf8))
        let msg = dir.write("msg.bin", message)
        let sig = dir.write("sig.bin", try #require(Data(base64Encoded: file.signature)))
        let openssl = try run(
            "/usr/bin/env",
            ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key + ".pub", "-rawin", "-in", msg, "-sigfile", sig])
        #expect(openssl.status == 0, "\(openssl.stderr)")

        // Both verifiers see the attestation bind to the chain.
        let (status, reference) = try referenceVerify(store.path)
        #expect(status == 0)
        #expect((reference["attestations"] as? [[String: Any]])?.first?["binds"] as? Bool == true)
    }

    @Test func tamperedAttestationsAreRefusedOrDetected() throws {
        let (dir, store, out) = try attestationFileForAStore()
        // An edited file is refused at the door.
        var file = try AttestationFile.read(path: out)
        file.statement = file.statement.replacingOccurrences(of: "Gisti", with: "LDH")
        let edited = dir.write("edited.json", try file.encoded())
        var r = try temoin(["attestation", "add", edited], store: store.path)
        #expect(r.status == 4)
        #expect(r.stderr.contains("signature does not match"))
        // An attestation of another store is refused too.
        let (_, other) = try populatedStore()
        r = try temoin(["attestation", "add", out], store: other.path)
        #expect(r.status == 4 && r.stderr.contains("another store"))

        // Attached, then edited in the database: attestation_invalid.
        #expect(try temoin(["attestation", "add", out], store: store.path).status == 0)
        try tamper(
            store.path,
            "UPDATE attestations SET statement = CAST(replace(CAST(statement AS TEXT), 'Gisti', 'LDH') AS BLOB)")
        var report = try Verifier().verify(path: store.path)
        try AnchorChecks.extend(&report, path: store.path, trust: TSATrust(), trustedKeys: [])
        #expect(report.problems.map(\.code) == ["attestation_invalid"])
        #expect(report.verdict == .tampered)

        // A chain rewritten after a (valid) attestation: attestation_mismatch, for both verifiers.
        try tamper(store.path, "DELETE FROM attestations")
        #expect(try temoin(["attestation", "add", out], store: store.path).status == 0)
        let last = try #require(try store.head()).seq
        try rewriteLastEntry(store.path, seq: last)
        report = try Verifier().verify(path: store.path)
        #expect(report.verdict == .intact)
        try AnchorChecks.extend(&report, path: store.path, trust: TSATrust(), trustedKeys: [])
        #expect(report.problems.map(\.code) == ["attestation_mismatch"])
        #expect(report.firstBadSeq == last)
        let (status, reference) = try referenceVerify(store.path)
        #expect(status == 1)
        #expect((reference["problems"] as? [[String: Any]])?.map { $0["code"] as? String } == ["attestation_mismatch"])
    }

    // MARK: Bundles

    @Test func aBundleVerifiesWholeAndRedacted() throws {
        let (dir, store) = try populatedStore()
        let zip = dir.file("bundle.zip")
        var r = try temoin(["export", "--out", zip], store: store.path)
        #expect(r.status == 0, "\(r.stderr)")
        r = try temoin(["verify", zip])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("INTACT") || r.stdout.contains("intact"))
        #expect(try temoin(["export", "--out", zip], store: store.path).status == 64)  // never overwrites

        let archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .read)
        let names = Set(archive.map(\.path))
        for name in [
            "store.sqlite", "docs/FORMAT.md", "docs/TRUST.md", "verify_reference.py", "README.txt", "MANIFEST.json",
        ] {
            #expect(names.contains(name), "\(name) missing from the bundle")
        }
        // The reference verifier shipped in the bundle verifies the store shipped with it.
        let folder = try BundleReader().extract(zip)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ref = try run(
            "/usr/bin/env",
            [
                "python3", folder.appendingPathComponent("verify_reference.py").path,
                folder.appendingPathComponent("store.sqlite").path,
            ])
        #expect(ref.status == 0, "\(ref.stdout)")
        // The snapshot is a single file (no WAL needed) with every entry.
        let copy = try Verifier().verify(path: folder.appendingPathComponent("store.sqlite").path)
        #expect(copy.entries == 6 && copy.captures.checked == 4)

        let redacted = dir.file("redacted.zip")
        r = try temoin(["export", "--out", redacted, "--redact", "--json"], store: store.path)
        #expect(r.status == 0)
        r = try temoin(["verify", redacted, "--json"])
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any])
        #expect(json["verdict"] as? String == "intact")
        #expect((json["withheld"] as? [Any])?.count == 4)
        // The bytes are really gone from the redacted copy (not merely unlinked), and the original keeps them.
        let rfolder = try BundleReader().extract(redacted)
        defer { try? FileManager.default.removeItem(at: rfolder) }
        let copyPath = rfolder.appendingPathComponent("store.sqlite").path
        let stored = try DatabaseQueue(path: store.path).read { db in
            try Data.fetchAll(db, sql: "SELECT data FROM captures WHERE data IS NOT NULL")
        }
        #expect(stored.count == 4)
        let raw = try Data(contentsOf: URL(fileURLWithPath: copyPath))
        for blob in stored { #expect(raw.range(of: blob.prefix(64)) == nil) }
        let remaining = try DatabaseQueue(path: copyPath).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM captures WHERE data IS NOT NULL")
        }
        #expect(remaining == 0)
        #expect(try store.captureBytes(digest: sha256Hex(try Fixtures.data("rdv-creneau-aucun.html"))) != nil)
    }

    /// Builds a zip holding the given members (path, bytes), or a symlink for a nil body.
    func makeZip(_ path: String, _ members: [(String, Data?)]) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, data) in members {
            if let data {
                try archive.addEntry(
                    with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                    provider: { pos, size in data.subdata(in: Int(pos)..<Int(pos) + size) })
            } else {
                let target = Data("/etc/passwd".utf8)
                try archive.addEntry(
                    with: name, type: .symlink, uncompressedSize: Int64(target.count),
                    provider: { pos, size in target.subdata(in: Int(pos)..<Int(pos) + size) })
            }
        }
    }

    @Test func unsafeOrTamperedBundlesAreRefusedOrDetected() throws {
        let (dir, store) = try populatedStore()
        let cases: [(String, [(String, Data?)], String)] = [
            ("slip.zip", [("../evil.txt", Data("x".utf8))], "outside the extraction folder"),
            ("absolute.zip", [("/tmp/evil.txt", Data("x".utf8))], "absolute path"),
            ("link.zip", [("store.sqlite", nil)], "symbolic link"),
            ("bomb.zip", [("store.sqlite", Data(count: 50_000_000))], "zip bomb"),
        ]
        for (name, members, reason) in cases {
            let zip = dir.file(name)
            try makeZip(zip, members)
            let r = try temoin(["verify", zip])
            #expect(r.status == 4, "\(name): \(r.stderr)")
            #expect(r.stderr.contains(reason), "\(name): \(r.stderr)")
        }
        #expect(
            !FileManager.default.fileExists(
                atPath: dir.url.deletingLastPathComponent().appendingPathComponent("evil.txt").path))
        // Size limits, shown with small ones (the defaults are 4 GB a member, 8 GB in all).
        let fine = dir.file("fine.zip")
        try makeZip(fine, [("a.txt", Data(repeating: 65, count: 600)), ("b.txt", Data(repeating: 66, count: 600))])
        #expect(throws: TemoinError.self) { try BundleReader(maxMemberBytes: 500).extract(fine) }
        do {
            _ = try BundleReader(maxMemberBytes: 1000, maxTotalBytes: 1000).extract(fine)
            Issue.record("a bundle over the total limit was extracted")
        } catch let error as TemoinError {
            #expect(error.description.contains("too large") && error.exitCode == 4)
        }
        let ok = try BundleReader(maxMemberBytes: 1000, maxTotalBytes: 2000).extract(fine)
        #expect(try Data(contentsOf: ok.appendingPathComponent("b.txt")) == Data(repeating: 66, count: 600))
        try? FileManager.default.removeItem(at: ok)
        // A member whose headers understate its size (50,000 bytes declared as 100) is caught while inflating.
        let liar = dir.file("liar.zip")
        try makeZip(liar, [("store.sqlite", Data(repeating: 65, count: 50_000))])
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: liar)))
        func patch(_ at: Int) {
            for i in 0..<4 { bytes[at + i] = i == 0 ? 100 : 0 }
        }
        patch(22)  // local file header: uncompressed size
        let central = try #require(
            (0..<bytes.count - 4).first { bytes[$0..<$0 + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]) })
        patch(central + 24)  // central directory: uncompressed size
        try Data(bytes).write(to: URL(fileURLWithPath: liar))
        let lying = try temoin(["verify", liar])
        #expect(lying.status == 4)
        #expect(
            lying.stderr.contains("inflates to more than its declared size"),
            "\(lying.stderr)")
        let notZip = dir.write("not.zip", Data("PK\u{3}\u{4}garbage".utf8))
        #expect(try temoin(["verify", notZip]).status == 4)

        // A bundle whose store was edited after export: the chain says so, and so does the manifest.
        let zip = dir.file("b.zip")
        #expect(try temoin(["export", "--out", zip], store: store.path).status == 0)
        let folder = try BundleReader().extract(zip)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inner = folder.appendingPathComponent("store.sqlite").path
        try tamper(
            inner,
            "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'no_slot', 'slot_available') AS BLOB) WHERE seq = 3"
        )
        try tamper(inner, "PRAGMA journal_mode = DELETE")
        var members: [(String, Data?)] = []
        for e in try Archive(url: URL(fileURLWithPath: zip), accessMode: .read) where e.type == .file {
            members.append((e.path, try Data(contentsOf: folder.appendingPathComponent(e.path))))
        }
        let tampered = dir.file("tampered.zip")
        try makeZip(tampered, members)
        var r = try temoin(["verify", tampered, "--json"])
        #expect(r.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any])
        let codes = Set((json["problems"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
        #expect(codes == ["hash_mismatch", "bundle_altered"])
        #expect(json["first_bad_seq"] as? Int == 3)
        // Only the README changed: the manifest catches it.
        let original = try BundleReader().extract(zip)
        defer { try? FileManager.default.removeItem(at: original) }
        members = members.map {
            (
                $0.0,
                $0.0 == "README.txt"
                    ? Data("Tout est en ordre.".utf8) : try? Data(contentsOf: original.appendingPathComponent($0.0))
            )
        }
        let readme = dir.file("readme.zip")
        try makeZip(readme, members)
        r = try temoin(["verify", readme])
        #expect(r.status == 1)
        #expect(r.stdout.contains("README.txt differs from the bundle's manifest"), "\(r.stdout)")
    }

    @Test func theBundledDocsAreTheRepositoryDocs() throws {
        for name in ["FORMAT.md", "TRUST.md", "verify_reference.py"] {
            let shipped = try #require(BundleExporter.resource(name))
            let docs = repositoryRoot.appendingPathComponent("docs/\(name)")
            #expect(try Data(contentsOf: shipped) == Data(contentsOf: docs), "run make bundle-docs: \(name) differs")
        }
    }

    // MARK: WARC

    static let warcio = repositoryRoot.appendingPathComponent(".venv-tools/bin/warcio").path

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: warcio),
            "warcio missing: run `make tools` (make test does)"))
    func theWARCExportPassesWarcioCheck() throws {
        let sim = try SimulatorProcess()
        defer { _ = sim.stop() }
        let dir = TempDir()
        let path = try sim.newStore()
        #expect(try temoin(["attempt"], store: path).status == 0)
        #expect(
            try temoin(["attempt", "--url", sim.baseURL + "/scenario/gzip/booking/create/4963/0"], store: path).status
                == 0)
        #expect(
            try temoin(
                ["import", Fixtures.page("rdv-creneau-aucun.html"), "--observed-at", "2026-11-20T09:15"], store: path
            ).status == 0)
        let warc = dir.file("out.warc.gz")
        let r = try temoin(["export", "--warc", warc, "--json"], store: path)
        #expect(r.status == 0, "\(r.stderr)")
        let check = try run(Self.warcio, ["check", "-v", warc])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("digest pass"))
        #expect(!check.stdout.contains("digest fail"))

        // warcio reads back every record: types, links, addresses, and the page exactly as received.
        let index = try run(
            Self.warcio,
            ["index", "-f", "warc-type,warc-target-uri,warc-ip-address,warc-concurrent-to,warc-record-id", warc])
        let records = index.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]
        }
        #expect(records.first?["warc-type"] == "warcinfo")
        let responses = records.filter { $0["warc-type"] == "response" }
        let requests = records.filter { $0["warc-type"] == "request" }
        #expect(responses.count >= 6 && responses.count == requests.count)
        #expect(responses.allSatisfy { $0["warc-ip-address"] == "127.0.0.1" })
        let responseIDs = Set(responses.compactMap { $0["warc-record-id"] })
        #expect(requests.allSatisfy { responseIDs.contains($0["warc-concurrent-to"] ?? "") })
        #expect(records.filter { $0["warc-type"] == "resource" }.count == 1)
        // Each record is its own gzip member: the file is a concatenation warcio reads record by record.
        let extract = try run(
            "/usr/bin/env",
            [
                "python3", "-c",
                """
                import sys
                from warcio.archiveiterator import ArchiveIterator
                n = 0
                with open(sys.argv[1], 'rb') as f:
                    it = ArchiveIterator(f)
                    for rec in it:
                        n += 1
                        if rec.rec_type == 'resource':
                            sys.stdout.buffer.write(rec.content_stream().read())
                """, warc,
            ], environment: ["PYTHONPATH": try warcioSitePackages()])
        #expect(extract.status == 0, "\(extract.stderr)")
        #expect(extract.stdoutData == (try Fixtures.data("rdv-creneau-aucun.html")))
    }

    func warcioSitePackages() throws -> String {
        let lib = repositoryRoot.appendingPathComponent(".venv-tools/lib")
        let python = try #require(
            try FileManager.default.contentsOfDirectory(atPath: lib.path).first { $0.hasPrefix("python") })
        return lib.appendingPathComponent(python).appendingPathComponent("site-packages").path
    }
}

/// A populated store, a new volunteer key, and the attestation file `temoin attest` wrote with it
/// (Marie, Gisti), not yet added to the store.
func attestationFileForAStore() throws -> (TempDir, Store, String) {
    let (dir, store) = try populatedStore()
    let key = dir.file("k.key")
    #expect(try temoin(["key", "new", "--out", key]).status == 0)
    let out = dir.file("att.json")
    #expect(
        try temoin(["attest", store.path, "--key", key, "--name", "Marie", "--organisation", "Gisti", "--out", out])
            .status == 0)
    return (dir, store, out)
}
