import ArgumentParser
import Foundation
import TemoinKit

/// `--json` for every command that reports.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the result as JSON (stable keys, for scripts).")
    var json = false
}
