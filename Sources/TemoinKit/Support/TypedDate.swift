import Foundation

extension TimeFormat {
    /// The earliest time an attempt may be declared at. No prefecture took appointments online before
    /// the 2000s (the prefectures' booking module dates from the 2010s): an earlier date is a typing
    /// mistake (`0001-01-01`, `1900-01-01`, a year missing a digit), and it would be counted as a day and
    /// an ISO week of the record.
    package static let earliestAttempt = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01T00:00:00Z

    /// A date or time typed by a person, as ``parse(_:defaultZone:)`` reads it, but with a reason when it
    /// cannot be used: a wall time (no offset) that does not exist in Paris (the hour skipped when clocks
    /// go forward) or exists twice (the hour repeated when they go back) is refused with the explicit
    /// forms to type instead, never resolved silently; `earliest` refuses dates before it.
    package static func interpret(_ text: String, earliest: Date? = nil) throws -> Date {
        guard let lenient = parse(text) else { throw TemoinError.invalidDate(value: text) }
        var date = lenient
        // Without an offset, the text is a Paris wall time: find every instant that shows it.
        if parse(text, defaultZone: nil) == nil, let utc = TimeZone(identifier: "UTC"),
            let wall = parse(text, defaultZone: utc)
        {
            let offsets = Set([-43_200.0, 43_200.0].map { paris.secondsFromGMT(for: wall.addingTimeInterval($0)) })
            let instants = offsets.sorted(by: >).map { wall.addingTimeInterval(-Double($0)) }.filter {
                offsets.count == 1 || paris.secondsFromGMT(for: $0) == Int(wall.timeIntervalSince($0))
            }
            let typed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "T")
            if instants.isEmpty {
                // The hour skipped: the same wall time one hour later, with its offset, is what a clock showed.
                let later = wall.addingTimeInterval(3600)
                let shown = later.addingTimeInterval(
                    -Double(paris.secondsFromGMT(for: later.addingTimeInterval(-7200))))
                throw TemoinError.nonexistentParisTime(value: text, suggestion: explicit(shown))
            }
            if instants.count > 1 {
                throw TemoinError.ambiguousParisTime(
                    value: text, first: typed + offsetText(paris.secondsFromGMT(for: instants[0])),
                    second: typed + offsetText(paris.secondsFromGMT(for: instants[1])))
            }
            date = instants[0]
        }
        try checkEarliest(date, typed: text, earliest: earliest)
        return date
    }

    /// Refuses `date`, typed as `text`, when it is before `earliest` (a typing mistake).
    static func checkEarliest(_ date: Date, typed text: String, earliest: Date?) throws {
        if let earliest, date < earliest {
            throw TemoinError.dateTooEarly(value: text, earliest: String(utc(earliest).prefix(10)))
        }
    }

    /// `2026-03-29T03:30+02:00`: the Paris wall time of `date` with its offset.
    static func explicit(_ date: Date) -> String {
        let offset = paris.secondsFromGMT(for: date)
        let wall = utc(date.addingTimeInterval(Double(offset)))
        return String(wall.prefix(16)) + offsetText(offset)
    }

    static func offsetText(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return String(format: "%@%02d:%02d", sign, minutes / 60, minutes % 60)
    }
}
