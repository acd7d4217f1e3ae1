import ArgumentParser
import TemoinKit

/// `--json` for every command that reports.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: .text("OutputOptions.json")) var json = false
}

extension OutputOptions {
    /// Prints `value` as JSON with `--json`, else `lines` (built only then), one per line.
    func render<T: Encodable>(_ value: T, lines: () throws -> [String]) rethrows {
        if json {
            print(JSONOutput.string(value))
        } else {
            for line in try lines() { print(line) }
        }
    }

    /// Prints a command's answer (`Reported`) as JSON with `--json`, else as its lines.
    func render<T: Encodable>(_ answer: Reported<T>) throws {
        try render(answer.value, lines: answer.lines)
    }
}
