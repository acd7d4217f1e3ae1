import Crypto
import Foundation
import _CryptoExtras

/// The verdict on one DKIM signature (RFC 6376 §6.1; names as in RFC 8601, `temperror` shown to
/// people as "not checked").
package enum DKIMResult: String, Codable, Sendable, CaseIterable {
    /// The signature verifies with the key published by the signing domain.
    case pass
    /// The signature or the body hash does not match: the message changed after it was signed, or the
    /// key is not the one that signed it.
    case fail
    /// The signature cannot be checked and never will be as it is: malformed, unsupported algorithm,
    /// no key published, key revoked.
    case permerror
    /// Not checked: the key could not be fetched (no network, DNS failure). `temoin step check` can
    /// check it later.
    case notChecked = "not_checked"
    /// The message carries no DKIM signature.
    case none
}

/// Why a signature got its verdict. Each has a sentence in the catalogue (`dkim.reason.<code>`).
package enum DKIMReason: String, Error, Codable, Sendable, CaseIterable {
    /// Not checked: the key was not looked up (`--offline`), or could not be fetched.
    case offline
    case dnsUnavailable = "dns_unavailable"
    /// Checked: why the signature does not verify, or cannot be verified.
    case bodyHashMismatch = "body_hash_mismatch"
    case signatureMismatch = "signature_mismatch"
    case keyNotFound = "key_not_found"
    case keyRevoked = "key_revoked"
    case keyInvalid = "key_invalid"
    case keyTooSmall = "key_too_small"
    case keyTypeMismatch = "key_type_mismatch"
    case hashNotAllowed = "hash_not_allowed"
    case serviceNotEmail = "service_not_email"
    case unsupportedAlgorithm = "unsupported_algorithm"
    case unsupportedCanonicalization = "unsupported_canonicalization"
    case unsupportedVersion = "unsupported_version"
    case malformedSignature = "malformed_signature"
    case fromNotSigned = "from_not_signed"
    case identityMismatch = "identity_mismatch"
    case bodyLengthExceeds = "body_length_exceeds"
}

/// What a DNS lookup of a DKIM key gave, kept in the entry so the verdict can be checked again
/// offline, with the same key, at any later time.
package struct DKIMKeyLookup: Codable, Sendable, Equatable {
    package enum Status: String, Codable, Sendable {
        /// One or more TXT records came back; `record` is the one used.
        case found
        /// The name does not exist (NXDOMAIN) or has no TXT record: no key is published.
        case notFound = "not_found"
        /// No answer (offline, timeout, server failure): nothing can be said.
        case unavailable
        /// temoin was told not to use the network (`--offline`).
        case notAsked = "not_asked"
    }

    /// The name asked: `<selector>._domainkey.<domain>`.
    package var query: String
    package var status: Status
    /// UTC time (docs/FORMAT.md §5) of the answer, tool clock.
    package var fetchedAt: String?
    /// The TXT record as received, its strings concatenated (RFC 6376 §3.6.2.2).
    package var record: String?
    /// The resolver's words when there was no answer.
    package var detail: String?

    package init(query: String, status: Status, fetchedAt: String? = nil, record: String? = nil, detail: String? = nil)
    {
        self.query = query
        self.status = status
        self.fetchedAt = fetchedAt
        self.record = record
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case query, status, record, detail
        case fetchedAt = "fetched_at"
    }
}

/// Fetches DKIM public keys. `DNSKeyResolver` asks DNS; tests and `--offline` use others.
package protocol DKIMKeyResolver: Sendable {
    func lookup(_ query: String) -> DKIMKeyLookup
}

/// The outcome of checking one signature.
package struct DKIMSignatureCheck: Codable, Sendable, Equatable {
    package var domain: String?
    package var selector: String?
    package var algorithm: String?
    /// `header/body` canonicalization, e.g. `relaxed/relaxed`.
    package var canonicalization: String?
    /// The header fields the signature covers, as listed in `h=` (lowercase).
    package var signedHeaders: [String]?
    /// `l=`: only this many bytes of the canonical body are signed.
    package var bodyLength: Int?
    /// `t=` and `x=` as UTC times: the signer's own clock.
    package var signedAt: String?
    package var expiresAt: String?
    package var result: DKIMResult
    package var reason: DKIMReason?
    /// The key lookup used (absent when the signature could not even be read).
    package var key: DKIMKeyLookup?

    enum CodingKeys: String, CodingKey {
        case domain, selector, algorithm, canonicalization, result, reason, key
        case signedHeaders = "signed_headers"
        case bodyLength = "body_length"
        case signedAt = "signed_at"
        case expiresAt = "expires_at"
    }

    /// Whether the signature covers the `Date` field.
    package var coversDate: Bool { signedHeaders?.contains("date") ?? false }
}

/// Verifies the DKIM signatures of a message (RFC 6376 §6.1, RFC 8301 and RFC 8463 algorithms).
///
/// Supported: `rsa-sha256` (RSA keys of 1024 bits or more, PKCS #1 v1.5, swift-crypto's `_RSA`) and
/// `ed25519-sha256` (swift-crypto's Curve25519); `simple` and `relaxed` canonicalization; `l=`.
/// `rsa-sha1` is refused as RFC 8301 requires. Every other algorithm is `permerror`.
package struct DKIMVerifier: Sendable {
    /// At most this many signatures are checked per message (a message with hundreds is an attack).
    package static let maximumSignatures = 10

    package init() {}

    /// Checks every `DKIM-Signature` field of `message`, fetching each key through `resolver`, or
    /// taking it from `knownKeys` (keys kept in an entry, by query name) without any network.
    package func verify(
        _ message: EmailMessage, resolver: DKIMKeyResolver, knownKeys: [String: DKIMKeyLookup] = [:]
    ) -> [DKIMSignatureCheck] {
        let indices = message.fields.indices.filter {
            message.fields[$0].name.caseInsensitiveCompare("DKIM-Signature") == .orderedSame
        }
        return indices.prefix(Self.maximumSignatures).map { index in
            check(message, signatureAt: index, resolver: resolver, knownKeys: knownKeys)
        }
    }

    private func check(
        _ message: EmailMessage, signatureAt index: Int, resolver: DKIMKeyResolver, knownKeys: [String: DKIMKeyLookup]
    ) -> DKIMSignatureCheck {
        let field = message.fields[index]
        var out = DKIMSignatureCheck(result: .permerror)
        let sig: DKIMSignature
        do {
            sig = try DKIMSignature(value: field.value)
        } catch {
            out.reason = error
            return out
        }
        out.domain = sig.domain
        out.selector = sig.selector
        out.algorithm = sig.algorithm
        out.canonicalization = "\(sig.headerCanonicalization)/\(sig.bodyCanonicalization)"
        out.signedHeaders = sig.signedHeaders.map { $0.lowercased() }
        out.bodyLength = sig.bodyLength
        out.signedAt = sig.timestamp.map { TimeFormat.utc(Date(timeIntervalSince1970: Double($0))) }
        out.expiresAt = sig.expiration.map { TimeFormat.utc(Date(timeIntervalSince1970: Double($0))) }

        guard ["rsa-sha256", "ed25519-sha256"].contains(sig.algorithm) else {
            out.reason = .unsupportedAlgorithm
            return out
        }
        let known = ["simple", "relaxed"]
        guard known.contains(sig.headerCanonicalization), known.contains(sig.bodyCanonicalization) else {
            out.reason = .unsupportedCanonicalization
            return out
        }

        let lookup = knownKeys[sig.keyQuery] ?? resolver.lookup(sig.keyQuery)
        out.key = lookup
        switch lookup.status {
        case .found: break
        case .notFound:
            out.reason = .keyNotFound
            return out
        case .unavailable:
            out.result = .notChecked
            out.reason = .dnsUnavailable
            return out
        case .notAsked:
            out.result = .notChecked
            out.reason = .offline
            return out
        }
        let key: DKIMPublicKey
        do {
            key = try DKIMPublicKey(
                record: lookup.record ?? "", algorithm: sig.algorithm, identity: sig.identity,
                domain: sig.domain)
        } catch {
            out.reason = error
            return out
        }

        // Body hash (§3.7): the canonical body, cut to l= bytes when given.
        var body = DKIMCanonicalization.body(message.body, relaxed: sig.bodyCanonicalization == "relaxed")
        if let l = sig.bodyLength {
            guard l <= body.count else {
                out.result = .fail
                out.reason = .bodyLengthExceeds
                return out
            }
            body = Array(body.prefix(l))
        }
        guard Array(SHA256.hash(data: body)) == sig.bodyHash else {
            out.result = .fail
            out.reason = .bodyHashMismatch
            return out
        }

        // Header hash (§5.4.2): for each name of h=, the last field of that name not yet used, counting
        // from the bottom; a name with no field left contributes nothing. Then this signature's own
        // field, its b= value removed, without the final CRLF.
        let relaxed = sig.headerCanonicalization == "relaxed"
        var used = Set<Int>()
        var data: [UInt8] = []
        for name in sig.signedHeaders {
            guard
                let i = message.fields.indices.reversed().first(where: {
                    !used.contains($0) && message.fields[$0].name.caseInsensitiveCompare(name) == .orderedSame
                })
            else { continue }
            used.insert(i)
            data += DKIMCanonicalization.header(message.fields[i].raw, relaxed: relaxed)
        }
        var own = DKIMCanonicalization.header(
            DKIMCanonicalization.removingSignatureValue(message.fields[index].raw), relaxed: relaxed)
        own.removeLast(2)
        data += own
        let digest = SHA256.hash(data: data)

        out.result = key.isValidSignature(sig.signature, digest: digest) ? .pass : .fail
        if out.result == .fail { out.reason = .signatureMismatch }
        return out
    }
}

/// A public key from a DKIM key record (§3.6.1), checked against the signature that wants it.
struct DKIMPublicKey {
    enum Backing {
        case rsa(_RSA.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
    }

    let backing: Backing

    init(record: String, algorithm: String, identity: String?, domain: String) throws(DKIMReason) {
        let tags: [String: String]
        do { tags = try DKIMTags.parse(record) } catch { throw .keyInvalid }
        if let v = tags["v"], v != "DKIM1" { throw .keyInvalid }
        guard let p = tags["p"] else { throw .keyInvalid }
        let material = DKIMTags.stripWhitespace(p)
        if material.isEmpty { throw .keyRevoked }
        if let h = tags["h"],
            !h.split(separator: ":").contains(where: { DKIMTags.stripWhitespace(String($0)) == "sha256" })
        {
            throw .hashNotAllowed
        }
        if let s = tags["s"],
            !s.split(separator: ":").contains(where: {
                ["*", "email"].contains(DKIMTags.stripWhitespace(String($0)))
            })
        {
            throw .serviceNotEmail
        }
        // t=s: the i= domain must be d= exactly, not a subdomain.
        if let t = tags["t"], t.split(separator: ":").contains(where: { DKIMTags.stripWhitespace(String($0)) == "s" }),
            let i = identity, let at = i.lastIndex(of: "@"), i[i.index(after: at)...].lowercased() != domain
        {
            throw .identityMismatch
        }
        let keyType = DKIMTags.stripWhitespace(tags["k"] ?? "rsa").lowercased()
        guard algorithm.hasPrefix(keyType + "-") else { throw .keyTypeMismatch }
        guard let bytes = Data(base64Encoded: material) else { throw .keyInvalid }
        switch keyType {
        case "rsa":
            // RFC 6376 publishes a SubjectPublicKeyInfo; some domains publish the bare RSAPublicKey.
            var failure: DKIMReason = .keyInvalid
            var parsed: _RSA.Signing.PublicKey?
            for der in [[UInt8](bytes), Self.spki(wrapping: [UInt8](bytes))] where parsed == nil {
                do {
                    parsed = try _RSA.Signing.PublicKey(unsafeDERRepresentation: der)
                } catch CryptoKitError.incorrectParameterSize {
                    failure = .keyTooSmall  // RFC 8301: under 1024 bits is never valid
                } catch {}
            }
            guard let parsed else { throw failure }
            backing = .rsa(parsed)
        case "ed25519":
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { throw .keyInvalid }
            backing = .ed25519(key)
        default:
            throw .keyTypeMismatch
        }
    }

    /// rsa-sha256: PKCS #1 v1.5 over the SHA-256 digest. ed25519-sha256 (RFC 8463): PureEdDSA over the
    /// 32 bytes of the SHA-256 digest.
    func isValidSignature(_ signature: [UInt8], digest: SHA256.Digest) -> Bool {
        switch backing {
        case .rsa(let key):
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: digest, padding: .insecurePKCS1v1_5)
        case .ed25519(let key):
            return key.isValidSignature(signature, for: Data(digest))
        }
    }

    /// A SubjectPublicKeyInfo (rsaEncryption, NULL parameters) around a PKCS #1 RSAPublicKey.
    static func spki(wrapping pkcs1: [UInt8]) -> [UInt8] {
        func length(_ n: Int) -> [UInt8] {
            if n < 0x80 { return [UInt8(n)] }
            var bytes: [UInt8] = []
            var v = n
            while v > 0 {
                bytes.insert(UInt8(v & 0xFF), at: 0)
                v >>= 8
            }
            return [0x80 | UInt8(bytes.count)] + bytes
        }
        let algorithm: [UInt8] = [
            0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00,
        ]
        let bitString = [0x03] + length(pkcs1.count + 1) + [0x00] + pkcs1
        let content = algorithm + bitString
        return [0x30] + length(content.count) + content
    }
}
