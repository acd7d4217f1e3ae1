import Foundation

/// One seal or attestation as `seal list`, `attestation list`, `verify` and `init` print it, with its
/// state in the person's language; what came from the store or a TSA is made one safe line.
package enum TrustText {
    package static func sealLine(_ s: SealSummary) -> String {
        let when = s.genTime.flatMap(TimeFormat.parseUTC).map(TimeFormat.parisWallTime) ?? "-"
        let state = tr("trust.state.\(s.state.rawValue)")
        return tr(
            "trust.seal.line",
            [
                "id": String(s.id), "seq": String(s.seq), "when": when,
                "tsa": TerminalText.line(s.tsaName ?? TSACredentials.withoutUserinfo(s.tsaURL)), "state": state,
            ])
            + (s.detail.map { "\n      \(TerminalText.line($0))" } ?? "")
            + (s.clockOffsetMs.flatMap { abs($0) >= 2000 ? $0 : nil }.map {
                "\n      " + tr("trust.seal.clock", ["offset": String(format: "%.1f", Double($0) / 1000)])
            } ?? "")
    }

    package static func attestationLine(_ a: AttestationSummary) -> String {
        tr(
            "trust.attestation.line",
            [
                "id": String(a.id), "seq": String(a.seq), "name": TerminalText.line(a.name),
                "organisation": TerminalText.line(a.organisation), "verdict": TerminalText.line(a.verdict),
                "when": TimeFormat.parseUTC(a.attestedAt).map(TimeFormat.parisWallTime)
                    ?? TerminalText.line(a.attestedAt),
                "state": tr("trust.state.\(a.state.rawValue)"), "key": String(a.keyFingerprint.prefix(16)),
            ]) + (a.detail.map { "\n      \(TerminalText.line($0))" } ?? "")
    }
}

/// A TSA's answer to one sealing, as `seal`, `init --json` print it.
package struct SealOutcomeJSON: Encodable {
    package let url: String
    package let seal: SealSummary?
    package let error: String?

    package init(_ outcome: Sealer.Outcome) {
        url = outcome.url
        seal = outcome.seal
        error = outcome.error?.description
    }
}
