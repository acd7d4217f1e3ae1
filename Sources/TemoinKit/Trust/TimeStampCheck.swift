import Crypto
import Foundation
import SwiftASN1
import X509

/// Certificates the user trusts as time-stamp authorities (or as their issuing CAs).
///
/// Trust belongs to whoever verifies, never to the store being verified: anchors come from files given
/// on the command line (`--tsa-cert`) and from a folder in the user's configuration
/// (`$TEMOIN_TRUST_DIR`, else `config/tsa-certs` in a portable folder, else
/// `$XDG_CONFIG_HOME/temoin/tsa-certs`, else `~/.config/temoin/tsa-certs`).
public struct TSATrust: Sendable {
    /// The trusted certificates (the TSAs' own, or the CAs that issue them).
    public var certificates: [Certificate]
    /// Where each came from (file paths), for messages.
    public var sources: [String]

    /// Trust in exactly `certificates` (none by default: every seal is then valid at best, never trusted).
    public init(certificates: [Certificate] = [], sources: [String] = []) {
        self.certificates = certificates
        self.sources = sources
    }

    /// The folder of trusted TSA certificates: `$TEMOIN_TRUST_DIR`, else `tsa-certs` in temoin's
    /// configuration folder.
    public static var defaultFolder: String {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["TEMOIN_TRUST_DIR"], !dir.isEmpty { return dir }
        return (configurationFolder(environment: env) as NSString).appendingPathComponent("tsa-certs")
    }

    /// temoin's folder of settings: `config` in a portable folder, else `$XDG_CONFIG_HOME/temoin`, else
    /// `~/.config/temoin`.
    package static func configurationFolder(environment env: [String: String]) -> String {
        // A portable temoin keeps its settings in its own folder, never in the borrowed laptop's.
        if let portable = Installation.current.portableConfigFolder { return portable }
        let config =
            env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".config")
        return (config as NSString).appendingPathComponent("temoin")
    }

    /// Reads every PEM certificate of `files` and of the `.pem`/`.crt` files in `folder` (absent folder: none).
    public static func load(files: [String] = [], folder: String? = TSATrust.defaultFolder) throws -> TSATrust {
        var trust = TSATrust()
        var paths = files
        if let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) {
            paths += names.filter { $0.hasSuffix(".pem") || $0.hasSuffix(".crt") }.sorted().map {
                (folder as NSString).appendingPathComponent($0)
            }
        }
        for path in paths {
            let certs = try readCertificates(path)
            trust.certificates += certs
            trust.sources += Array(repeating: path, count: certs.count)
        }
        return trust
    }

    /// All PEM certificates of a file; refuses a file without one.
    public static func readCertificates(_ path: String) throws -> [Certificate] {
        guard FileManager.default.fileExists(atPath: path) else { throw TemoinError.fileMissing(path: path) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TemoinError.trust(.certificateUnreadable(path: path, detail: tr("trust.detail.not_pem")))
        }
        do {
            let docs = try PEMDocument.parseMultiple(pemString: text)
            let certs = try docs.filter { $0.discriminator == "CERTIFICATE" }.map { try Certificate(pemDocument: $0) }
            if certs.isEmpty {
                throw TemoinError.trust(.certificateUnreadable(path: path, detail: tr("trust.detail.not_pem")))
            }
            return certs
        } catch let error as TemoinError {
            throw error
        } catch {
            throw TemoinError.trust(.certificateUnreadable(path: path, detail: "\(error)"))
        }
    }
}

/// The outcome of checking one stored time-stamp response against the head it claims to seal.
///
/// Invariant: `signatureValid` is true only when the response is granted, its TSTInfo's imprint is the
/// SHA-256 `expectedImprint`, its nonce is the one sent, the CMS signed attributes carry the TSTInfo's
/// content type and digest, the signer's certificate (found in the token) verifies the signature over
/// them, has the critical `timeStamping` extended key usage and was within its validity at genTime.
/// `trusted` additionally requires a chain from that certificate to one of the user's anchors, valid at
/// genTime (RFC 5280, swift-certificates' verifier).
struct TokenCheck: Sendable {
    var signatureValid = false
    var trusted = false
    /// Why the token is invalid (first reason found).
    var problem: String?
    /// Why a valid token is not trusted.
    var trustDetail: String?
    var genTime: String?
    var genDate: Date?
    var tsaName: String?
    var policy: String?
    var serial: String?

    static func nonceBytes(_ nonce: Int64) -> [UInt8] {
        var s = DER.Serializer()
        try? s.serialize(nonce)
        return Array(s.serializedBytes.dropFirst(2))
    }

    /// A genTime later than this past the verifier's clock is refused: no TSA stamps the future.
    static let futureTolerance: TimeInterval = 300

    static func check(
        response: [UInt8], imprint: [UInt8], nonce: Int64?, trust: TSATrust, now: Date = Date()
    ) -> TokenCheck {
        var out = TokenCheck()
        let parsed: TimeStampResponse
        do { parsed = try TimeStampResponse(der: response) } catch {
            out.problem = tr("trust.seal.garbage", ["detail": "\(error)"])
            return out
        }
        guard parsed.status == 0 || parsed.status == 1 else {
            out.problem = tr(
                "trust.seal.refused", ["status": String(parsed.status), "text": parsed.statusText ?? ""])
            return out
        }
        guard let token = parsed.token else {
            out.problem = tr("trust.seal.garbage", ["detail": "granted without a token"])
            return out
        }
        guard token.eContentType == TrustOID.tstInfo else {
            out.problem = tr("trust.seal.garbage", ["detail": "the signed content is not a TSTInfo"])
            return out
        }
        let info: TSTInfo
        do { info = try TSTInfo(der: token.content) } catch {
            out.problem = tr("trust.seal.garbage", ["detail": "TSTInfo: \(error)"])
            return out
        }
        out.genTime = info.genTimeText
        out.genDate = info.genTime
        out.policy = info.policy
        out.serial = info.serialNumber.lowercaseHex
        guard info.hashAlgorithm == TrustOID.sha256, info.hashedMessage == imprint else {
            out.problem = tr(
                "trust.seal.wrong_imprint",
                ["found": info.hashedMessage.lowercaseHex, "expected": imprint.lowercaseHex])
            return out
        }
        if info.genTime.timeIntervalSince(now) > futureTolerance {
            out.problem = tr("trust.seal.future", ["gen": info.genTimeText])
            return out
        }
        if let nonce, info.nonce != nonceBytes(nonce) {
            out.problem = tr("trust.seal.wrong_nonce")
            return out
        }
        guard let cert = token.signerCertificate else {
            out.problem = tr("trust.seal.no_certificate")
            return out
        }
        out.tsaName = cert.subject.description
        // Signed attributes: content type and message digest bind the signature to this TSTInfo.
        guard let signedAttributes = token.signer.signedAttributesDER else {
            out.problem = tr("trust.seal.bad_signature", ["detail": "no signed attributes"])
            return out
        }
        let contentType = token.signer.attributes.first { $0.0 == TrustOID.contentType }?.1.first.flatMap {
            try? ASN1ObjectIdentifier(derEncoded: $0)
        }
        let digestAttr = token.signer.attributes.first { $0.0 == TrustOID.messageDigest }?.1.first.flatMap {
            try? ASN1OctetString(derEncoded: $0)
        }
        guard contentType == TrustOID.tstInfo else {
            out.problem = tr("trust.seal.bad_signature", ["detail": "content-type attribute is not TSTInfo"])
            return out
        }
        guard let computed = token.digest(token.content), let digestAttr, Array(digestAttr.bytes) == computed else {
            out.problem = tr("trust.seal.bad_signature", ["detail": "message digest does not match the TSTInfo"])
            return out
        }
        guard let algorithm = token.signatureAlgorithm else {
            out.problem = tr("trust.seal.bad_signature", ["detail": "unknown signature algorithm"])
            return out
        }
        guard
            cert.publicKey.isValidSignature(
                token.signer.signature, for: signedAttributes, signatureAlgorithm: algorithm)
        else {
            out.problem = tr("trust.seal.bad_signature", ["detail": "the signature does not verify with the TSA's key"])
            return out
        }
        let eku = cert.extensions[oid: .X509ExtensionID.extendedKeyUsage]
        guard let usage = try? cert.extensions.extendedKeyUsage, usage.contains(.timeStamping), eku?.critical == true
        else {
            out.problem = tr("trust.seal.not_tsa_certificate")
            return out
        }
        guard cert.notValidBefore <= info.genTime, info.genTime <= cert.notValidAfter else {
            out.problem = tr(
                "trust.seal.certificate_expired",
                [
                    "from": TimeFormat.utc(cert.notValidBefore), "to": TimeFormat.utc(cert.notValidAfter),
                    "gen": info.genTimeText,
                ])
            return out
        }
        out.signatureValid = true
        if trust.certificates.isEmpty {
            out.trustDetail = tr("trust.seal.no_anchors")
            return out
        }
        let anchors = trust.certificates
        let intermediates = token.certificates
        let genTime = info.genTime
        let result = blocking {
            var verifier = X509.Verifier(rootCertificates: CertificateStore(anchors)) {
                RFC5280Policy(validationTime: genTime)
                TimeStampingPolicy()
            }
            return await verifier.validate(leaf: cert, intermediates: CertificateStore(intermediates))
        }
        switch result {
        case .validCertificate: out.trusted = true
        case .couldNotValidate(let failures):
            out.trustDetail = tr(
                "trust.seal.untrusted",
                ["detail": failures.first.map { "\($0.policyFailureReason)" } ?? "no chain to a trusted certificate"])
        }
        return out
    }
}

/// RFC 3161 §2.3: the TSA's certificate carries exactly the `timeStamping` extended key usage, critical.
/// Declaring the extension handled lets the verifier accept the critical EKU of a TSA certificate.
struct TimeStampingPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.extendedKeyUsage]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        guard let usage = try? chain.leaf.extensions.extendedKeyUsage, usage.contains(.timeStamping) else {
            return .failsToMeetPolicy(reason: "the TSA certificate lacks the timeStamping extended key usage")
        }
        return .meetsPolicy
    }
}

final class BlockingBox<T>: @unchecked Sendable {
    var value: T?
}

/// Runs async work (swift-certificates' chain validation) from synchronous code. Never called from the
/// cooperative pool: the commands and tests call it from their own threads.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = BlockingBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value!
}
