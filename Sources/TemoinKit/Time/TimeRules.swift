import Foundation

/// The constants and the exact time grammars of docs/FORMAT.md §8, shared by every use of the time
/// rules (verify, status, the check after an attempt, the dossier).
///
/// Invariant: every instant is an integer number of milliseconds since 1970-01-01T00:00:00Z, read with
/// integer arithmetic only, so temoin and the reference verifier compare the same numbers and reach the
/// same problems; nothing here depends on the time zone or on floating point.
package enum TimeRules {
    /// How far a time may be from what the evidence shows before it counts as contradicted: the
    /// prefecture's server clock, the order of the chain, the case's opening, the seals. Two minutes:
    /// well under what a court counts (days, ISO weeks, hours of the day), well over network delays,
    /// the `Date` header's one-second resolution, and a time-stamp authority's stated accuracy.
    package static let toleranceMs: Int64 = 120_000
    /// How far past the verifier's own clock a time may be before it counts as in the future (the
    /// verifier's clock may be off too; docs/FORMAT.md §7.1 allows the same for genTime).
    package static let futureToleranceMs: Int64 = 300_000
    /// A seal window at most this wide (and consistent with the attempt's times) corroborates an
    /// attempt that has no server clock (an unreachable site).
    package static let sealWindowMs: Int64 = toleranceMs

    // MARK: Grammars

    /// Milliseconds since the epoch of an instant in the exact form of docs/FORMAT.md §5,
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` (years 0001 to 9999); nil for anything else.
    package static func instantMs(_ text: String) -> Int64? {
        guard text.utf8.count == 24 else { return nil }
        // Read in place (every entry's times go through here when a store is verified).
        if let parsed = text.utf8.withContiguousStorageIfAvailable(instantMs) { return parsed }
        return Array(text.utf8).withUnsafeBufferPointer(instantMs)
    }

    private static func instantMs(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 24, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
            b[19] == 0x2E, b[23] == 0x5A,
            let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
            let hour = digits(b, 11, 2), let minute = digits(b, 14, 2), let second = digits(b, 17, 2),
            let millis = digits(b, 20, 3)
        else { return nil }
        return milliseconds(year, month, day, hour, minute, second, millis)
    }

    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Milliseconds since the epoch of an HTTP `Date` in the IMF-fixdate form of RFC 9110 §5.6.7,
    /// exactly `Sun, 06 Nov 1994 08:49:37 GMT` (the weekday is not checked against the date); nil
    /// for anything else, including the obsolete RFC 850 and asctime forms.
    package static func httpDateMs(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 29, b[3] == 0x2C, b[4] == 0x20, b[7] == 0x20, b[11] == 0x20, b[16] == 0x20,
            b[19] == 0x3A, b[22] == 0x3A, b[25] == 0x20,
            String(decoding: b[26..<29], as: UTF8.self) == "GMT",
            weekdays.contains(String(decoding: b[0..<3], as: UTF8.self)),
            let monthIndex = months.firstIndex(of: String(decoding: b[8..<11], as: UTF8.self)),
            let day = digits(b, 5, 2), let year = digits(b, 12, 4), let hour = digits(b, 17, 2),
            let minute = digits(b, 20, 2), let second = digits(b, 23, 2)
        else { return nil }
        return milliseconds(year, monthIndex + 1, day, hour, minute, second, 0)
    }

    /// Milliseconds since the epoch of a DER GeneralizedTime's text, `YYYYMMDDHHMMSS[.f…]Z` (a
    /// TSTInfo's genTime); a fraction is truncated to milliseconds. nil for anything else.
    package static func generalizedTimeMs(_ bytes: [UInt8]) -> Int64? {
        guard bytes.count >= 15, bytes.last == 0x5A, let year = digits(bytes, 0, 4), let month = digits(bytes, 4, 2),
            let day = digits(bytes, 6, 2), let hour = digits(bytes, 8, 2), let minute = digits(bytes, 10, 2),
            let second = digits(bytes, 12, 2)
        else { return nil }
        var millis = 0
        if bytes.count > 15 {
            // A fraction: "." then at least one digit, then the final "Z".
            guard bytes[14] == 0x2E, bytes.count >= 17 else { return nil }
            let fraction = bytes[15..<(bytes.count - 1)]
            guard fraction.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            for (i, d) in fraction.prefix(3).enumerated() { millis += Int(d - 0x30) * [100, 10, 1][i] }
        }
        return milliseconds(year, month, day, hour, minute, second, millis)
    }

    /// The store's UTC form of an instant in milliseconds (docs/FORMAT.md §5).
    package static func utc(_ ms: Int64) -> String {
        let days = floorDivide(ms, 86_400_000)
        let rest = ms - days * 86_400_000
        let (y, m, d) = civil(days)
        let h = rest / 3_600_000
        let mi = rest / 60_000 % 60
        let s = rest / 1000 % 60
        let f = rest % 1000
        func pad(_ v: Int64, _ n: Int) -> String {
            let t = String(v)
            return String(repeating: "0", count: max(0, n - t.count)) + t
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(f, 3))Z"
    }

    /// The `Date` of an instant in milliseconds, for display.
    package static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    /// Milliseconds since the epoch of a `Date`, truncated as `TimeFormat.utc` truncates.
    package static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    // MARK: Arithmetic

    private static func digits(_ b: [UInt8], _ from: Int, _ count: Int) -> Int? {
        b.withUnsafeBufferPointer { digits($0, from, count) }
    }

    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ count: Int) -> Int? {
        guard count > 0, from + count <= b.count, count <= 18 else { return nil }
        var v = 0
        for i in from..<from + count {
            guard (0x30...0x39).contains(b[i]) else { return nil }
            v = v * 10 + Int(b[i] - 0x30)
        }
        return v
    }

    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func milliseconds(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, _ millis: Int
    ) -> Int64? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60, millis < 1000
        else { return nil }
        let days = daysFromCivil(Int64(year), Int64(month), Int64(day))
        return ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000 + Int64(second) * 1000 + Int64(millis)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = floorDivide(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = floorDivide(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
