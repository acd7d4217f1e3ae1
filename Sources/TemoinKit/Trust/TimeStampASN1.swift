import Crypto
import Foundation
import SwiftASN1
import X509

/// Object identifiers of RFC 3161 and RFC 5652 that temoin reads or writes.
enum TrustOID {
    static let sha256: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
    static let sha384: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 2]
    static let sha512: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 3]
    static let signedData: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 2]
    static let tstInfo: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 16, 1, 4]
    static let contentType: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 3]
    static let messageDigest: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 4]
    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 1]
    static let sha256WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 11]
    static let sha384WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 12]
    static let sha512WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 13]
    static let ecPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]
    static let ecdsaSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    static let ecdsaSHA384: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 3]
    static let ecdsaSHA512: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 4]
    static let ed25519: ASN1ObjectIdentifier = [1, 3, 101, 112]
}

/// Why a time-stamp token or response could not be read. The text is shown to people.
struct TimeStampParseError: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}

/// An RFC 3161 `TimeStampReq` over a SHA-256 imprint, with a nonce and `certReq` true.
///
/// Invariant: the DER produced is exactly `SEQUENCE { 1, SEQUENCE { SEQUENCE { sha256, NULL }, OCTET STRING
/// imprint }, INTEGER nonce, BOOLEAN TRUE }`, which `openssl ts -query -text` reads back.
struct TimeStampRequest: Sendable {
    let imprint: [UInt8]
    let nonce: Int64

    func derBytes() throws -> [UInt8] {
        var s = DER.Serializer()
        try s.appendConstructedNode(identifier: .sequence) { c in
            try c.serialize(1)
            try c.appendConstructedNode(identifier: .sequence) { c in
                try c.appendConstructedNode(identifier: .sequence) { c in
                    try c.serialize(TrustOID.sha256)
                    try c.serialize(ASN1Null())
                }
                try c.serialize(ASN1OctetString(contentBytes: ArraySlice(imprint)))
            }
            try c.serialize(nonce)
            try c.serialize(true)
        }
        return s.serializedBytes
    }
}

/// What a `TimeStampResp` says, read with swift-asn1 (RFC 3161 §2.4.2, RFC 5652 §5).
struct TimeStampResponse: Sendable {
    /// PKIStatus: 0 granted, 1 granted with modifications, 2 and above refused.
    let status: Int
    let statusText: String?
    let token: TimeStampToken?

    init(der: [UInt8]) throws {
        let root: ASN1Node
        do { root = try DER.parse(der) } catch { throw TimeStampParseError("not DER: \(error)") }
        var status = -1
        var text: String?
        var token: TimeStampToken?
        do {
            try DER.sequence(root, identifier: .sequence) { nodes in
                guard let info = nodes.next() else { throw TimeStampParseError("no PKIStatusInfo") }
                try DER.sequence(info, identifier: .sequence) { inner in
                    guard let s = inner.next() else { throw TimeStampParseError("no status") }
                    status = try Int(derEncoded: s)
                    if let t = inner.next(), t.identifier == .sequence,
                        case .constructed(let strings) = t.content
                    {
                        text = strings.compactMap { try? ASN1UTF8String(derEncoded: $0) }.map(String.init)
                            .joined(separator: "; ")
                    }
                    while inner.next() != nil {}
                }
                if let t = nodes.next() { token = try TimeStampToken(node: t) }
                if nodes.next() != nil { throw TimeStampParseError("data after the TimeStampToken") }
            }
        } catch let error as TimeStampParseError {
            throw error
        } catch {
            throw TimeStampParseError("not a TimeStampResp: \(error)")
        }
        self.status = status
        self.statusText = text
        self.token = token
    }
}

/// A parsed `TSTInfo` (RFC 3161 §2.4.2).
struct TSTInfo: Sendable {
    let policy: String
    let hashAlgorithm: ASN1ObjectIdentifier
    let hashedMessage: [UInt8]
    let serialNumber: [UInt8]
    let genTime: Date
    let genTimeText: String
    /// genTime exactly as encoded (`YYYYMMDDHHMMSS[.f]Z`), for the integer arithmetic of the time rules.
    let genTimeBytes: [UInt8]
    /// nil when absent; the raw integer content bytes otherwise.
    let nonce: [UInt8]?

    init(der: ArraySlice<UInt8>) throws {
        let root = try DER.parse(der)
        var policy = ""
        var alg: ASN1ObjectIdentifier = TrustOID.sha256
        var hashed: [UInt8] = []
        var serial: [UInt8] = []
        var gen = Date(timeIntervalSince1970: 0)
        var genText = ""
        var genBytes: [UInt8] = []
        var nonce: [UInt8]?
        try DER.sequence(root, identifier: .sequence) { nodes in
            guard let v = nodes.next(), try Int(derEncoded: v) == 1 else {
                throw TimeStampParseError("TSTInfo version")
            }
            guard let p = nodes.next() else { throw TimeStampParseError("no policy") }
            policy = try ASN1ObjectIdentifier(derEncoded: p).description
            guard let mi = nodes.next() else { throw TimeStampParseError("no messageImprint") }
            try DER.sequence(mi, identifier: .sequence) { m in
                guard let a = m.next() else { throw TimeStampParseError("no hashAlgorithm") }
                try DER.sequence(a, identifier: .sequence) { ai in
                    guard let oid = ai.next() else { throw TimeStampParseError("no algorithm") }
                    alg = try ASN1ObjectIdentifier(derEncoded: oid)
                    while ai.next() != nil {}
                }
                guard let h = m.next() else { throw TimeStampParseError("no hashedMessage") }
                hashed = Array(try ASN1OctetString(derEncoded: h).bytes)
            }
            guard let s = nodes.next(), case .primitive(let sb) = s.content else {
                throw TimeStampParseError("no serialNumber")
            }
            serial = Array(sb)
            guard let g = nodes.next() else { throw TimeStampParseError("no genTime") }
            if case .primitive(let raw) = g.content { genBytes = Array(raw) }
            let time = try GeneralizedTime(derEncoded: g)
            gen = try Self.date(time)
            genText = TimeFormat.utc(gen)
            while let n = nodes.next() {
                if n.identifier == .integer, case .primitive(let bytes) = n.content { nonce = Array(bytes) }
            }
        }
        self.policy = policy
        hashAlgorithm = alg
        hashedMessage = hashed
        serialNumber = serial
        genTime = gen
        genTimeText = genText
        genTimeBytes = genBytes
        self.nonce = nonce
    }

    static func date(_ t: GeneralizedTime) throws -> Date {
        var c = DateComponents()
        c.year = t.year
        c.month = t.month
        c.day = t.day
        c.hour = t.hours
        c.minute = t.minutes
        c.second = t.seconds
        c.nanosecond = Int(t.fractionalSeconds * 1_000_000_000)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let d = cal.date(from: c) else { throw TimeStampParseError("genTime out of range") }
        return d
    }
}

/// The CMS `SignedData` of a time-stamp token, kept as the parts a verifier needs.
struct TimeStampToken: Sendable {
    /// DER of the whole token (the ContentInfo), as received.
    let der: [UInt8]
    let eContentType: ASN1ObjectIdentifier
    /// DER of the TSTInfo, the signed content.
    let content: ArraySlice<UInt8>
    let certificates: [Certificate]
    let signer: SignerInfo

    struct SignerInfo: Sendable {
        var issuerAndSerial: (issuer: DistinguishedName, serial: Certificate.SerialNumber)?
        var subjectKeyIdentifier: ArraySlice<UInt8>?
        var digestAlgorithm: ASN1ObjectIdentifier
        /// DER of the signed attributes re-tagged as a SET (RFC 5652 §5.4): the bytes signed.
        var signedAttributesDER: [UInt8]?
        var attributes: [(ASN1ObjectIdentifier, [ASN1Node])]
        var signatureAlgorithm: ASN1ObjectIdentifier
        var signature: [UInt8]
    }

    static let tag0 = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
    static let tag1 = ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific)

    init(node: ASN1Node) throws {
        der = Array(node.encodedBytes)
        var eType: ASN1ObjectIdentifier = TrustOID.tstInfo
        var content: ArraySlice<UInt8> = []
        var certs: [Certificate] = []
        // SignedData's digestAlgorithms (RFC 5652 §5.1): the signer's must be among them.
        var digestAlgorithms: [ASN1ObjectIdentifier] = []
        var signers: [SignerInfo] = []
        // Strict on the parts the signature does not cover (versions, tags, the algorithm list, the
        // certificate set): they are still part of the stored seal, and a changed byte there must
        // make the token unreadable, as it does for OpenSSL, not pass unseen.
        try DER.sequence(node, identifier: .sequence) { ci in
            guard let t = ci.next(), try ASN1ObjectIdentifier(derEncoded: t) == TrustOID.signedData else {
                throw TimeStampParseError("the token is not CMS SignedData")
            }
            guard let wrapped = ci.next(), wrapped.identifier == Self.tag0,
                case .constructed(let inner) = wrapped.content
            else { throw TimeStampParseError("no SignedData content") }
            var wrappedNodes = inner.makeIterator()
            guard let sd = wrappedNodes.next(), wrappedNodes.next() == nil, ci.next() == nil else {
                throw TimeStampParseError("the ContentInfo holds more than one SignedData")
            }
            try DER.sequence(sd, identifier: .sequence) { n in
                // RFC 5652 §5.1: version 3 when the content is not id-data.
                guard let v = n.next(), try Int(derEncoded: v) == 3 else {
                    throw TimeStampParseError("SignedData version is not 3")
                }
                guard let algs = n.next(), algs.identifier == .set, case .constructed(let list) = algs.content else {
                    throw TimeStampParseError("no digestAlgorithms SET")
                }
                for a in list { digestAlgorithms.append(try Self.algorithm(a)) }
                guard let encap = n.next() else { throw TimeStampParseError("no encapContentInfo") }
                try DER.sequence(encap, identifier: .sequence) { e in
                    guard let ct = e.next() else { throw TimeStampParseError("no eContentType") }
                    eType = try ASN1ObjectIdentifier(derEncoded: ct)
                    guard let ec = e.next(), ec.identifier == Self.tag0, case .constructed(let c) = ec.content else {
                        throw TimeStampParseError("no eContent")
                    }
                    var octets = c.makeIterator()
                    guard let o = octets.next(), octets.next() == nil, e.next() == nil else {
                        throw TimeStampParseError("eContent is not one OCTET STRING")
                    }
                    content = try ASN1OctetString(derEncoded: o).bytes
                }
                var next = n.next()
                if let c = next, c.identifier == Self.tag0 {
                    guard case .constructed(let list) = c.content else { throw TimeStampParseError("bad certificates") }
                    for cert in list {
                        certs.append(try Certificate(derEncoded: cert))
                        try Self.requireWholeOctetSignature(cert)
                    }
                    next = n.next()
                }
                if let c = next, c.identifier == Self.tag1 { next = n.next() }  // CRLs: not used
                guard let set = next, set.identifier == .set, case .constructed(let list) = set.content else {
                    throw TimeStampParseError("no signerInfos SET")
                }
                for s in list { signers.append(try Self.signerInfo(s)) }
                if n.next() != nil { throw TimeStampParseError("data after signerInfos") }
            }
        }
        guard signers.count == 1 else { throw TimeStampParseError("expected one signer, found \(signers.count)") }
        guard digestAlgorithms.contains(signers[0].digestAlgorithm) else {
            throw TimeStampParseError("the signer's digest algorithm is not among SignedData's digestAlgorithms")
        }
        eContentType = eType
        self.content = content
        certificates = certs
        signer = signers[0]
    }

    private static func signerInfo(_ node: ASN1Node) throws -> SignerInfo {
        var info = SignerInfo(
            digestAlgorithm: TrustOID.sha256, attributes: [], signatureAlgorithm: TrustOID.sha256, signature: [])
        try DER.sequence(node, identifier: .sequence) { n in
            guard let v = n.next() else { throw TimeStampParseError("no SignerInfo version") }
            let version = try Int(derEncoded: v)
            guard let sid = n.next() else { throw TimeStampParseError("no signer identifier") }
            // RFC 5652 §5.3: version 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier.
            if sid.identifier == .sequence, version == 1 {
                try DER.sequence(sid, identifier: .sequence) { s in
                    guard let issuer = s.next(), let serial = s.next(), serial.identifier == .integer,
                        case .primitive(let sb) = serial.content, s.next() == nil
                    else {
                        throw TimeStampParseError("bad issuerAndSerialNumber")
                    }
                    info.issuerAndSerial = (
                        try DistinguishedName(derEncoded: issuer), Certificate.SerialNumber(bytes: sb)
                    )
                }
            } else if sid.identifier == Self.tag0, version == 3, case .primitive(let ski) = sid.content {
                info.subjectKeyIdentifier = ski
            } else {
                throw TimeStampParseError("bad signer identifier or SignerInfo version \(version)")
            }
            guard let da = n.next() else { throw TimeStampParseError("no digestAlgorithm") }
            info.digestAlgorithm = try Self.algorithm(da)
            guard var next = n.next() else { throw TimeStampParseError("no signature algorithm") }
            if next.identifier == Self.tag0 {
                var set = Array(next.encodedBytes)
                set[0] = 0x31  // [0] IMPLICIT SET OF -> SET OF, the form that is signed
                info.signedAttributesDER = set
                if case .constructed(let attrs) = next.content {
                    for a in attrs {
                        try DER.sequence(a, identifier: .sequence) { av in
                            guard let t = av.next(), let values = av.next(), values.identifier == .set,
                                case .constructed(let vs) = values.content, av.next() == nil
                            else { throw TimeStampParseError("bad attribute") }
                            info.attributes.append((try ASN1ObjectIdentifier(derEncoded: t), Array(vs)))
                        }
                    }
                }
                guard let after = n.next() else { throw TimeStampParseError("no signature algorithm") }
                next = after
            }
            info.signatureAlgorithm = try Self.algorithm(next)
            guard let sig = n.next() else { throw TimeStampParseError("no signature") }
            info.signature = Array(try ASN1OctetString(derEncoded: sig).bytes)
            // Unsigned attributes are allowed and not read; nothing may follow them.
            if let u = n.next(), u.identifier != Self.tag1 || n.next() != nil {
                throw TimeStampParseError("data after the signature")
            }
        }
        return info
    }

    /// A certificate's signatureValue is a whole number of octets (RFC 5280 §4.1.1.3 for every
    /// algorithm temoin accepts). swift-certificates reads the octets and ignores the BIT STRING's
    /// count of unused bits, which the CA's signature does not cover: a changed count must not pass.
    private static func requireWholeOctetSignature(_ node: ASN1Node) throws {
        try DER.sequence(node, identifier: .sequence) { n in
            guard n.next() != nil, n.next() != nil, let value = n.next(), n.next() == nil else {
                throw TimeStampParseError("bad certificate")
            }
            guard try ASN1BitString(derEncoded: value).paddingBits == 0 else {
                throw TimeStampParseError("a certificate's signature is not a whole number of octets")
            }
        }
    }

    /// An AlgorithmIdentifier whose parameters are absent or NULL, as for every algorithm temoin
    /// accepts (RFC 5754, RFC 5758, RFC 8419); a named curve is tolerated after `id-ecPublicKey`.
    private static func algorithm(_ node: ASN1Node) throws -> ASN1ObjectIdentifier {
        try DER.sequence(node, identifier: .sequence) { a in
            guard let oidNode = a.next() else { throw TimeStampParseError("empty AlgorithmIdentifier") }
            let oid = try ASN1ObjectIdentifier(derEncoded: oidNode)
            if let parameters = a.next() {
                if oid == TrustOID.ecPublicKey {
                    _ = try ASN1ObjectIdentifier(derEncoded: parameters)
                } else {
                    _ = try ASN1Null(derEncoded: parameters)
                }
            }
            if a.next() != nil { throw TimeStampParseError("bad AlgorithmIdentifier") }
            return oid
        }
    }

    /// The certificate that signed, found by issuer and serial number or by subject key identifier.
    var signerCertificate: Certificate? {
        certificates.first { cert in
            if let (issuer, serial) = signer.issuerAndSerial {
                return cert.issuer == issuer && cert.serialNumber == serial
            }
            if let ski = signer.subjectKeyIdentifier {
                return (try? cert.extensions.subjectKeyIdentifier)?.keyIdentifier == ski
            }
            return false
        }
    }

    /// The signature algorithm in X509's terms. CMS signers often name the key type (`rsaEncryption`,
    /// `id-ecPublicKey`) and the digest separately (RFC 5754); both forms are accepted.
    var signatureAlgorithm: Certificate.SignatureAlgorithm? {
        let d = signer.digestAlgorithm
        switch signer.signatureAlgorithm {
        case TrustOID.sha256WithRSA: return .sha256WithRSAEncryption
        case TrustOID.sha384WithRSA: return .sha384WithRSAEncryption
        case TrustOID.sha512WithRSA: return .sha512WithRSAEncryption
        case TrustOID.ecdsaSHA256: return .ecdsaWithSHA256
        case TrustOID.ecdsaSHA384: return .ecdsaWithSHA384
        case TrustOID.ecdsaSHA512: return .ecdsaWithSHA512
        case TrustOID.ed25519: return .ed25519
        case TrustOID.rsaEncryption:
            return d == TrustOID.sha256
                ? .sha256WithRSAEncryption
                : d == TrustOID.sha384
                    ? .sha384WithRSAEncryption : d == TrustOID.sha512 ? .sha512WithRSAEncryption : nil
        case TrustOID.ecPublicKey:
            return d == TrustOID.sha256
                ? .ecdsaWithSHA256
                : d == TrustOID.sha384 ? .ecdsaWithSHA384 : d == TrustOID.sha512 ? .ecdsaWithSHA512 : nil
        default: return nil
        }
    }

    /// Digest of `bytes` with the signer's digest algorithm (swift-crypto); nil for one we do not know.
    func digest(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        switch signer.digestAlgorithm {
        case TrustOID.sha256: return Array(SHA256.hash(data: bytes))
        case TrustOID.sha384: return Array(SHA384.hash(data: bytes))
        case TrustOID.sha512: return Array(SHA512.hash(data: bytes))
        default: return nil
        }
    }
}
