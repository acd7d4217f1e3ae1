import Foundation

extension DNSKeyResolver {
    /// Where DKIM keys are fetched from, as `--dns-server` and `--offline` say: nowhere when offline; else
    /// `server` (or `TEMOIN_DNS_SERVER` in `environment`) when given, the system's resolvers otherwise.
    /// A server that is no `address[:port]` is refused with the value in the message.
    package static func chosen(
        server: String?, offline: Bool, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> DKIMKeyResolver {
        if offline { return OfflineKeyResolver() }
        guard let text = server ?? environment[environmentVariable], !text.isEmpty else { return DNSKeyResolver() }
        guard let parsed = parseServer(text) else { throw TemoinError.step(.invalidDNSServer(value: text)) }
        return DNSKeyResolver(server: parsed)
    }
}
