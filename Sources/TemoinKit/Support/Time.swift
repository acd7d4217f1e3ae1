import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Time formats used in entries and in what the tool prints.
///
/// Entries hold UTC instants as `YYYY-MM-DDTHH:MM:SS.mmmZ`; people read Europe/Paris wall time,
/// the time zone of the prefectures and of the court.
package enum TimeFormat {
    package static let paris = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 3600)!

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }

    /// Seconds from 1970 to 2001, the reference date `Date` counts from.
    private static let referenceEpoch: Int64 = 978_307_200

    /// `2026-11-22T21:30:00.123Z`: fixed width, sorts as text in time order.
    ///
    /// gmtime_r on the whole seconds and the milliseconds truncated from the fraction, as Calendar
    /// would give them, without Calendar's cost (it runs several times per attempt and import).
    package static func utc(_ date: Date) -> String {
        let interval = date.timeIntervalSinceReferenceDate
        let whole = interval.rounded(.down)
        guard whole.isFinite, abs(whole) < 1e15 else { return "0000-00-00T00:00:00.000Z" }
        let millis = min(999, max(0, Int(((interval - whole) * 1000).rounded(.down))))
        var seconds = time_t(Int64(whole) + referenceEpoch)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return "0000-00-00T00:00:00.000Z" }
        let year = Int(parts.tm_year) + 1900
        guard (0...9999).contains(year) else {
            return String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", year, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
        }
        var out = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, _ digits: Int, at start: Int) {
            var v = value
            for i in stride(from: start + digits - 1, through: start, by: -1) {
                out[i] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                v /= 10
            }
        }
        put(year, 4, at: 0)
        out[4] = UInt8(ascii: "-")
        put(Int(parts.tm_mon) + 1, 2, at: 5)
        out[7] = UInt8(ascii: "-")
        put(Int(parts.tm_mday), 2, at: 8)
        out[10] = UInt8(ascii: "T")
        put(Int(parts.tm_hour), 2, at: 11)
        out[13] = UInt8(ascii: ":")
        put(Int(parts.tm_min), 2, at: 14)
        out[16] = UInt8(ascii: ":")
        put(Int(parts.tm_sec), 2, at: 17)
        out[19] = UInt8(ascii: ".")
        put(millis, 3, at: 20)
        out[23] = UInt8(ascii: "Z")
        return String(decoding: out, as: UTF8.self)
    }

    /// `2026-11-22 22:30:00 CET`: the wall time in Paris with its offset name. The time zone gives the
    /// offset in effect at that instant; the wall time is then plain arithmetic (no Calendar).
    package static func parisWallTime(_ date: Date) -> String {
        let abbreviation = paris.isDaylightSavingTime(for: date) ? "CEST" : "CET"
        let whole = date.timeIntervalSince1970.rounded(.down)
        guard whole.isFinite, abs(whole) < 1e15 else { return "?" }
        var seconds = time_t(Int64(whole) + Int64(paris.secondsFromGMT(for: date)))
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return "?" }
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d %@", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), abbreviation)
    }

    /// Parses the UTC form written in entries (with or without milliseconds).
    package static func parseUTC(_ text: String) -> Date? {
        fixedWidthUTC(text) ?? parse(text, defaultZone: nil)
    }

    /// The exact form `utc(_:)` writes, read with integer arithmetic (no regular expression, no
    /// Calendar); nil for anything else, which the general parser then reads.
    static func fixedWidthUTC(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 24, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x2E,
            b[23] == 0x5A
        else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<from + count {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2), let millis = number(20, 3),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        // timegm normalises 31 February into March: such a text is not a date.
        guard parts.tm_mday == Int32(day), parts.tm_mon == Int32(month - 1) else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1000)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// An HTTP `Date` header in the IMF-fixdate form (RFC 9110: `Sun, 06 Nov 1994 08:49:37 GMT`);
    /// nil for anything else.
    package static func httpDate(_ text: String) -> Date? {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 6, fields[0].count == 4, fields[0].hasSuffix(","), fields[5] == "GMT",
            let day = Int(fields[1]), (1...31).contains(day), fields[1].count == 2,
            let month = months.firstIndex(of: String(fields[2])), fields[3].count == 4, let year = Int(fields[3])
        else { return nil }
        let clock = fields[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }), let hour = Int(clock[0]),
            let minute = Int(clock[1]), let second = Int(clock[2]), hour < 24, minute < 60, second < 61
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        guard parts.tm_mday == Int32(day), parts.tm_mon == Int32(month) else { return nil }
        return Date(timeIntervalSince1970: Double(seconds))
    }

    /// Parses a date typed by a person: ISO 8601 with `Z` or an offset, or a wall time
    /// (`YYYY-MM-DD HH:MM[:SS]` or with `T`) read in `defaultZone` (Europe/Paris).
    package static func parse(_ text: String, defaultZone: TimeZone? = paris) -> Date? {
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
