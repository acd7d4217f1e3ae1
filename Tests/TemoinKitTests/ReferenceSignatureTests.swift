import Foundation
import GRDB
import TestSupport
import Testing

@testable import TemoinKit

/// The reference verifier checks seal and attestation signatures with Python's standard library alone
/// (docs/FORMAT.md §7): it must judge every altered byte as temoin does.
@Suite(.serialized) struct ReferenceSignatureTests {
    static let tsa: LocalTSA? = try? LocalTSA()

    /// Runs `code` (Python, with `verify_reference` imported as VR) with `input` as JSON on stdin, and
    /// decodes its JSON output.
    func python<T: Decodable>(_ code: String, input: [String: Any]) throws -> T {
        let docs = repositoryRoot.appendingPathComponent("docs").path
        let script =
            "import json, sys\nsys.path.insert(0, \(String(reflecting: docs)))\nimport verify_reference as VR\n"
            + "data = json.load(sys.stdin)\n" + code
        let r = try run(
            "/usr/bin/env", ["python3", "-c", script], stdin: try JSONSerialization.data(withJSONObject: input))
        #expect(r.status == 0, "\(r.stderr)")
        return try JSONDecoder().decode(T.self, from: r.stdoutData)
    }

    /// Every byte of a seal's response flipped (low bit, then high bit): the reference verifier and temoin
    /// find the same flips valid, for an ECDSA and an RSA time-stamp authority.
    @Test(arguments: ["good", "rsa"])
    func everyFlippedByteOfASealIsJudgedAlikeByBothVerifiers(_ authority: String) async throws {
        let tsa = try #require(Self.tsa, "the test TSA (openssl + python3) did not start")
        let (_, store) = try populatedStore()
        let outcomes = try await offPool { try Sealer(store: store).seal(urls: [tsa.url(authority)]) }
        let seal = try #require(outcomes.first?.seal)
        let (_, head, response) = try store.sealResponse(id: seal.id)
        let reader = try DatabaseQueue(path: store.path)
        let nonceText = try #require(
            try await reader.read { db in
                try String.fetchOne(db, sql: "SELECT nonce FROM seals WHERE id = ?", arguments: [seal.id])
            })
        let nonce = try #require(Int64(nonceText))
        let bytes = [UInt8](response)
        let imprint = try #require(Hex.bytes(head))
        let ours = try await offPool { () -> [[Int]] in
            var valid: [[Int]] = []
            for flip in [0x01, 0x80] {
                for i in bytes.indices {
                    var changed = bytes
                    changed[i] ^= UInt8(flip)
                    let c = TokenCheck.check(response: changed, imprint: imprint, nonce: nonce, trust: TSATrust())
                    if c.signatureValid && c.problem == nil { valid.append([i, flip]) }
                }
            }
            return valid
        }
        let theirs: [[Int]] = try python(
            """
            import time
            response, head, nonce, now = bytes.fromhex(data["response"]), data["head"], data["nonce"], time.time()
            valid = []
            for flip in (0x01, 0x80):
                for i in range(len(response)):
                    changed = bytearray(response)
                    changed[i] ^= flip
                    try:
                        VR.check_seal(head, nonce, bytes(changed), now)
                        valid.append([i, flip])
                    except VR.SealError:
                        pass
            print(json.dumps(valid))
            """,
            input: ["response": response.map { String(format: "%02x", $0) }.joined(), "head": head, "nonce": nonce])
        #expect(
            theirs == ours,
            "valid for temoin only: \(Set(ours).subtracting(theirs).sorted { $0[0] < $1[0] }), for the reference only: \(Set(theirs).subtracting(ours).sorted { $0[0] < $1[0] })"
        )
        // The untouched seal is valid for both, and so is the flip of PKIStatus granted (0) to granted
        // with modifications (1), which both mean granted.
        #expect(ours.contains { $0[1] == 1 }, "\(ours)")
        let both = try BothVerifiers.check(store.path)
        #expect(both.ours.seals.first?.signatureValid == true)
        #expect((both.theirs["seals"] as? [[String: Any]])?.first?["signature_valid"] as? Bool == true)
    }

    /// Every byte of an attestation's statement and signature flipped: both verifiers agree on which
    /// flips still verify (none, but in the signature's base64 padding none either).
    @Test func everyFlippedByteOfAnAttestationIsJudgedAlikeByBothVerifiers() throws {
        let (_, store, out) = try attestationFileForAStore()
        let file = try AttestationFile.read(path: out)
        let statement = Array(file.statement.utf8)
        let signature = Array(file.signature.utf8)
        var ours: [[Int]] = []
        for (part, bytes) in [(0, statement), (1, signature)] {
            for i in bytes.indices {
                var changed = bytes
                changed[i] ^= 0x01
                let s = part == 0 ? Data(changed) : Data(statement)
                let sig = part == 1 ? String(decoding: changed, as: UTF8.self) : file.signature
                let candidate = AttestationFile(statement: String(decoding: s, as: UTF8.self), signature: sig)
                if let parsed = try? AttestationStatement.parse(s), candidate.signatureIsValid(parsed) {
                    ours.append([part, i])
                }
            }
        }
        let theirs: [[Int]] = try python(
            """
            statement, signature = data["statement"].encode(), data["signature"].encode()
            valid = []
            for part, raw in ((0, statement), (1, signature)):
                for i in range(len(raw)):
                    changed = bytearray(raw)
                    changed[i] ^= 0x01
                    s = bytes(changed) if part == 0 else statement
                    sig = VR.strict_b64(bytes(changed).decode("ascii", "replace") if part == 1 else signature.decode())
                    obj = VR.parse_statement(s)
                    if obj is not None and sig is not None and len(sig) == 64 and VR.ed25519_verify(
                            VR.strict_b64(obj["public_key"]), VR.ATTESTATION_PREFIX + s, sig):
                        valid.append([part, i])
            print(json.dumps(valid))
            """, input: ["statement": file.statement, "signature": file.signature])
        #expect(theirs == ours)
        #expect(ours.isEmpty, "\(ours)")
        #expect(try temoin(["attestation", "add", out], store: store.path).status == 0)
        let both = try BothVerifiers.check(store.path)
        #expect(both.ours.attestations.first?.signatureValid == true)
        #expect((both.theirs["attestations"] as? [[String: Any]])?.first?["signature_valid"] as? Bool == true)
    }

    /// §7.3 through both verifiers: statements edited and signed again with the volunteer's own key.
    @Test func attestationStatementsAreReadAlikeAndATamperedVerdictIsReported() throws {
        let (dir, store) = try populatedStore()
        let key = VolunteerKey.generate()
        let (file, statement, _) = try key.attest(storePath: store.path, name: "Marie", organisation: "Gisti")
        let seq = statement.seq
        func attach(_ text: String) throws {
            let bytes = Data(text.utf8)
            let signature = try key.key.signature(for: AttestationStatement.message(bytes)).base64EncodedString()
            try tamper(store.path, "DELETE FROM attestations")
            try tamper(
                store.path,
                "INSERT INTO attestations (statement, signature, added_at) VALUES (?, ?, '2026-11-20T10:00:00.000Z')",
                arguments: [bytes, signature])
        }
        let cases: [(String, String, [String])] = [
            ("as signed", file.statement, []),
            ("byte order mark", "\u{FEFF}" + file.statement, ["-:attestation_invalid"]),
            (
                "tampered verdict",
                file.statement.replacingOccurrences(of: #""verdict":"intact""#, with: #""verdict":"tampered""#),
                ["\(seq):attestation_tampered"]
            ),
            (
                "no name", file.statement.replacingOccurrences(of: #""name":"Marie","#, with: ""),
                ["-:attestation_invalid"]
            ),
            (
                "seq as 60e-1", file.statement.replacingOccurrences(of: #""seq":\#(seq)"#, with: #""seq":\#(seq)0e-1"#),
                []
            ),
            (
                "v as true", file.statement.replacingOccurrences(of: #""v":1"#, with: #""v":true"#),
                ["-:attestation_invalid"]
            ),
            ("raw tab", file.statement.replacingOccurrences(of: "Marie", with: "Ma\trie"), ["-:attestation_invalid"]),
            (
                "unknown verdict",
                file.statement.replacingOccurrences(of: #""verdict":"intact""#, with: #""verdict":"ok""#),
                ["-:attestation_invalid"]
            ),
        ]
        for (name, text, expected) in cases {
            try attach(text)
            let both = try BothVerifiers.check(store.path)
            #expect(both.codes == expected, "\(name)")
        }
        // A signature that does not verify is reported at the attested seq by both.
        try attach(file.statement)
        let wrong = (file.signature.first == "A" ? "B" : "A") + file.signature.dropFirst()
        try tamper(store.path, "UPDATE attestations SET signature = ?", arguments: [wrong])
        #expect(try BothVerifiers.check(store.path).codes == ["\(seq):attestation_invalid"])
        _ = dir
    }
}
