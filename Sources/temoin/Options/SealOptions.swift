import ArgumentParser
import Foundation
import TemoinKit

/// `--seal` for `attempt` and `watch`: seals around each attempt, never blocking it.
struct SealOptions: ParsableArguments {
    @Option(help: .text("SealOptions.seal", value: "auto|on|off")) var seal: SealingMode = .auto
}

extension SealingMode: ExpressibleByArgument {}

/// Prints what the seals around an attempt did: each seal taken, each failure (on standard error; a
/// failed seal never changes the attempt or the exit code).
func printSealing(_ sealing: AttemptSealing?, json: Bool) {
    guard let sealing else { return }
    // The attempt's line is out before waiting for the TSAs, even into a pipe or a log file.
    fflush(nil)
    let (lines, errors) = sealing.report(json: json)
    for line in lines { print(line) }
    for line in errors { printError(line) }
}
