import Foundation
import Synchronization

/// The humane pace of automated attempts: minutes apart, never bursts (docs/DESIGN.md).
package struct Pace: Sendable, Equatable {
    /// The shortest interval temoin accepts between automated attempts.
    package static let minimumInterval: TimeInterval = 5 * 60

    package let every: TimeInterval
    package let jitter: TimeInterval

    package init(every: TimeInterval, jitter: TimeInterval = 0) throws {
        guard every >= Self.minimumInterval else { throw TemoinError.intervalTooShort(seconds: Int(every)) }
        guard jitter >= 0, jitter < every else { throw TemoinError.invalidJitter(seconds: Int(jitter)) }
        self.every = every
        self.jitter = jitter
    }

    /// The wait before the next attempt: `every` ± `jitter`, never under the minimum, so attempts drift
    /// across the hours of the day.
    package func nextDelay<G: RandomNumberGenerator>(using generator: inout G) -> TimeInterval {
        let offset = jitter > 0 ? Double.random(in: -jitter...jitter, using: &generator) : 0
        return max(Self.minimumInterval, every + offset)
    }

    /// `61d`, `-3m`, `+90s`, `0`: seconds, negative for a clock behind (`simulate --clock-skew`); nil when
    /// the text is no duration.
    package static func parseSignedDuration(_ text: String) -> TimeInterval? {
        if text == "0" { return 0 }
        let negative = text.hasPrefix("-")
        let body = negative || text.hasPrefix("+") ? String(text.dropFirst()) : text
        return parseDuration(body).map { negative ? -$0 : $0 }
    }

    /// Parses "2h", "40m", "90s", "1h30m", "1d".
    package static func parseDuration(_ text: String) -> TimeInterval? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !t.isEmpty else { return nil }
        var total: TimeInterval = 0
        var number = ""
        var sawUnit = false
        for ch in t {
            if ch.isNumber || ch == "." {
                number.append(ch)
                continue
            }
            guard let n = Double(number) else { return nil }
            switch ch {
            case "d": total += n * 86_400
            case "h": total += n * 3600
            case "m": total += n * 60
            case "s": total += n
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        if !number.isEmpty {
            guard let n = Double(number), !sawUnit else { return nil }
            total += n * 60  // a bare number means minutes
        }
        return total > 0 ? total : nil
    }
}

/// Set by Ctrl-C; read by the transfer and the watch loop.
package final class StopFlag: InterruptionFlag, @unchecked Sendable {
    private let raised = Atomic<Bool>(false)

    package init() {}

    package var isRaised: Bool { raised.load(ordering: .relaxed) }

    package func raise() { raised.store(true, ordering: .relaxed) }
}
