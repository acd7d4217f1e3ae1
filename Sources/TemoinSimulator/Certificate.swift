// The simulator's self-signed TLS certificate, generated at start (never written to disk).

import Crypto
import Foundation
import SwiftASN1
import X509

/// A freshly generated self-signed certificate for 127.0.0.1 and localhost, with its P-256 key.
struct SelfSignedCertificate: Sendable {
    let der: [UInt8]
    let pem: String
    let privateKeyPEM: String

    static let organization = "Préfecture simulée (temoin)"

    static func generate(now: Date = Date()) throws -> SelfSignedCertificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName("127.0.0.1")
            OrganizationName(organization)
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames([
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                .dnsName("localhost"),
            ])
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(30 * 86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return SelfSignedCertificate(
            der: serializer.serializedBytes,
            pem: try certificate.serializeAsPEM().pemString,
            privateKeyPEM: key.pemRepresentation
        )
    }

    /// Lower-case hexadecimal SHA-256 of the DER certificate (the usual certificate fingerprint).
    var sha256Fingerprint: String {
        SHA256.hash(data: der).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
