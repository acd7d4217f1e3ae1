import Foundation

// The lists of `seal list`, `seal tsa list`, `attestation list` and `profiles list`: one line each, or
// the sentence that says the list is empty.

extension TrustText {
    /// Each seal of the store, or that there is none.
    package static func sealLines(_ seals: [SealSummary]) -> [String] {
        seals.isEmpty ? [tr("trust.seal.none")] : seals.map(sealLine)
    }

    /// Each time-stamp authority of the store, with its name when it has one, or that there is none.
    package static func tsaLines(_ tsas: [TSAConfig]) -> [String] {
        guard !tsas.isEmpty else { return [tr("trust.tsa.none")] }
        return tsas.map { t in
            "\(TerminalText.line(t.url))\(t.name.map { "  (\(TerminalText.line($0)))" } ?? "")"
        }
    }

    /// Each attestation kept in the store, or that there is none.
    package static func attestationLines(_ list: [AttestationSummary]) -> [String] {
        list.isEmpty ? [tr("trust.attestation.none")] : list.map(attestationLine)
    }
}

extension ProfileText {
    /// The built-in profiles: identifier, then name.
    package static func listLines(_ sets: [RuleSet]) -> [String] {
        sets.map { "\($0.id.padding(toLength: 20, withPad: " ", startingAt: 0)) \($0.name)" }
    }
}
