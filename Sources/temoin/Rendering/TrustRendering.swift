import ArgumentParser
import Foundation
import TemoinKit

func sealLine(_ s: SealSummary) -> String {
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

func attestationLine(_ a: AttestationSummary) -> String {
    tr(
        "trust.attestation.line",
        [
            "id": String(a.id), "seq": String(a.seq), "name": TerminalText.line(a.name),
            "organisation": TerminalText.line(a.organisation), "verdict": TerminalText.line(a.verdict),
            "when": TimeFormat.parseUTC(a.attestedAt).map(TimeFormat.parisWallTime) ?? TerminalText.line(a.attestedAt),
            "state": tr("trust.state.\(a.state.rawValue)"), "key": String(a.keyFingerprint.prefix(16)),
        ]) + (a.detail.map { "\n      \(TerminalText.line($0))" } ?? "")
}

struct SealOutcomeJSON: Encodable {
    let url: String
    let seal: SealSummary?
    let error: String?
}

func printSealOutcomes(_ outcomes: [Sealer.Outcome], json: Bool) throws {
    if json {
        print(
            JSONOutput.string(
                outcomes.map { SealOutcomeJSON(url: $0.url, seal: $0.seal, error: $0.error?.description) }))
        return
    }
    for o in outcomes {
        if let s = o.seal {
            print(sealLine(s))
        } else if let e = o.error {
            printError(e.description)
        }
    }
}
