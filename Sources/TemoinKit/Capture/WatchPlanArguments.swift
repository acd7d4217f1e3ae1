import Foundation

extension WatchPlan {
    /// The plan of `temoin watch` as typed: `every` and `jitter` as durations (`2h`, `30m`; a jitter
    /// may be `0`), `until` as a date a person writes (Paris time unless an offset is given). Throws the
    /// error that names the wrong value, or says why the pace is refused (attempts too close).
    package init(every: String, jitter: String, until: String?, count: Int?) throws {
        try self.init(
            every: DurationText(every), jitter: DurationText(jitter), until: until.map { DateText($0) }, count: count)
    }

    /// A `count` below 1 is `.invalidCount`, said after what is wrong with the pace.
    package init(every: DurationText, jitter: DurationText, until: DateText?, count: Int?) throws {
        let pace = try Pace(every: every, jitter: jitter)
        if let count, count < 1 { throw TemoinError.invalidCount }
        self.init(pace: pace, deadline: try until?.value(), count: count)
    }
}
