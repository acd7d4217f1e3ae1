import ArgumentParser
import Foundation
import TemoinKit

/// Where DKIM keys are fetched from: the system's resolvers, one server, or nowhere (`--offline`).
struct DNSOptions: ParsableArguments {
    @Option(name: .customLong("dns-server"), help: .text("DNSOptions.dnsServer", value: "address[:port]"))
    var dnsServer: String?

    @Flag(help: .text("DNSOptions.offline")) var offline = false

    func resolver() throws -> DKIMKeyResolver { try DNSKeyResolver.chosen(server: dnsServer, offline: offline) }
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
