import ArgumentParser
import Foundation
import TemoinKit

/// `--seal` for `attempt` and `watch`: seals around each attempt, never blocking it.
struct SealOptions: ParsableArguments {
    enum Mode: String, ExpressibleByArgument, CaseIterable {
        /// When the store has time-stamp authorities (the default; also the spelling of earlier versions).
        case auto
        /// Always: refused before any attempt when the store has no TSA.
        case on
        case off
    }

    @Option(help: .text("SealOptions.seal", value: "auto|on|off")) var seal: Mode = .auto

    /// The sealing for this run, or nil when off or (auto) when the store has no TSA.
    func sealing(_ store: Store, stop: InterruptionFlag?) throws -> AttemptSealing? {
        guard seal != .off else { return nil }
        let urls = try store.tsas().map(\.url)
        if urls.isEmpty {
            if seal == .on { throw TemoinError.trust(.noTSA) }
            return nil
        }
        return AttemptSealing(
            store: store, urls: urls, trust: (try? TSATrust.load()) ?? TSATrust(), interruption: stop)
    }
}

/// Prints what the seals around an attempt did: each seal taken, each failure (on standard error; a
/// failed seal never changes the attempt or the exit code).
func printSealing(_ sealing: AttemptSealing?, json: Bool) {
    guard let sealing else { return }
    // The attempt's line is out before waiting for the TSAs, even into a pipe or a log file.
    fflush(nil)
    for (outcomes, failure) in sealing.wait() {
        if let failure { printError(tr("trust.seal.auto_failed", ["reason": failure])) }
        for o in outcomes {
            if let s = o.seal {
                if !json { print("  " + TrustText.sealLine(s)) }
            } else if let e = o.error {
                printError(tr("trust.seal.auto_failed", ["reason": e.description]))
            }
        }
    }
}
