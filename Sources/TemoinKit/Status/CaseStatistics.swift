import Foundation

/// The figures a court looks at, computed from a case's attempts (docs/DOMAIN.md, "What the Conseil d'État asked"):
/// how many attempts and with what outcome, on how many distinct days and distinct ISO weeks (the
/// Conseil d'État's "pas la même semaine", CE 10 June 2020 n° 435594), at which hours of the day,
/// first and last, how each was obtained, the slots ever seen and the prefecture's own publication
/// facts. `temoin status` prints them; the dossier's synthesis reuses them.
///
/// Every calendar figure is in Europe/Paris, the time zone of the prefectures and of the court. An
/// attempt's moment is its `observed_at` (when the page was seen), else its `recorded_at`.
package struct CaseStatistics: Sendable, Equatable, Encodable {
    /// A part of the day, for the "only one hour band" advice and for summaries.
    package enum HourBand: String, Sendable, CaseIterable, Codable {
        /// 00:00 to 05:59.
        case night
        /// 06:00 to 11:59.
        case morning
        /// 12:00 to 17:59.
        case afternoon
        /// 18:00 to 23:59.
        case evening

        package init(hour: Int) {
            switch hour {
            case 0..<6: self = .night
            case 6..<12: self = .morning
            case 12..<18: self = .afternoon
            default: self = .evening
            }
        }
    }

    /// Attempts of one Paris day, by outcome (the dossier's bar chart).
    package struct DayTally: Sendable, Equatable, Encodable {
        /// `YYYY-MM-DD`, Paris.
        package var day: String
        package var byOutcome: [Outcome: Int]
        package var total: Int { byOutcome.values.reduce(0, +) }

        package func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: DynamicKey.self)
            try c.encode(day, forKey: DynamicKey("day"))
            try c.encode(total, forKey: DynamicKey("total"))
            try c.encode(CaseStatistics.stringKeyed(byOutcome), forKey: DynamicKey("by_outcome"))
        }
    }

    /// An attempt that found a slot: the person should have been told to book it at once.
    package struct SlotSighting: Sendable, Equatable, Encodable {
        package var seq: Int64
        @UTCText package var at: Date
        package var url: String?
        /// Slots the page listed, when it listed them.
        package var slotsListed: Int?

        enum CodingKeys: String, CodingKey {
            case seq, at, url
            case slotsListed = "slots_listed"
        }
    }

    /// A sentence the prefecture published about its own slots, with where it was first and last seen.
    package struct PublicationSighting: Sendable, Equatable, Encodable {
        package enum Kind: String, Sendable, Codable {
            /// "Dernière mise en ligne de rendez-vous : le ..."
            case last
            /// "Prochaine mise en ligne de nouveaux rendez-vous : le ..."
            case next
        }
        package var kind: Kind
        package var fact: PublicationFact
        package var firstSeq: Int64
        package var lastSeq: Int64
        package var timesSeen: Int

        enum CodingKeys: String, CodingKey {
            case kind, fact
            case firstSeq = "first_seq"
            case lastSeq = "last_seq"
            case timesSeen = "times_seen"
        }
    }

    /// Attempts counted (within `from`...`to` when given).
    package var attempts: Int = 0
    package var byOutcome: [Outcome: Int] = [:]
    package var byProvenance: [Provenance: Int] = [:]
    /// Where each attempt's time comes from; only `witnessed` was read off temoin's clock.
    package var byTimeBasis: [TimeBasis: Int] = [:]
    /// Distinct Paris days with at least one attempt, `YYYY-MM-DD`, in order.
    package var days: [String] = []
    /// Distinct ISO 8601 weeks (Paris) with at least one attempt, `YYYY-Www`, in order.
    package var weeks: [String] = []
    /// Attempts per Paris hour of the day (24 values, index = hour).
    package var hourCounts: [Int] = Array(repeating: 0, count: 24)
    /// Attempts per weekday (0 = Monday ... 6 = Sunday) and Paris hour: the dossier's heat map.
    package var weekdayHour: [[Int]] = Array(repeating: Array(repeating: 0, count: 24), count: 7)
    package var perDay: [DayTally] = []
    package var first: Date?
    package var last: Date?
    package var firstSeq: Int64?
    package var lastSeq: Int64?
    /// Outcome of the most recent attempt.
    package var lastOutcome: Outcome?
    package var slotsSeen: [SlotSighting] = []
    package var publications: [PublicationSighting] = []
    /// Attempts whose time the evidence contradicts (docs/FORMAT.md §8), in chain order: counted among
    /// the attempts and their outcomes, but in no day, week, hour, per-day tally or heat map, since
    /// their date cannot be relied on.
    package var setAside: [Int64] = []
    /// Attempts whose outcome rests on text whose visibility temoin could not establish
    /// (`visibility.uncertain`), in chain order.
    package var uncertainSeqs: [Int64] = []
    /// The period asked for, if any (inclusive bounds).
    package var from: Date?
    package var to: Date?

    /// Paris hours (0-23) with at least one attempt.
    package var hoursCovered: [Int] { hourCounts.indices.filter { hourCounts[$0] > 0 } }

    /// Parts of the day with at least one attempt, in the order of the day.
    package var bandsCovered: [HourBand] {
        HourBand.allCases.filter { band in hoursCovered.contains { HourBand(hour: $0) == band } }
    }

    package func count(_ outcome: Outcome) -> Int { byOutcome[outcome] ?? 0 }
    package func count(_ provenance: Provenance) -> Int { byProvenance[provenance] ?? 0 }
    package func count(_ basis: TimeBasis) -> Int { byTimeBasis[basis] ?? 0 }

    package init() {}

    /// Computes the figures from entries (any order; entries other than attempts are ignored, and so
    /// are attempts outside `from`...`to`). The attempts in `contradicted` are left out of every
    /// calendar figure (days, weeks, hours) and listed in `setAside`.
    package init(entries: [StoredEntry], from: Date? = nil, to: Date? = nil, contradicted: Set<Int64> = []) {
        self.from = from
        self.to = to
        var daySet: [String: [Outcome: Int]] = [:]
        var weekSet = Set<String>()
        var publicationIndex: [String: Int] = [:]
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeFormat.paris
        calendar.locale = Locale(identifier: "en_US_POSIX")
        for entry in entries.sorted(by: { $0.seq < $1.seq }) {
            guard let body = entry.body, body.type == .attempt,
                let at = TimeFormat.parseUTC(body.observedAt ?? body.recordedAt)
            else { continue }
            if let from, at < from { continue }
            if let to, at > to { continue }
            let outcome = body.outcome ?? .unexpected
            attempts += 1
            byOutcome[outcome, default: 0] += 1
            if let p = body.provenance { byProvenance[p, default: 0] += 1 }
            byTimeBasis[body.timeBasis ?? .witnessed, default: 0] += 1
            if contradicted.contains(entry.seq) {
                setAside.append(entry.seq)
            } else {
                let c = calendar.dateComponents(
                    [.year, .month, .day, .hour, .weekday, .yearForWeekOfYear, .weekOfYear], from: at)
                let day = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
                daySet[day, default: [:]][outcome, default: 0] += 1
                weekSet.insert(String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!))
                let hour = c.hour!
                hourCounts[hour] += 1
                // Calendar weekdays count from Sunday = 1; the heat map's rows start on Monday.
                weekdayHour[(c.weekday! + 5) % 7][hour] += 1
            }
            if first == nil || at < first! {
                first = at
                firstSeq = entry.seq
            }
            if last == nil || at >= last! {
                last = at
                lastSeq = entry.seq
                lastOutcome = outcome
            }
            if body.visibility?.uncertain != nil { uncertainSeqs.append(entry.seq) }
            if outcome == .slotAvailable {
                slotsSeen.append(
                    SlotSighting(seq: entry.seq, at: at, url: body.url, slotsListed: body.facts?.slotsListed))
            }
            for (kind, fact) in [
                (PublicationSighting.Kind.last, body.facts?.lastPublication),
                (.next, body.facts?.nextPublication),
            ] {
                guard let fact else { continue }
                let key = "\(kind.rawValue)\u{0}\(fact.text)"
                if let i = publicationIndex[key] {
                    publications[i].lastSeq = entry.seq
                    publications[i].timesSeen += 1
                } else {
                    publicationIndex[key] = publications.count
                    publications.append(
                        PublicationSighting(
                            kind: kind, fact: fact, firstSeq: entry.seq, lastSeq: entry.seq, timesSeen: 1))
                }
            }
        }
        days = daySet.keys.sorted()
        weeks = weekSet.sorted()
        perDay = days.map { DayTally(day: $0, byOutcome: daySet[$0]!) }
    }

    /// Reads the attempts of `store` (only their entries are decoded) and computes the figures.
    package static func compute(store: Store, from: Date? = nil, to: Date? = nil, contradicted: Set<Int64> = []) throws
        -> CaseStatistics
    {
        CaseStatistics(
            entries: try store.entries(containing: "\"type\":\"attempt\""), from: from, to: to,
            contradicted: contradicted)
    }

    // MARK: JSON

    static func stringKeyed<K: RawRepresentable & Hashable>(_ d: [K: Int]) -> [String: Int] where K.RawValue == String {
        Dictionary(uniqueKeysWithValues: d.map { ($0.key.rawValue, $0.value) })
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: DynamicKey.self)
        func put<T: Encodable>(_ key: String, _ value: T) throws { try c.encode(value, forKey: DynamicKey(key)) }
        try put("attempts", attempts)
        try put("by_outcome", Self.stringKeyed(byOutcome))
        try put("by_provenance", Self.stringKeyed(byProvenance))
        try put("by_time_basis", Self.stringKeyed(byTimeBasis))
        try put("days", days)
        try put("distinct_days", days.count)
        try put("weeks", weeks)
        try put("distinct_weeks", weeks.count)
        try put("set_aside", setAside)
        try put("hours_covered", hoursCovered)
        try put("hour_bands", bandsCovered.map(\.rawValue))
        try put("hour_counts", hourCounts)
        try put("weekday_hour", weekdayHour)
        try put("per_day", perDay)
        try c.encodeIfPresent(first.map(TimeFormat.utc), forKey: DynamicKey("first"))
        try c.encodeIfPresent(last.map(TimeFormat.utc), forKey: DynamicKey("last"))
        try c.encodeIfPresent(firstSeq, forKey: DynamicKey("first_seq"))
        try c.encodeIfPresent(lastSeq, forKey: DynamicKey("last_seq"))
        try c.encodeIfPresent(lastOutcome, forKey: DynamicKey("last_outcome"))
        try put("slots_seen", slotsSeen)
        try put("publications", publications)
        try put("uncertain_visibility", uncertainSeqs)
        try c.encodeIfPresent(from.map(TimeFormat.utc), forKey: DynamicKey("from"))
        try c.encodeIfPresent(to.map(TimeFormat.utc), forKey: DynamicKey("to"))
    }
}

/// A coding key made from any string: for JSON objects whose keys are data (outcome names).
struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}
