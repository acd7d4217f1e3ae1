import Foundation

/// `--seal` of `attempt` and `watch`: whether to seal around each attempt.
package enum SealingMode: String, CaseIterable, Sendable {
    /// When the store has time-stamp authorities (the default; also the spelling of earlier versions).
    case auto
    /// Always: refused before any attempt when the store has no TSA.
    case on
    case off

    /// The sealing for a run on `store`, or nil when off or (auto) when the store has no TSA; `on`
    /// without a TSA is refused before any attempt is made.
    package func sealing(_ store: Store, stop: InterruptionFlag?) throws -> AttemptSealing? {
        guard self != .off else { return nil }
        let urls = try store.tsas().map(\.url)
        if urls.isEmpty {
            if self == .on { throw TemoinError.trust(.noTSA) }
            return nil
        }
        return AttemptSealing(
            store: store, urls: urls, trust: (try? TSATrust.load()) ?? TSATrust(), interruption: stop)
    }
}

extension AttemptSealing {
    /// Waits for the seals started so far and says what they did: each seal taken (a line for standard
    /// output, unless the output is JSON) and each failure (for standard error). A failed seal never
    /// changes the attempt or the exit code.
    package func report(json: Bool) -> (lines: [String], errors: [String]) {
        var lines: [String] = []
        var errors: [String] = []
        for (outcomes, failure) in wait() {
            if let failure { errors.append(tr("trust.seal.auto_failed", ["reason": failure])) }
            for o in outcomes {
                if let s = o.seal {
                    if !json { lines.append("  " + TrustText.sealLine(s)) }
                } else if let e = o.error {
                    errors.append(tr("trust.seal.auto_failed", ["reason": e.description]))
                }
            }
        }
        return (lines, errors)
    }
}
