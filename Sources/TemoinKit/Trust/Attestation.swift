import Crypto
import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a volunteer signs after verifying a store (docs/FORMAT.md §7.3).
///
/// Invariant: the signed bytes are the canonical JSON of this statement (keys sorted, no insignificant
/// whitespace, `/` unescaped, UTF-8), prefixed by `temoin.attestation.v1` and one zero byte. Verifiers
/// keep the statement's bytes as received and never re-serialise them.
package struct AttestationStatement: Codable, Sendable, Equatable {
    package var type = "temoin-attestation"
    package var v = 1
    package var storeID: String
    package var seq: Int64
    package var head: String
    package var attestedAt: String
    package var name: String
    package var organisation: String
    package var verdict: String
    /// The volunteer's Ed25519 public key, base64 of its 32 bytes.
    package var publicKey: String
    package var tool: ToolInfo = .current

    package static let domain = "temoin.attestation.v1"

    enum CodingKeys: String, CodingKey {
        case type, v, seq, head, name, organisation, verdict, tool
        case storeID = "store_id"
        case attestedAt = "attested_at"
        case publicKey = "public_key"
    }

    package func canonicalBytes() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a statement as docs/FORMAT.md §7.3 says: JSON under the rules of §6.4 (strict UTF-8, no
    /// byte order mark…), the first occurrence of each member counting, every member of the table
    /// present with its type (`v` and `seq` integral numbers, the rest strings, `tool` any value),
    /// `type` and `v` as given, `seq` at least 1, `head` 64 lowercase hexadecimal digits, `verdict`
    /// `intact` or `tampered`, `public_key` the canonical base64 of 32 bytes. Members it does not know
    /// are ignored.
    static func parse(_ data: Data) throws -> AttestationStatement {
        let parsed = StrictJSON.read(data) { json -> AttestationStatement? in
            guard json.atObject else { return nil }
            var texts: [String: String?] = [:]
            var numbers: [String: Int64?] = [:]
            var tool: ToolInfo?? = nil
            let textNames: Set<String> = [
                "type", "store_id", "head", "attested_at", "name", "organisation", "verdict", "public_key",
            ]
            try json.object { raw in
                let name = String(decoding: raw, as: UTF8.self)
                if textNames.contains(name), texts[name] == nil {
                    texts[name] = .some(try json.optionalText())
                } else if name == "v" || name == "seq", numbers[name] == nil {
                    numbers[name] = .some(try json.integral())
                } else if name == "tool", tool == nil {
                    tool = .some(try Self.tool(json))
                } else {
                    try json.skipValue()
                }
            }
            func text(_ n: String) -> String? { texts[n] ?? nil }
            guard text("type") == "temoin-attestation", numbers["v"] == .some(1), let seq = numbers["seq"] ?? nil,
                seq >= 1, let storeID = text("store_id"), let head = text("head"), SealCheck.isHash(head),
                let attestedAt = text("attested_at"), let name = text("name"), let organisation = text("organisation"),
                let verdict = text("verdict"), ["intact", "tampered"].contains(verdict),
                let publicKey = text("public_key"), Base64Strict.decode(publicKey)?.count == 32
            else { return nil }
            var s = AttestationStatement(
                storeID: storeID, seq: seq, head: head, attestedAt: attestedAt, name: name, organisation: organisation,
                verdict: verdict, publicKey: publicKey)
            s.tool = (tool ?? nil) ?? ToolInfo(name: "", version: "")
            return s
        }
        guard let statement = parsed ?? nil else { throw TimeStampParseError("not a temoin attestation statement") }
        return statement
    }

    /// `tool` as `{"name","version"}` strings when it is that; any other value is kept as unknown.
    private static func tool(_ json: StrictJSON) throws -> ToolInfo? {
        try json.twoMembers("name", json.optionalText, "version", json.optionalText).map {
            ToolInfo(name: $0, version: $1)
        }
    }

    /// SHA-256 of the raw public key, hex: what a volunteer reads out to be recognised.
    package var keyFingerprint: String {
        guard let raw = Base64Strict.decode(publicKey) else { return "" }
        return sha256Hex(raw)
    }

    static func message(_ statement: Data) -> Data {
        var m = Data(domain.utf8)
        m.append(0)
        m.append(statement)
        return m
    }
}

/// An attestation as exchanged between people: `{"format":"temoin-attestation-v1","signature":…,"statement":…}`,
/// the statement being its canonical JSON as a string, the signature base64 of the 64 Ed25519 bytes.
package struct AttestationFile: Codable, Sendable {
    package var format = "temoin-attestation-v1"
    package var statement: String
    package var signature: String

    init(statement: String, signature: String) {
        self.statement = statement
        self.signature = signature
    }

    package static func read(path: String) throws -> AttestationFile {
        guard FileManager.default.fileExists(atPath: path) else { throw TemoinError.fileMissing(path: path) }
        guard let data = FileManager.default.contents(atPath: path), data.count < 1_000_000,
            let file = try? JSONDecoder().decode(AttestationFile.self, from: data),
            file.format == "temoin-attestation-v1"
        else {
            throw TemoinError.trust(.attestationInvalid(path: path, reason: tr("trust.attestation.unreadable")))
        }
        return file
    }

    package func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return try encoder.encode(self)
    }

    /// §7.2: `signature` is the canonical base64 of 64 bytes, an Ed25519 signature of the domain prefix
    /// and the statement's bytes by the statement's `public_key`.
    func signatureIsValid(_ statement: AttestationStatement) -> Bool {
        guard let raw = Base64Strict.decode(statement.publicKey),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw),
            let sig = Base64Strict.decode(signature), sig.count == 64
        else { return false }
        return key.isValidSignature(sig, for: AttestationStatement.message(Data(self.statement.utf8)))
    }

    /// The statement, once its signature has been checked against the key it names.
    func verifiedStatement(path: String) throws -> AttestationStatement {
        guard let s = try? AttestationStatement.parse(Data(statement.utf8)) else {
            throw TemoinError.trust(.attestationInvalid(path: path, reason: tr("trust.attestation.unreadable")))
        }
        guard signatureIsValid(s) else {
            throw TemoinError.trust(.attestationInvalid(path: path, reason: tr("trust.attestation.bad_signature")))
        }
        return s
    }
}

/// Base64 as the format writes it (RFC 4648 §4, with padding): a text decodes only if encoding its
/// bytes gives the same text again, so no two texts stand for one signature or key.
enum Base64Strict {
    static func decode(_ text: String) -> Data? {
        guard let data = Data(base64Encoded: text), data.base64EncodedString() == text else { return nil }
        return data
    }
}

/// A volunteer's Ed25519 key (swift-crypto), kept as PKCS #8 PEM so `openssl pkey` reads it too.
package struct VolunteerKey: Sendable {
    let key: Curve25519.Signing.PrivateKey

    package var publicKeyBase64: String { key.publicKey.rawRepresentation.base64EncodedString() }
    package var fingerprint: String { sha256Hex(key.publicKey.rawRepresentation) }

    package static func generate() -> VolunteerKey { VolunteerKey(key: Curve25519.Signing.PrivateKey()) }

    /// Writes the private key (mode 0600, refused if anything is at the name, a link included) and
    /// `<path>.pub` (SPKI PEM). Both or neither: a failure (a full disk) removes what was written, so
    /// no empty key file is left to be mistaken for a key; exit 7.
    package func write(to path: String) throws {
        for p in [path, path + ".pub"] where OutputFile.exists(p) {
            throw TemoinError.trust(.outputExists(path: p))
        }
        let pem = try Certificate.PrivateKey(key).serializeAsPEM().pemString + "\n"
        let pub = try Certificate.PublicKey(key.publicKey).serializeAsPEM().pemString + "\n"
        // Created with mode 0600 in one step: the key is never readable by others, not even briefly.
        try OutputFile.create(path, data: Data(pem.utf8), mode: 0o600)
        do { try OutputFile.create(path + ".pub", data: Data(pub.utf8)) } catch {
            unlink(path)
            throw error
        }
    }

    package static func read(path: String) throws -> VolunteerKey {
        guard FileManager.default.fileExists(atPath: path) else { throw TemoinError.fileMissing(path: path) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TemoinError.trust(.keyUnreadable(path: path, detail: tr("trust.detail.not_pem")))
        }
        do {
            let doc = try PEMDocument(pemString: text)
            // PKCS #8 (RFC 8410): SEQUENCE { 0, SEQUENCE { id-Ed25519 }, OCTET STRING { OCTET STRING seed } }
            let seed: [UInt8] = try DER.sequence(try DER.parse(doc.derBytes), identifier: .sequence) { n in
                _ = n.next()
                guard let alg = n.next() else { throw TimeStampParseError("no algorithm") }
                let oid = try DER.sequence(alg, identifier: .sequence) { a in
                    guard let first = a.next() else { throw TimeStampParseError("no algorithm") }
                    while a.next() != nil {}
                    return try ASN1ObjectIdentifier(derEncoded: first)
                }
                guard oid == TrustOID.ed25519, let outer = n.next() else {
                    throw TimeStampParseError("not an Ed25519 key")
                }
                while n.next() != nil {}
                let inner = try ASN1OctetString(derEncoded: outer).bytes
                return Array(try ASN1OctetString(derEncoded: try DER.parse(inner)).bytes)
            }
            return VolunteerKey(key: try Curve25519.Signing.PrivateKey(rawRepresentation: seed))
        } catch {
            throw TemoinError.trust(.keyUnreadable(path: path, detail: tr("trust.detail.not_ed25519")))
        }
    }

    /// Reads a public key file (SPKI PEM written by `temoin key new`) and returns its fingerprint.
    package static func fingerprint(publicKeyFile path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw TemoinError.fileMissing(path: path) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let key = try? Certificate.PublicKey(pemEncoded: text),
            let raw = try? Curve25519.Signing.PublicKey(rawRepresentation: key.subjectPublicKeyInfoBytes)
        else { throw TemoinError.trust(.keyUnreadable(path: path, detail: tr("trust.detail.not_ed25519"))) }
        return sha256Hex(raw.rawRepresentation)
    }

    /// Who signs, as typed: a name and an organisation, neither blank nor holding a line break.
    package static func checkSigner(name: String, organisation: String) throws {
        for (value, field) in [(name, "name"), (organisation, "organisation")]
        where value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw TemoinError.emptyValue(field: field)
        }
        try FieldText.checkLine(name, field: "name")
        try FieldText.checkLine(organisation, field: "organisation")
    }

    /// `temoin attest`: verifies and signs as ``attest(storePath:name:organisation:trust:now:)``, then
    /// writes the attestation to `out`, else to `attestation-<store id>-<seq>.json` in the current folder
    /// (a file already there is never replaced: `OutputFile.create`). Returns its JSON and what is said.
    package func attest(
        storePath: String, name: String, organisation: String, trust: TSATrust, out: String?
    ) throws -> (json: AttestJSON, lines: [String]) {
        let (attestation, statement, report) = try attest(
            storePath: storePath, name: name, organisation: organisation, trust: trust)
        let target = out ?? "attestation-\(statement.storeID.prefix(8))-\(statement.seq).json"
        try OutputFile.create(target, data: try attestation.encoded())
        let json = AttestJSON(file: target, statement: statement, fingerprint: fingerprint)
        return (json, AttestText.lines(report: report, file: target))
    }

    /// Verifies the store or bundle at `storePath` (as `temoin verify` does) and signs what was found.
    package func attest(
        storePath: String, name: String, organisation: String, trust: TSATrust = TSATrust(), now: Date = Date()
    ) throws
        -> (AttestationFile, AttestationStatement, VerificationReport)
    {
        try FieldText.checkLine(name, field: "name")
        try FieldText.checkLine(organisation, field: "organisation")
        // The verdict signed covers the chain and the seals and attestations already attached.
        let report = try Verification(path: storePath, trust: trust).run()
        guard let head = report.head, let storeID = report.storeID else {
            throw TemoinError.notAStore(path: storePath, detail: tr("detail.no_store_id"))
        }
        let statement = AttestationStatement(
            storeID: storeID, seq: head.seq, head: head.hash, attestedAt: TimeFormat.utc(now), name: name,
            organisation: organisation, verdict: report.verdict.rawValue, publicKey: publicKeyBase64)
        let bytes = try statement.canonicalBytes()
        let signature = try key.signature(for: AttestationStatement.message(bytes))
        return (
            AttestationFile(
                statement: String(decoding: bytes, as: UTF8.self), signature: signature.base64EncodedString()),
            statement, report
        )
    }
}
