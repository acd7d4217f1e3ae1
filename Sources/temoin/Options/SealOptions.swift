import ArgumentParser
import Foundation
import TemoinKit

/// `--seal auto` for `attempt` and `watch`: a seal after each attempt, never blocking it.
struct SealOptions: ParsableArguments {
    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case auto, off
    }

    @Option(
        help: ArgumentHelp(
            "auto: after each attempt, seal the head with the store's TSAs (a failed seal is reported, the attempt is kept).",
            valueName: "auto|off"))
    var seal: Mode = .off

    /// Seals after an attempt was recorded. Prints what happened; never throws.
    func sealAfterAttempt(_ store: Store, json: Bool) {
        guard seal == .auto else { return }
        do {
            let sealer = Sealer(store: store)
            let urls = try sealer.urls(given: [])
            let outcomes = try sealer.seal(urls: urls, trust: (try? TSATrust.load()) ?? TSATrust())
            for o in outcomes {
                if let s = o.seal {
                    if !json { print("  " + sealLine(s)) }
                } else if let e = o.error {
                    printError(tr("trust.seal.auto_failed", ["reason": e.description]))
                }
            }
        } catch {
            printError(tr("trust.seal.auto_failed", ["reason": "\(error)"]))
        }
    }
}
