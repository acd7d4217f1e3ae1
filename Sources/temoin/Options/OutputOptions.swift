import ArgumentParser
import TemoinKit

/// `--json` for every command that reports.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: .text("OutputOptions.json")) var json = false
}

extension OutputOptions {
    /// Prints a command's answer (`Reported`): its value as JSON with `--json`, else its lines (built only
    /// then), one per line; then ends with its exit status, unless it is success.
    func render<T: Encodable>(_ answer: Reported<T>) throws {
        if json {
            print(JSONOutput.string(answer.value))
        } else {
            for line in try answer.lines() { print(line) }
        }
        if answer.exitStatus != .success { throw ExitCode(answer.exitStatus) }
    }
}
