import Foundation

/// One header line as sent or received. Secrets (cookies, credentials) are replaced by
/// `sha256:<hex>` of their value, so the entry proves what was sent without holding it.
package struct HeaderField: Codable, Sendable, Equatable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A certificate the server presented, as a bailiff would describe it.
package struct CertificateFacts: Codable, Sendable, Equatable {
    package var subject: String
    package var issuer: String
    package var notBefore: String?
    package var notAfter: String?
    /// SHA-256 of the DER certificate, lowercase hex.
    package var sha256: String?
    /// Names the certificate is valid for (witnessed attempts: as the browser reported them).
    package var san: [String]?

    enum CodingKeys: String, CodingKey {
        case subject, issuer, sha256, san
        case notBefore = "not_before"
        case notAfter = "not_after"
    }
}

package struct TLSFacts: Codable, Sendable, Equatable {
    package var version: String?
    package var cipher: String?
    /// Whether the chain was verified against the trusted authorities.
    package var verified: Bool
    package var certificates: [CertificateFacts]
    /// Witnessed attempts: the browser's certificate transparency verdict (`compliant`, `not-compliant`,
    /// `unknown`) and the signed certificate timestamps it saw.
    package var certificateTransparency: String?
    package var scts: [SignedCertificateTimestampFacts]?

    enum CodingKeys: String, CodingKey {
        case version, cipher, verified, certificates, scts
        case certificateTransparency = "certificate_transparency"
    }
}

/// A signed certificate timestamp (RFC 6962) as the browser reported it.
package struct SignedCertificateTimestampFacts: Codable, Sendable, Equatable {
    /// `Verified`, `Invalid`, `Unknown log`...
    package var status: String
    /// `Embedded in certificate`, `TLS extension`, `OCSP response`.
    package var origin: String
    package var log: String
    package var logID: String
    /// UTC time the log signed the timestamp.
    package var timestamp: String

    enum CodingKeys: String, CodingKey {
        case status, origin, log, timestamp
        case logID = "log_id"
    }
}

/// Durations of the phases of one exchange, in milliseconds from its start.
package struct Timings: Codable, Sendable, Equatable {
    package var dnsMs: Int?
    package var connectMs: Int?
    package var tlsMs: Int?
    package var firstByteMs: Int?
    package var totalMs: Int

    enum CodingKeys: String, CodingKey {
        case dnsMs = "dns_ms"
        case connectMs = "connect_ms"
        case tlsMs = "tls_ms"
        case firstByteMs = "first_byte_ms"
        case totalMs = "total_ms"
    }
}

/// Why an exchange got no complete answer. A failure is evidence too.
package struct NetworkFailure: Codable, Sendable, Equatable {
    /// `dns`, `refused`, `timeout`, `tls`, `reset`, `too_many_redirects`, `other`.
    package var kind: String
    package var message: String
    package var curlCode: Int?

    enum CodingKeys: String, CodingKey {
        case kind, message
        case curlCode = "curl_code"
    }
}

/// One HTTP request and what came back, with everything a court or a bailiff would ask about it.
package struct HTTPExchange: Codable, Sendable, Equatable {
    package var startedAt: String
    package var method: String
    package var url: String
    package var requestHeaders: [HeaderField]
    /// Digest of the request body (a submitted form), also listed in the entry's captures.
    package var requestBody: String?
    package var status: Int?
    package var responseHeaders: [HeaderField]?
    /// Digest of the response body exactly as received (before any content decoding).
    package var responseBody: String?
    package var bodyTruncated: Bool?
    package var redirectTo: String?
    package var remoteIP: String?
    package var remotePort: Int?
    package var httpVersion: String?
    package var tls: TLSFacts?
    package var timings: Timings?
    /// The server's `Date` header, as sent.
    package var serverDate: String?
    /// Server clock minus local clock, in milliseconds (from the `Date` header; ±1 s resolution).
    package var clockOffsetMs: Int?
    package var failure: NetworkFailure?
    /// Witnessed attempts: what the browser fetched it for, `document` (the main frame), `xhr` or `fetch`.
    package var resourceType: String?

    enum CodingKeys: String, CodingKey {
        // In the order of the members (the body's keys are sorted when it is written).
        case startedAt = "started_at"
        case method, url
        case requestHeaders = "request_headers"
        case requestBody = "request_body"
        case status
        case responseHeaders = "response_headers"
        case responseBody = "response_body"
        case bodyTruncated = "body_truncated"
        case redirectTo = "redirect_to"
        case remoteIP = "remote_ip"
        case remotePort = "remote_port"
        case httpVersion = "http_version"
        case tls, timings
        case serverDate = "server_date"
        case clockOffsetMs = "clock_offset_ms"
        case failure
        case resourceType = "resource_type"
    }
}

/// The circumstances of a captured attempt, in the spirit of NF Z67-147: which tool, which system,
/// which proxy, how far the clock was from the server's. Nothing that identifies the owner.
package struct EnvironmentFacts: Codable, Sendable, Equatable {
    package var tool: String
    package var os: String
    package var userAgent: String
    /// Proxy settings in effect (`none`, or the proxy's scheme://host:port without credentials).
    package var proxy: String
    /// Cookies and cache: always a fresh, empty cookie jar and no cache for each attempt.
    package var freshSession: Bool
    package var clockOffsetMs: Int?

    enum CodingKeys: String, CodingKey {
        case tool, os, proxy
        case userAgent = "user_agent"
        case freshSession = "fresh_session"
        case clockOffsetMs = "clock_offset_ms"
    }
}
