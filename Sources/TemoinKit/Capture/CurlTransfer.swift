import CCurl
import Crypto
import Foundation

/// One HTTP request for `CurlTransfer`.
struct TransferRequest {
    var method: String
    var url: String
    var headers: [String] = []
    var body: Data?
    var contentType: String?
}

/// What libcurl reported for one request, before any interpretation.
struct TransferResult {
    var status: Int?
    /// Response header fields of the last header block (after any `100 Continue`).
    var headers: [(String, String)] = []
    var body = Data()
    var truncated = false
    var redirectURL: String?
    var remoteIP: String?
    var remotePort: Int?
    var httpVersion: String?
    var tls: TLSFacts?
    var timings: Timings?
    var requestHeaderLines: [String] = []
    var curlCode: Int = 0
    var errorMessage: String?
    var interrupted = false
    /// The private address a request was about to be sent to, when ``CurlTransfer/refusePrivateAddresses``
    /// stopped it before any byte was sent.
    var refusedAddress: String?
}

/// Settings shared by every request of an attempt.
package struct TransferSettings: Sendable {
    package var userAgent: String = Temoin.userAgent
    package var connectTimeout: Int = 15
    package var timeout: Int = 60
    package var maxBodyBytes: Int = 20_000_000
    /// A PEM file of authorities to trust in addition to none (replaces the system's), e.g. a test server's.
    package var caFile: String?
    /// A user name and password for HTTP authentication (a TSA's subscription), handed to libcurl
    /// directly: never in a URL, a command line or a record.
    package var credentials: TSACredentials?
    /// A `.netrc` file libcurl reads credentials from, by host (``TSACredentials``).
    package var netrcFile: String?

    package init() {}
}

/// Answers whether the person asked to stop (Ctrl-C): checked while bytes flow.
package protocol InterruptionFlag: Sendable {
    var isRaised: Bool { get }
}

/// The state libcurl's callbacks write into; passed to them as an unmanaged pointer.
private final class TransferContext {
    var body = Data()
    var cap: Int
    var truncated = false
    var headerLines: [String] = []
    var requestHeaderText = ""
    var tlsText: [String] = []
    let interruption: InterruptionFlag?
    var interrupted = false
    let isRefused: ((String) -> Bool)?
    var refusedAddress: String?

    init(cap: Int, interruption: InterruptionFlag?, isRefused: ((String) -> Bool)?) {
        self.cap = cap
        self.interruption = interruption
        self.isRefused = isRefused
    }
}

/// Owns one libcurl easy handle for the whole attempt: its in-memory cookie jar starts empty, keeps the
/// session between steps, and scopes cookies to their own host as browsers do.
final class CurlTransfer {
    private let handle: UnsafeMutableRawPointer
    private let settings: TransferSettings
    private let interruption: InterruptionFlag?
    /// Once set, a connection to an address this says is private is dropped before the request is sent:
    /// an attempt that reached a public server never follows it (a redirect, a form) into the local
    /// network or the computer itself.
    var refusePrivateAddresses: ((String) -> Bool)?

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    init?(settings: TransferSettings, interruption: InterruptionFlag? = nil) {
        _ = Self.globalInit
        guard let h = curl_easy_init() else { return nil }
        handle = h
        self.settings = settings
        self.interruption = interruption
        temoin_curl_setopt_string(handle, CURLOPT_COOKIEFILE, "")  // enable the in-memory cookie engine
    }

    deinit { curl_easy_cleanup(handle) }

    func perform(_ request: TransferRequest) -> TransferResult {
        let context = TransferContext(
            cap: settings.maxBodyBytes, interruption: interruption, isRefused: refusePrivateAddresses)
        let opaque = Unmanaged.passUnretained(context).toOpaque()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        for line in request.headers { headerList = curl_slist_append(headerList, line) }
        if let type = request.contentType { headerList = curl_slist_append(headerList, "Content-Type: \(type)") }
        // No "Expect: 100-continue" delay on small form posts.
        headerList = curl_slist_append(headerList, "Expect:")

        temoin_curl_setopt_string(handle, CURLOPT_URL, request.url)
        temoin_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        temoin_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)  // redirects are followed by hand, each recorded
        temoin_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, settings.connectTimeout)
        temoin_curl_setopt_long(handle, CURLOPT_TIMEOUT, settings.timeout)
        temoin_curl_setopt_long(handle, CURLOPT_CERTINFO, 1)
        temoin_curl_setopt_long(handle, CURLOPT_VERBOSE, 1)  // feeds the debug callback: headers sent, TLS line
        temoin_curl_setopt_long(handle, CURLOPT_HTTP_CONTENT_DECODING, 0)  // keep bytes exactly as received
        temoin_curl_setopt_string(handle, CURLOPT_USERAGENT, settings.userAgent)
        temoin_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        // The system's authorities found on this system, not where the libcurl's builder kept them.
        if let ca = settings.caFile ?? CertificateAuthorities.system {
            temoin_curl_setopt_string(handle, CURLOPT_CAINFO, ca)
        }
        if let credentials = settings.credentials {
            temoin_curl_setopt_string(handle, CURLOPT_USERNAME, credentials.user)
            temoin_curl_setopt_string(handle, CURLOPT_PASSWORD, credentials.password)
        } else if let netrc = settings.netrcFile {
            temoin_curl_setopt_long(handle, CURLOPT_NETRC, Int(CURL_NETRC_OPTIONAL.rawValue))
            temoin_curl_setopt_string(handle, CURLOPT_NETRC_FILE, netrc)
        }
        temoin_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        errorBuffer.withUnsafeMutableBufferPointer { buffer in
            _ = temoin_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
        }
        temoin_curl_setopt_long(handle, CURLOPT_NOBODY, 0)
        switch request.method {
        case "POST":
            let body = request.body ?? Data()
            temoin_curl_setopt_long(handle, CURLOPT_POST, 1)
            temoin_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            if body.isEmpty {
                temoin_curl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { raw in
                    _ = temoin_curl_setopt_pointer(
                        handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
                }
            }
        case "HEAD":
            temoin_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
        default:
            temoin_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        }

        temoin_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            let context = Unmanaged<TransferContext>.fromOpaque(user!).takeUnretainedValue()
            let n = size * count
            if context.interruption?.isRaised == true {
                context.interrupted = true
                return 0
            }
            let room = context.cap - context.body.count
            if n > room {
                if room > 0, let data {
                    context.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: room)
                }
                context.truncated = true
                return 0  // stop the transfer: the cap is reached
            }
            if let data { context.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: n) }
            return n
        }
        temoin_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, opaque)
        temoin_curl_setopt_write(handle, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            let context = Unmanaged<TransferContext>.fromOpaque(user!).takeUnretainedValue()
            let n = size * count
            guard let data else { return n }
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
                .trimmingCharacters(in: .newlines)
            if line.hasPrefix("HTTP/") { context.headerLines = [] }  // a new response block
            if !line.isEmpty { context.headerLines.append(line) }
            return n
        }
        temoin_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, opaque)
        temoin_curl_setopt_debug(handle) { _, type, data, size, user in
            guard let user, let data else { return 0 }
            let context = Unmanaged<TransferContext>.fromOpaque(user).takeUnretainedValue()
            let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
            if type == CURLINFO_HEADER_OUT {
                context.requestHeaderText += text
            } else if type == CURLINFO_TEXT, text.contains("SSL connection using") {
                context.tlsText.append(text)
            }
            return 0
        }
        temoin_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, opaque)
        temoin_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        temoin_curl_setopt_progress(handle) { user, _, _, _, _ in
            guard let user else { return 0 }
            let context = Unmanaged<TransferContext>.fromOpaque(user).takeUnretainedValue()
            if context.interruption?.isRaised == true {
                context.interrupted = true
                return 1
            }
            return 0
        }
        temoin_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, opaque)
        // Called once connected, before the request goes out: the one moment to refuse an address.
        temoin_curl_setopt_prereq(handle) { user, primaryIP, _, _, _ in
            guard let user, let primaryIP else { return Int32(CURL_PREREQFUNC_OK) }
            let context = Unmanaged<TransferContext>.fromOpaque(user).takeUnretainedValue()
            let ip = String(cString: primaryIP)
            if context.isRefused?(ip) == true {
                context.refusedAddress = ip
                return Int32(CURL_PREREQFUNC_ABORT)
            }
            return Int32(CURL_PREREQFUNC_OK)
        }
        temoin_curl_setopt_pointer(handle, CURLOPT_PREREQDATA, opaque)

        let code = curl_easy_perform(handle)

        var result = TransferResult()
        result.curlCode = Int(code.rawValue)
        result.interrupted = context.interrupted
        result.refusedAddress = context.refusedAddress
        result.truncated = context.truncated
        result.body = context.body
        if code != CURLE_OK, !(code == CURLE_WRITE_ERROR && context.truncated) {
            let buffered = String(cString: errorBuffer)
            result.errorMessage = buffered.isEmpty ? String(cString: curl_easy_strerror(code)) : buffered
        }
        var status = 0
        temoin_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        if status > 0 { result.status = status }
        result.headers = context.headerLines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        result.requestHeaderLines = context.requestHeaderText.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        result.redirectURL = string(CURLINFO_REDIRECT_URL)
        result.remoteIP = string(CURLINFO_PRIMARY_IP).flatMap { $0.isEmpty ? nil : $0 }
        var port = 0
        temoin_curl_getinfo_long(handle, CURLINFO_PRIMARY_PORT, &port)
        if port > 0 { result.remotePort = port }
        var version = 0
        temoin_curl_getinfo_long(handle, CURLINFO_HTTP_VERSION, &version)
        result.httpVersion = [1: "HTTP/1.0", 2: "HTTP/1.1", 3: "HTTP/2", 30: "HTTP/3"][version]
        result.timings = timings()
        result.tls = tlsFacts(context.tlsText)
        return result
    }

    private func string(_ info: CURLINFO) -> String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard temoin_curl_getinfo_string(handle, info, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
    }

    private func timings() -> Timings {
        func ms(_ info: CURLINFO) -> Int? {
            var value: curl_off_t = 0
            guard temoin_curl_getinfo_off(handle, info, &value) == CURLE_OK, value > 0 else { return nil }
            return Int(value / 1000)
        }
        return Timings(
            dnsMs: ms(CURLINFO_NAMELOOKUP_TIME_T), connectMs: ms(CURLINFO_CONNECT_TIME_T),
            tlsMs: ms(CURLINFO_APPCONNECT_TIME_T), firstByteMs: ms(CURLINFO_STARTTRANSFER_TIME_T),
            totalMs: ms(CURLINFO_TOTAL_TIME_T) ?? 0)
    }

    /// TLS facts of a new connection: protocol and cipher from libcurl's own line, the chain from
    /// CURLINFO_CERTINFO, and whether verification succeeded. Nil for plain HTTP or a reused connection.
    private func tlsFacts(_ lines: [String]) -> TLSFacts? {
        var info: UnsafeMutablePointer<curl_certinfo>?
        var certificates: [CertificateFacts] = []
        if temoin_curl_getinfo_certinfo(handle, &info) == CURLE_OK, let info, info.pointee.num_of_certs > 0 {
            for i in 0..<Int(info.pointee.num_of_certs) {
                var fields: [String: String] = [:]
                var item = info.pointee.certinfo[i]
                while let node = item {
                    let text = String(cString: node.pointee.data)
                    if let colon = text.firstIndex(of: ":") {
                        fields[String(text[..<colon])] = String(text[text.index(after: colon)...])
                    }
                    item = node.pointee.next
                }
                certificates.append(
                    CertificateFacts(
                        subject: Self.unescape(fields["Subject"] ?? ""), issuer: Self.unescape(fields["Issuer"] ?? ""),
                        notBefore: fields["Start date"], notAfter: fields["Expire date"],
                        sha256: fields["Cert"].flatMap(Self.pemFingerprint)))
            }
        }
        guard let line = lines.last ?? (certificates.isEmpty ? nil : "") else { return nil }
        // "SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384 / X25519 / id-ecPublicKey"
        let parts = line.replacingOccurrences(of: "SSL connection using", with: "").split(separator: "/").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var verify = 1
        temoin_curl_getinfo_long(handle, CURLINFO_SSL_VERIFYRESULT, &verify)
        return TLSFacts(
            version: parts.first.flatMap { $0.isEmpty ? nil : $0 }, cipher: parts.count > 1 ? parts[1] : nil,
            verified: verify == 0, certificates: certificates)
    }

    /// OpenSSL prints non-ASCII bytes of names as `\C3\A9`: turn them back into UTF-8 text.
    static func unescape(_ name: String) -> String {
        guard name.contains("\\") else { return name }
        var bytes: [UInt8] = []
        let utf8 = Array(name.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "\\"), i + 2 < utf8.count,
                let byte = UInt8(String(decoding: utf8[i + 1...i + 2], as: UTF8.self), radix: 16)
            {
                bytes.append(byte)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// SHA-256 of the DER inside a PEM block, lowercase hex.
    static func pemFingerprint(_ pem: String) -> String? {
        let base64 = pem.components(separatedBy: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let der = Data(base64Encoded: base64, options: .ignoreUnknownCharacters), !der.isEmpty else { return nil }
        return SHA256.hash(data: der).lowercaseHex
    }
}
