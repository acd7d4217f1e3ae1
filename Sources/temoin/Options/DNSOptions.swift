import ArgumentParser
import TemoinKit

/// Where DKIM keys are fetched from: the system's resolvers, one server, or nowhere (`--offline`).
struct DNSOptions: ParsableArguments {
    @Option(name: .customLong("dns-server"), help: .text("DNSOptions.dnsServer", value: "address[:port]"))
    var dnsServer: String?
    @Flag(help: .text("DNSOptions.offline")) var offline = false

    func resolver() throws -> DKIMKeyResolver { try DNSKeyResolver.chosen(server: dnsServer, offline: offline) }
}
