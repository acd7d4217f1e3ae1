import Foundation

/// One header line as sent or received. Secrets (cookies, credentials) are replaced by
/// `sha256:<hex>` of their value, so the entry proves what was sent without holding it.
public struct HeaderField: Codable, Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A certificate the server presented, as a bailiff would describe it.
public struct CertificateFacts: Codable, Sendable, Equatable {
    public var subject: String
    public var issuer: String
    public var notBefore: String?
    public var notAfter: String?
    /// SHA-256 of the DER certificate, lowercase hex.
    public var sha256: String?
    /// Names the certificate is valid for (witnessed attempts: as the browser reported them).
    public var san: [String]?

    enum CodingKeys: String, CodingKey {
        case subject, issuer, sha256, san
        case notBefore = "not_before"
        case notAfter = "not_after"
    }
}

public struct TLSFacts: Codable, Sendable, Equatable {
    public var version: String?
    public var cipher: String?
    /// Whether the chain was verified against the trusted authorities.
    public var verified: Bool
    public var certificates: [CertificateFacts]
    /// Witnessed attempts: the browser's certificate transparency verdict (`compliant`, `not-compliant`,
    /// `unknown`) and the signed certificate timestamps it saw.
    public var certificateTransparency: String?
    public var scts: [SignedCertificateTimestampFacts]?

    enum CodingKeys: String, CodingKey {
        case version, cipher, verified, certificates, scts
        case certificateTransparency = "certificate_transparency"
    }
}

/// A signed certificate timestamp (RFC 6962) as the browser reported it.
public struct SignedCertificateTimestampFacts: Codable, Sendable, Equatable {
    /// `Verified`, `Invalid`, `Unknown log`...
    public var status: String
    /// `Embedded in certificate`, `TLS extension`, `OCSP response`.
    public var origin: String
    public var log: String
    public var logID: String
    /// UTC time the log signed the timestamp.
    public var timestamp: String

    enum CodingKeys: String, CodingKey {
        case status, origin, log, timestamp
        case logID = "log_id"
    }
}

/// Durations of the phases of one exchange, in milliseconds from its start.
public struct Timings: Codable, Sendable, Equatable {
    public var dnsMs: Int?
    public var connectMs: Int?
    public var tlsMs: Int?
    public var firstByteMs: Int?
    public var totalMs: Int

    enum CodingKeys: String, CodingKey {
        case dnsMs = "dns_ms"
        case connectMs = "connect_ms"
        case tlsMs = "tls_ms"
        case firstByteMs = "first_byte_ms"
        case totalMs = "total_ms"
    }
}

/// Why an exchange got no complete answer. A failure is evidence too.
public struct NetworkFailure: Codable, Sendable, Equatable {
    /// `dns`, `refused`, `timeout`, `tls`, `reset`, `too_many_redirects`, `other`.
    public var kind: String
    public var message: String
    public var curlCode: Int?

    enum CodingKeys: String, CodingKey {
        case kind, message
        case curlCode = "curl_code"
    }
}

/// One HTTP request and what came back, with everything a court or a bailiff would ask about it.
public struct HTTPExchange: Codable, Sendable, Equatable {
    public var startedAt: String
    public var method: String
    public var url: String
    public var requestHeaders: [HeaderField]
    /// Digest of the request body (a submitted form), also listed in the entry's captures.
    public var requestBody: String?
    public var status: Int?
    public var responseHeaders: [HeaderField]?
    /// Digest of the response body exactly as received (before any content decoding).
    public var responseBody: String?
    public var bodyTruncated: Bool?
    public var redirectTo: String?
    public var remoteIP: String?
    public var remotePort: Int?
    public var httpVersion: String?
    public var tls: TLSFacts?
    public var timings: Timings?
    /// The server's `Date` header, as sent.
    public var serverDate: String?
    /// Server clock minus local clock, in milliseconds (from the `Date` header; ±1 s resolution).
    public var clockOffsetMs: Int?
    public var failure: NetworkFailure?
    /// Witnessed attempts: what the browser fetched it for, `document` (the main frame), `xhr` or `fetch`.
    public var resourceType: String?

    enum CodingKeys: String, CodingKey {
        case method, url, status, tls, timings, failure
        case resourceType = "resource_type"
        case startedAt = "started_at"
        case requestHeaders = "request_headers"
        case requestBody = "request_body"
        case responseHeaders = "response_headers"
        case responseBody = "response_body"
        case bodyTruncated = "body_truncated"
        case redirectTo = "redirect_to"
        case remoteIP = "remote_ip"
        case remotePort = "remote_port"
        case httpVersion = "http_version"
        case serverDate = "server_date"
        case clockOffsetMs = "clock_offset_ms"
    }
}

/// The circumstances of a captured attempt, in the spirit of NF Z67-147: which tool, which system,
/// which proxy, how far the clock was from the server's. Nothing that identifies the owner.
public struct EnvironmentFacts: Codable, Sendable, Equatable {
    public var tool: String
    public var os: String
    public var userAgent: String
    /// Proxy settings in effect (`none`, or the proxy's scheme://host:port without credentials).
    public var proxy: String
    /// Cookies and cache: always a fresh, empty cookie jar and no cache for each attempt.
    public var freshSession: Bool
    public var clockOffsetMs: Int?

    enum CodingKeys: String, CodingKey {
        case tool, os, proxy
        case userAgent = "user_agent"
        case freshSession = "fresh_session"
        case clockOffsetMs = "clock_offset_ms"
    }
}
