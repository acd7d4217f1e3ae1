import ArgumentParser
import Foundation
import TemoinKit

func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}

extension Language: ExpressibleByArgument {}

/// Reads a date typed by a person; the message shows the accepted forms.
func parseDate(_ text: String) throws -> Date {
    guard let d = TimeFormat.parse(text) else { throw TemoinError.invalidDate(value: text) }
    return d
}
