import ArgumentParser
import Foundation
import TemoinKit

/// Where DKIM keys are fetched from: the system's resolvers, one server, or nowhere (`--offline`).
struct DNSOptions: ParsableArguments {
    @Option(name: .customLong("dns-server"), help: .text("DNSOptions.dnsServer", value: "address[:port]"))
    var dnsServer: String?

    @Flag(help: .text("DNSOptions.offline")) var offline = false

    func resolver() throws -> DKIMKeyResolver {
        if offline { return OfflineKeyResolver() }
        guard let text = dnsServer ?? ProcessInfo.processInfo.environment[DNSKeyResolver.environmentVariable],
            !text.isEmpty
        else { return DNSKeyResolver() }
        guard let server = DNSKeyResolver.parseServer(text) else {
            throw TemoinError.step(.invalidDNSServer(value: text))
        }
        return DNSKeyResolver(server: server)
    }
}

extension StepKind: ExpressibleByArgument {
    /// `registered-letter` (the recorded value is `registered_letter`; both are accepted).
    package init?(argument: String) {
        self.init(rawValue: argument.replacingOccurrences(of: "-", with: "_"))
    }

    package static var allValueStrings: [String] {
        allCases.map { $0.rawValue.replacingOccurrences(of: "_", with: "-") }
    }
}

extension FollowUpKind: ExpressibleByArgument {
    package init?(argument: String) {
        self.init(rawValue: argument.replacingOccurrences(of: "-", with: "_"))
    }

    package static var allValueStrings: [String] {
        allCases.map { $0.rawValue.replacingOccurrences(of: "_", with: "-") }
    }
}
