import Foundation

/// Time formats used in entries and in what the tool prints.
///
/// Entries hold UTC instants as `YYYY-MM-DDTHH:MM:SS.mmmZ`; people read Europe/Paris wall time,
/// the time zone of the prefectures and of the court.
public enum TimeFormat {
    public static let paris = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 3600)!

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }

    /// `2026-11-22T21:30:00.123Z`: fixed width, sorts as text in time order.
    public static func utc(_ date: Date) -> String {
        let c = calendar(TimeZone(identifier: "UTC")!).dateComponents(
            [.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        let millis = min(999, Int((Double(c.nanosecond ?? 0) / 1_000_000).rounded(.down)))
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!,
            c.second!, millis)
    }

    /// `2026-11-22 22:30:00 CET`: the wall time in Paris with its offset name.
    public static func parisWallTime(_ date: Date) -> String {
        let c = calendar(paris).dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let abbreviation = paris.isDaylightSavingTime(for: date) ? "CEST" : "CET"
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d %@", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!,
            abbreviation)
    }

    /// Parses the UTC form written in entries (with or without milliseconds).
    public static func parseUTC(_ text: String) -> Date? {
        parse(text, defaultZone: nil)
    }

    /// Parses a date typed by a person: ISO 8601 with `Z` or an offset, or a wall time
    /// (`YYYY-MM-DD HH:MM[:SS]` or with `T`) read in `defaultZone` (Europe/Paris).
    public static func parse(_ text: String, defaultZone: TimeZone? = paris) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let pattern =
            #"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let m = regex.firstMatch(in: trimmed, range: NSRange(trimmed.startIndex..., in: trimmed))
        else { return nil }
        func group(_ i: Int) -> String? {
            guard let r = Range(m.range(at: i), in: trimmed) else { return nil }
            return String(trimmed[r])
        }
        var zone: TimeZone
        if let z = group(8) {
            if z == "Z" {
                zone = TimeZone(identifier: "UTC")!
            } else {
                let sign = z.hasPrefix("-") ? -1 : 1
                let digits = z.dropFirst().replacingOccurrences(of: ":", with: "")
                guard let hh = Int(digits.prefix(2)), let mm = Int(digits.suffix(2)), hh < 24, mm < 60,
                    let tz = TimeZone(secondsFromGMT: sign * (hh * 3600 + mm * 60))
                else { return nil }
                zone = tz
            }
        } else {
            guard let d = defaultZone else { return nil }
            zone = d
        }
        var comps = DateComponents()
        comps.year = Int(group(1)!)
        comps.month = Int(group(2)!)
        comps.day = Int(group(3)!)
        comps.hour = Int(group(4) ?? "0")
        comps.minute = Int(group(5) ?? "0")
        comps.second = Int(group(6) ?? "0")
        if let frac = group(7) {
            let padded = (frac + "000000000").prefix(9)
            comps.nanosecond = Int(padded)
        }
        guard let month = comps.month, (1...12).contains(month), let day = comps.day, (1...31).contains(day),
            let hour = comps.hour, hour < 24, let minute = comps.minute, minute < 60,
            let second = comps.second, second < 61
        else { return nil }
        let cal = calendar(zone)
        guard let date = cal.date(from: comps) else { return nil }
        // Reject dates Calendar silently rolled over (31 February becomes 3 March).
        let back = cal.dateComponents([.year, .month, .day], from: date)
        guard back.year == comps.year, back.month == comps.month, back.day == comps.day else { return nil }
        return date
    }
}
