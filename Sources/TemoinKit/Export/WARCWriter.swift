import CDeflate
import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Owns one libdeflate compressor used for gzip members.
final class GzipCompressor {
    private let handle: OpaquePointer

    init?() {
        guard let h = libdeflate_alloc_compressor(6) else { return nil }
        handle = h
    }

    deinit { libdeflate_free_compressor(handle) }

    /// One complete gzip member (RFC 1952) holding `data`.
    func member(_ data: Data) -> Data? {
        let bound = libdeflate_gzip_compress_bound(handle, data.count)
        var out = Data(count: bound)
        let written = data.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                libdeflate_gzip_compress(handle, src.baseAddress, src.count, dst.baseAddress, dst.count)
            }
        }
        guard written > 0 else { return nil }
        out.count = written
        return out
    }
}

/// Writes a store's captures as WARC/1.1 (ISO 28500:2017), one gzip member per record, so archivists'
/// tools (warcio, pywb, ReplayWeb.page) can read and replay them.
///
/// Each captured exchange becomes a `request` and a `response` record linked by `WARC-Concurrent-To`;
/// the HTTP bytes are rebuilt from what was recorded: the status line, the headers as recorded
/// (secrets already replaced by their digest), and the body exactly as received. Imported pages become
/// `resource` records. Digests are SHA-256 in base32, the labelled form of the WARC 1.1 specification.
package struct WARCExporter: Sendable {
    package let store: Store

    package init(store: Store) { self.store = store }

    package struct Result: Sendable, Codable {
        package var path: String
        package var records: Int
        package var responses: Int
        package var resources: Int
        /// Bodies that could not be written because their capture is withheld.
        package var withheld: Int
    }

    /// Writes the WARC file at `path` (refused if anything is there). A failure to write (a full disk) or
    /// a signal removes the partial file; write failures are exit 7.
    package func export(to path: String, now: Date = Date()) throws -> Result {
        guard let gzip = GzipCompressor() else { throw TemoinError.outputUnwritable(path: path, detail: "libdeflate") }
        let out = try OutputFile.Writer(creating: path)
        WorkFolder.register(path)
        defer { WorkFolder.unregister(path) }
        do {
            var result = try write(to: out, path: path, gzip: gzip, now: now)
            try out.finish()
            result.path = path
            return result
        } catch {
            out.abandon()
            throw error
        }
    }

    private func write(to out: OutputFile.Writer, path: String, gzip: GzipCompressor, now: Date) throws -> Result {
        var result = Result(path: path, records: 0, responses: 0, resources: 0, withheld: 0)
        func emit(_ record: Data) throws {
            guard let member = gzip.member(record) else {
                throw TemoinError.outputUnwritable(path: path, detail: "gzip")
            }
            try out.write(member)
            result.records += 1
        }
        let infoID = Self.recordID()
        let head = try store.head()
        let info = """
            software: \(Temoin.name)/\(Temoin.version)\r
            format: WARC File Format 1.1\r
            conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r
            description: temoin evidence store \(store.storeID), head \(head.map { "#\($0.seq) \($0.hash)" } ?? "none")\r
            isPartOf: temoin-store-\(store.storeID)\r

            """
        try emit(
            Self.record(
                type: "warcinfo", id: infoID, date: TimeFormat.utc(now), contentType: "application/warc-fields",
                extra: [("WARC-Filename", (path as NSString).lastPathComponent)], block: Data(info.utf8)))
        for entry in try store.entries() {
            guard let body = entry.body, body.type == .attempt else { continue }
            if let exchanges = body.exchanges, !exchanges.isEmpty {
                for ex in exchanges {
                    guard let status = ex.status else { continue }
                    let requestID = Self.recordID()
                    let responseID = Self.recordID()
                    var responseBody = Data()
                    var truncated = ex.bodyTruncated == true ? "length" : nil
                    if let digest = ex.responseBody {
                        if let bytes = try store.captureBytes(digest: digest) {
                            responseBody = bytes
                        } else {
                            truncated = "unspecified"
                            result.withheld += 1
                        }
                    }
                    var http = Data("\(Self.statusVersion(ex.httpVersion)) \(status) \(Self.reason(status))\r\n".utf8)
                    http.append(Self.headerBlock(ex.responseHeaders ?? []))
                    let payloadStart = http.count
                    http.append(responseBody)
                    var extra: [(String, String)] = [
                        ("WARC-Target-URI", ex.url), ("WARC-Warcinfo-ID", infoID),
                    ]
                    if let ip = ex.remoteIP { extra.append(("WARC-IP-Address", ip)) }
                    extra.append(("WARC-Payload-Digest", Self.digest(http[payloadStart...])))
                    if let truncated { extra.append(("WARC-Truncated", truncated)) }
                    let date = ex.startedAt
                    try emit(
                        Self.record(
                            type: "response", id: responseID, date: date,
                            contentType: "application/http;msgtype=response", extra: extra, block: http))
                    result.responses += 1
                    var request = Data("\(ex.method) \(Self.requestTarget(ex.url)) HTTP/1.1\r\n".utf8)
                    request.append(Self.headerBlock(ex.requestHeaders))
                    let requestPayloadStart = request.count
                    if let digest = ex.requestBody, let bytes = try store.captureBytes(digest: digest) {
                        request.append(bytes)
                    }
                    var requestExtra: [(String, String)] = [
                        ("WARC-Target-URI", ex.url), ("WARC-Warcinfo-ID", infoID), ("WARC-Concurrent-To", responseID),
                    ]
                    if let ip = ex.remoteIP { requestExtra.append(("WARC-IP-Address", ip)) }
                    requestExtra.append(("WARC-Payload-Digest", Self.digest(request[requestPayloadStart...])))
                    try emit(
                        Self.record(
                            type: "request", id: requestID, date: date,
                            contentType: "application/http;msgtype=request", extra: requestExtra, block: request))
                }
            } else if let url = body.url {
                // Imported pages: the saved bytes are resources; no HTTP exchange was witnessed.
                for c in body.captures ?? [] where ["page", "saved_file", "resource"].contains(c.role) {
                    guard let bytes = try store.captureBytes(digest: c.digest) else {
                        result.withheld += 1
                        continue
                    }
                    let target = c.role == "resource" ? "urn:sha256:\(c.digest)" : url
                    try emit(
                        Self.record(
                            type: "resource", id: Self.recordID(), date: body.observedAt ?? body.recordedAt,
                            contentType: c.mediaType ?? "application/octet-stream",
                            extra: [
                                ("WARC-Target-URI", target), ("WARC-Warcinfo-ID", infoID),
                                ("WARC-Payload-Digest", Self.digest(bytes)),
                            ], block: bytes))
                    result.resources += 1
                }
            }
        }
        return result
    }

    static func recordID() -> String { "<urn:uuid:\(UUID().uuidString.lowercased())>" }

    /// One WARC record: version line, named fields, blank line, block, two CRLF.
    static func record(
        type: String, id: String, date: String, contentType: String, extra: [(String, String)], block: Data
    ) -> Data {
        var fields: [(String, String)] = [
            ("WARC-Type", type), ("WARC-Record-ID", id), ("WARC-Date", date),
        ]
        fields += extra
        fields += [
            ("WARC-Block-Digest", digest(block)), ("Content-Type", contentType),
            ("Content-Length", String(block.count)),
        ]
        var out = Data("WARC/1.1\r\n".utf8)
        for (name, value) in fields {
            // Field values may not hold line breaks (a recorded value never should; be safe anyway).
            let clean = value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
            out.append(Data("\(name): \(clean)\r\n".utf8))
        }
        out.append(Data("\r\n".utf8))
        out.append(block)
        out.append(Data("\r\n\r\n".utf8))
        return out
    }

    /// `sha256:` and the base32 (RFC 4648) of the SHA-256, as WARC 1.1 labels digests.
    static func digest<D: DataProtocol>(_ data: D) -> String {
        "sha256:" + base32(Array(SHA256.hash(data: data)))
    }

    static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var out = ""
        var buffer = 0
        var bits = 0
        for b in bytes {
            buffer = (buffer << 8) | Int(b)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        while out.count % 8 != 0 { out.append("=") }
        return out
    }

    /// Headers as recorded. `Transfer-Encoding` is renamed: libcurl removed the chunked framing, so the
    /// body that follows is not chunked and a replay tool must not try to de-chunk it.
    static func headerBlock(_ headers: [HeaderField]) -> Data {
        var out = ""
        for h in headers {
            let name = h.name.lowercased() == "transfer-encoding" ? "X-Archive-Orig-\(h.name)" : h.name
            out += "\(name): \(h.value)\r\n"
        }
        out += "\r\n"
        return Data(out.utf8)
    }

    static func statusVersion(_ v: String?) -> String {
        switch v {
        case "HTTP/1.0": return "HTTP/1.0"
        default: return "HTTP/1.1"
        }
    }

    static func requestTarget(_ url: String) -> String {
        guard let c = URLComponents(string: url) else { return "/" }
        let path = c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath
        return c.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }

    static func reason(_ status: Int) -> String {
        let known: [Int: String] = [
            200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found", 303: "See Other",
            304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request",
            401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
        ]
        return known[status] ?? ""
    }
}
