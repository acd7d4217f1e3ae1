import Foundation

/// One piece of advice `temoin status` gives, drawn from what the courts ask (docs/DOMAIN.md).
package struct Advice: Sendable, Equatable, Encodable {
    /// Each rule, named by its message key `status.advice.<rule>`.
    package enum Rule: String, Sendable, CaseIterable, Codable {
        /// `verify` found the store altered or damaged.
        case notIntact = "not_intact"
        /// A slot was seen in the last `CaseAdvice.slotRecentDays` days: book it now.
        case slotSeen = "slot_seen"
        /// A slot was seen earlier: the judge may ask what became of it.
        case slotSeenEarlier = "slot_seen_earlier"
        case noAttempts = "no_attempts"
        /// Fewer than `CaseAdvice.minimumAttempts`: four screenshots were not enough (CE n° 435594).
        case fewAttempts = "few_attempts"
        /// Every attempt in one ISO week: the Conseil d'État asks for different weeks (CE n° 435594).
        case singleWeek = "single_week"
        /// Fewer than `CaseAdvice.minimumDays` distinct days.
        case fewDays = "few_days"
        /// Every attempt in one part of the day.
        case oneHourBand = "one_hour_band"
        /// No attempt for `CaseAdvice.staleAfterDays` days.
        case stale
        /// Only imported attempts, with declared times: none witnessed by temoin's clock.
        case declaredTimesOnly = "declared_times_only"
        /// No urgency facts in the case (CE n° 453391).
        case noUrgencyFacts = "no_urgency_facts"
        /// The store can hold seals but has none.
        case noSeal = "no_seal"
        /// Attempts whose time the evidence contradicts (docs/FORMAT.md §8): the clock must be set right.
        case timeContradicted = "time_contradicted"
        /// Identical page bytes recorded with different outcomes (issue 14, point 3).
        case samePageTwoOutcomes = "same_page_two_outcomes"
        /// A fact or a note written before a date it mentions.
        case declaredBeforeDate = "declared_before_date"
        /// No registered letter to the préfet among the steps: the « démarches entreprises » of a
        /// requête include one, asking for an appointment (DOMAIN.md).
        case noRegisteredLetter = "no_registered_letter"
        /// Nothing to fix: keep recording until the hearing.
        case keepGoing = "keep_going"
    }

    package enum Level: String, Sendable, Codable, Comparable {
        case urgent, warning, info

        private var rank: Int { self == .urgent ? 0 : self == .warning ? 1 : 2 }
        package static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
    }

    package var rule: Rule
    package var level: Level
    /// Values for the message's placeholders.
    package var arguments: [String: String]

    package init(_ rule: Rule, _ level: Level, _ arguments: [String: String] = [:]) {
        self.rule = rule
        self.level = level
        self.arguments = arguments
    }

    /// The advice in the current language.
    package var text: String { tr("status.advice.\(rule.rawValue)", arguments) }

    enum CodingKeys: String, CodingKey { case rule, level, arguments, text }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rule, forKey: .rule)
        try c.encode(level, forKey: .level)
        try c.encode(arguments, forKey: .arguments)
        try c.encode(text, forKey: .text)
    }
}

/// The rules behind `temoin status`'s advice. Thresholds are public so the dossier and the
/// documentation quote the same numbers.
package enum CaseAdvice {
    /// Below this, the record is thin: the Conseil d'État found four screenshots insufficient.
    package static let minimumAttempts = 10
    /// Below this many distinct days, attempts are not "every day if possible".
    package static let minimumDays = 5
    /// A record with no attempt for this many days looks abandoned; urgency is judged at the hearing.
    package static let staleAfterDays = 7
    /// A slot seen this recently may still be there.
    package static let slotRecentDays = 3

    /// The advice for a case, most pressing first.
    /// - Parameters:
    ///   - facts: the case's urgency facts as recorded.
    ///   - verdict: the verification verdict, when the store was verified.
    ///   - seals: the number of seals, or nil when the store cannot hold seals.
    ///   - lettersToPrefect: registered letters to the préfet among the steps; nil: not counted.
    package static func evaluate(
        _ s: CaseStatistics, facts: String, verdict: VerificationReport.Verdict?, seals: Int?, time: StatusTime? = nil,
        lettersToPrefect: Int? = nil, now: Date = Date(), consistency: ConsistencyReport = ConsistencyReport(),
        notedEntries: Set<Int64> = []
    ) -> [Advice] {
        var out: [Advice] = []
        if verdict == .tampered { out.append(Advice(.notIntact, .urgent)) }
        if let time, let first = time.contradicted.first {
            // Urgent while the chain's last attempt is among them: the clock is probably still wrong.
            let current = time.contradicted.last?.seq == time.lastAttemptSeq
            out.append(
                Advice(
                    .timeContradicted, current ? .urgent : .warning,
                    [
                        "count": String(time.contradicted.count), "seqs": TimeText.seqs(time.contradicted.map(\.seq)),
                        // With several, the figures are the first one's: say whose.
                        "problem": first.mainProblem.map { p in
                            time.contradicted.count == 1
                                ? p.text()
                                : tr("status.time.contradicted", ["seq": String(first.seq), "problem": p.text()])
                        } ?? "",
                        "kept": TimeText.plural("status.advice.time_kept", time.contradicted.count),
                    ]))
        }
        for group in consistency.samePage {
            let sightings = group.outcomes.map { o in
                let seqs = group.attempts.filter { $0.outcome == o }.map(\.seq)
                return "\(tr("outcome.\(o.rawValue)")) (#\(Wording.ranges(seqs)))"
            }
            out.append(
                Advice(
                    .samePageTwoOutcomes, .warning,
                    ["digest": String(group.digest.prefix(16)), "sightings": sightings.joined(separator: ", ")]))
        }
        for e in consistency.earlyStatements {
            out.append(
                Advice(
                    .declaredBeforeDate, .warning,
                    [
                        "seq": String(e.seq), "declared": TimeFormat.parisWallTime(e.declaredAt),
                        "mentioned": String(TimeFormat.parisWallTime(e.mentioned).prefix(10)),
                        "excerpt": String(e.excerpt.prefix(120)),
                    ]))
        }
        // A slot the person already wrote a note about (`temoin note`) needs no more reminder.
        if let slot = s.slotsSeen.last, !notedEntries.contains(slot.seq) {
            let args = ["when": TimeFormat.parisWallTime(slot.at), "seq": String(slot.seq), "url": slot.url ?? ""]
            if now.timeIntervalSince(slot.at) <= Double(slotRecentDays) * 86_400 {
                out.append(Advice(.slotSeen, .urgent, args))
            } else {
                out.append(Advice(.slotSeenEarlier, .warning, args))
            }
        }
        if s.attempts == 0 {
            out.append(Advice(.noAttempts, .warning))
        } else {
            if s.attempts < minimumAttempts {
                out.append(
                    Advice(.fewAttempts, .warning, ["count": String(s.attempts), "minimum": String(minimumAttempts)]))
            }
            if s.weeks.count == 1 { out.append(Advice(.singleWeek, .warning, ["week": s.weeks[0]])) }
            if s.days.count < minimumDays {
                out.append(Advice(.fewDays, .warning, ["days": String(s.days.count), "minimum": String(minimumDays)]))
            }
            if s.attempts >= 2, s.bandsCovered.count == 1 {
                out.append(Advice(.oneHourBand, .warning, ["band": tr("status.band.\(s.bandsCovered[0].rawValue)")]))
            }
            if let last = s.last, now.timeIntervalSince(last) > Double(staleAfterDays) * 86_400 {
                out.append(
                    Advice(
                        .stale, .warning,
                        [
                            "when": TimeFormat.parisWallTime(last),
                            "days": String(Int(now.timeIntervalSince(last) / 86_400)),
                        ]))
            }
            if s.count(TimeBasis.witnessed) == 0 { out.append(Advice(.declaredTimesOnly, .warning)) }
        }
        if facts.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            out.append(Advice(.noUrgencyFacts, .warning))
        }
        if lettersToPrefect == 0 { out.append(Advice(.noRegisteredLetter, .warning)) }
        if seals == 0, s.attempts > 0 { out.append(Advice(.noSeal, .info)) }
        if !out.contains(where: { $0.level != .info }) {
            out.append(
                Advice(
                    .keepGoing, .info,
                    ["attempts": String(s.attempts), "days": String(s.days.count), "weeks": String(s.weeks.count)]))
        }
        return out.enumerated().sorted { ($0.element.level, $0.offset) < ($1.element.level, $1.offset) }.map(\.element)
    }
}
