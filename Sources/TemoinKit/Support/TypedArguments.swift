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

/// A date or time as a person types it (`TimeFormat.interpret`: Paris time unless an offset is given;
/// a Paris wall time skipped or repeated by a clock change is refused with what to type instead).
package struct DateText: Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The text as typed.
    package let description: String
    private let date: Result<Date, TemoinError>

    package init(_ text: String) {
        description = text
        do { date = .success(try TimeFormat.interpret(text)) } catch {
            date = .failure(error as? TemoinError ?? .invalidDate(value: text))
        }
    }

    package init(stringLiteral text: String) { self.init(text) }

    /// The instant; throws the error that says why the text is no date, or `.dateTooEarly` when it is
    /// before `earliest`.
    package func value(earliest: Date? = nil) throws -> Date {
        let date = try date.get()
        try TimeFormat.checkEarliest(date, typed: description, earliest: earliest)
        return date
    }
}

extension Pace {
    /// The pace as typed (`--every 2h --jitter 30m`; a jitter may be `0`): throws the error that names
    /// the text that is no duration, or says why the pace is refused.
    package init(every: DurationText, jitter: DurationText) throws {
        try self.init(every: every.value(), jitter: jitter.value())
    }
}

/// `--expect-head SEQ:HASH` as typed (``ExpectedHead``, docs/FORMAT.md §6.8).
package struct ExpectedHeadText: Sendable, CustomStringConvertible {
    /// The text as typed.
    package let description: String
    private let head: Result<ExpectedHead, TemoinError>

    package init(_ text: String) {
        description = text
        head = ExpectedHead(parsing: text).map { .success($0) } ?? .failure(.invalidExpectedHead(value: text))
    }

    /// The head; throws `.invalidExpectedHead` (a bad argument, never a finding) when the text does not
    /// follow the grammar.
    package func value() throws -> ExpectedHead { try head.get() }
}

/// A vocabulary recorded with underscores (`registered_letter`) and typed with dashes
/// (`registered-letter`): both spellings are read, in any case; the dashed one is shown.
package protocol TypedName: RawRepresentable<String> {
    /// The values a person may type (for an open set, the ones known today).
    static var typedCases: [Self] { get }
}

extension TypedName {
    /// The value `text` names, or nil when it names none.
    package init?(typed text: String) {
        let value = text.replacingOccurrences(of: "-", with: "_").lowercased()
        guard let kind = Self.typedCases.first(where: { $0.rawValue == value }) else { return nil }
        self = kind
    }

    /// The values as a person types them, in order.
    package static var typedNames: [String] {
        typedCases.map { $0.rawValue.replacingOccurrences(of: "_", with: "-") }
    }
}

extension TypedName where Self: CaseIterable {
    package static var typedCases: [Self] { Array(allCases) }
}

extension StepKind: TypedName {}

extension FollowUpKind: TypedName {}

extension NoteKind: TypedName {
    package static var typedCases: [NoteKind] { known }
}
