import Foundation

// Values a person types on the command line, read once where they are typed: the text as given (shown
// back in help and errors) and what it means, or the error that names it. A command checks them
// before doing anything, then takes the value without reading the text again.

/// A size such as `20MB`, `500k` or `1048576` (bytes, `ByteCount.parse`).
package struct ByteLimit: Sendable, CustomStringConvertible {
    /// The text as typed.
    package let description: String
    private let bytes: Result<Int64, TemoinError>

    package init(_ text: String) {
        description = text
        bytes = ByteCount.parse(text).map { .success($0) } ?? .failure(.invalidSize(value: text))
    }

    /// The number of bytes; throws `.invalidSize` (a bad argument) when the text is no size.
    package func value() throws -> Int64 { try bytes.get() }
}

/// A duration such as `2h`, `30m` or `1h30m` (`Pace.parseDuration`), or `0` (a jitter of none; a
/// pace refuses it as an interval).
package struct DurationText: Sendable, CustomStringConvertible {
    /// The text as typed.
    package let description: String
    private let seconds: Result<TimeInterval, TemoinError>

    package init(_ text: String) {
        description = text
        let zero: TimeInterval? = text == "0" ? 0 : nil
        seconds = (Pace.parseDuration(text) ?? zero).map { .success($0) } ?? .failure(.invalidDuration(value: text))
    }

    /// The seconds; throws `.invalidDuration` (a bad argument) when the text is no duration.
    package func value() throws -> TimeInterval { try seconds.get() }
}

extension Pace {
    /// The pace as typed (`--every 2h --jitter 30m`; a jitter may be `0`): throws the error that names
    /// the text that is no duration, or says why the pace is refused.
    package init(every: DurationText, jitter: DurationText) throws {
        try self.init(every: every.value(), jitter: jitter.value())
    }
}
