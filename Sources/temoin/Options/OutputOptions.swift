import ArgumentParser
import Foundation
import TemoinKit

/// `--json` for every command that reports.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: .text("OutputOptions.json")) var json = false
}
