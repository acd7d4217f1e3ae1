import ArgumentParser
import Foundation
import TemoinKit

func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}

extension Language: ExpressibleByArgument {}

/// `--expect-head SEQ:HASH` (docs/FORMAT.md §6.8): malformed is a bad argument (exit 64), never a finding.
extension ExpectedHead: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// Reads a date typed by a person; the message shows the accepted forms.
func parseDate(_ text: String) throws -> Date {
    guard let d = TimeFormat.parse(text) else { throw TemoinError.invalidDate(value: text) }
    return d
}
