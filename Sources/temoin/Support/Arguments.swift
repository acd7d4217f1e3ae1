import ArgumentParser
import Foundation
import TemoinKit

func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}

extension Language: ExpressibleByArgument {}

/// Reads a date typed by a person; the message shows the accepted forms, or why the time cannot be
/// used (skipped or repeated in Paris when clocks change; before 2000 for an attempt).
func parseDate(_ text: String, earliest: Date? = nil) throws -> Date {
    try TimeFormat.interpret(text, earliest: earliest)
}
