import CResolv
import Foundation

/// Fetches DKIM keys with a DNS TXT query through the system's stub resolver (glibc's libresolv: the
/// servers of /etc/resolv.conf), or through one given server (`--dns-server`, `TEMOIN_DNS_SERVER`;
/// temoin's tests run their own on 127.0.0.1).
package struct DNSKeyResolver: DKIMKeyResolver {
    /// An IPv4 address and port; nil: the system's resolvers.
    package let server: (address: String, port: Int)?
    /// Seconds per try, and tries: a person offline waits at most about `timeout × attempts` per key.
    package let timeout: Int
    package let attempts: Int

    /// The environment variable naming the DNS server (`127.0.0.1:5353`).
    package static let environmentVariable = "TEMOIN_DNS_SERVER"

    package init(server: (address: String, port: Int)? = nil, timeout: Int = 3, attempts: Int = 2) {
        self.server = server
        self.timeout = timeout
        self.attempts = attempts
    }

    /// `ADDRESS` or `ADDRESS:PORT` (IPv4; port 53 when absent); nil when it is neither.
    package static func parseServer(_ text: String) -> (address: String, port: Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let address = String(parts[0])
        var probe = in_addr()
        guard inet_pton(AF_INET, address, &probe) == 1 else { return nil }
        if parts.count == 2 {
            guard let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
            return (address, port)
        }
        return (address, 53)
    }

    package func lookup(_ query: String) -> DKIMKeyLookup {
        var answer = [UInt8](repeating: 0, count: 65_535)
        var hError: Int32 = 0
        let length = answer.withUnsafeMutableBufferPointer { buffer -> Int32 in
            func ask(_ address: UnsafePointer<CChar>?) -> Int32 {
                temoin_txt_query(
                    query, address, Int32(server?.port ?? 53), Int32(timeout), Int32(attempts), buffer.baseAddress,
                    Int32(buffer.count), &hError)
            }
            guard let server else { return ask(nil) }
            return server.address.withCString { ask($0) }
        }
        let now = TimeFormat.utc(Date())
        guard length > 0 else {
            switch hError {
            case HOST_NOT_FOUND:
                return DKIMKeyLookup(query: query, status: .notFound, fetchedAt: now, detail: "NXDOMAIN")
            case NO_DATA:
                return DKIMKeyLookup(query: query, status: .notFound, fetchedAt: now, detail: "no TXT record")
            case TRY_AGAIN:
                return DKIMKeyLookup(query: query, status: .unavailable, detail: "no answer (timeout or SERVFAIL)")
            default:
                return DKIMKeyLookup(query: query, status: .unavailable, detail: "resolver error \(hError)")
            }
        }
        var records: [String] = []
        var out = [UInt8](repeating: 0, count: 65_535)
        for index in 0..<64 {
            let n = out.withUnsafeMutableBufferPointer { o in
                answer.withUnsafeBufferPointer { a in
                    temoin_txt_record(a.baseAddress, length, Int32(index), o.baseAddress, Int32(o.count))
                }
            }
            if n == -1 { break }
            guard n >= 0 else {
                return DKIMKeyLookup(query: query, status: .unavailable, detail: "malformed DNS answer")
            }
            records.append(String(decoding: out[0..<Int(n)], as: UTF8.self))
        }
        // Several records: the first that reads as a DKIM key (RFC 6376 §3.6.2.2 leaves the choice open).
        let keyLike = records.first { r in
            (try? DKIMTags.parse(r))?["p"] != nil
        }
        guard let record = keyLike ?? records.first else {
            return DKIMKeyLookup(query: query, status: .notFound, fetchedAt: now, detail: "no TXT record")
        }
        return DKIMKeyLookup(query: query, status: .found, fetchedAt: now, record: record)
    }
}

/// Asks nothing: every key is "not asked" (`--offline`), so signatures are "not checked".
package struct OfflineKeyResolver: DKIMKeyResolver {
    package init() {}
    package func lookup(_ query: String) -> DKIMKeyLookup { DKIMKeyLookup(query: query, status: .notAsked) }
}
