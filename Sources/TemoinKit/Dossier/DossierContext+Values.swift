import Foundation
import Synchronization
import TemoinPDF

/// The values every document shares: the case, the counts and their sentences.
extension DossierContext {
    // MARK: shared values

    /// Computes the shared values now, before several threads read them.
    func prepare() { _ = common }

    /// `n` as a count, with `key_plural` and `has_key`.
    func put(_ v: inout [String: Any], _ key: String, _ n: Int) {
        v[key] = Count(value: n, language: language)
        v[key + "_plural"] = wording.plural(n)
        v["has_" + key] = n > 0
    }

    func makeCommon() -> [String: Any] {
        var v: [String: Any] = [:]
        let f = data.caseRecord.fields
        let s = data.statistics
        let w = wording
        // The case.
        v["applicant"] = f.applicant
        v["of_applicant"] = w.of(f.applicant)
        v["prefecture"] = f.prefecture
        v["prefecture_in_sentence"] = w.prefectureInSentence(f.prefecture)
        let prefet = w.prefet(f.prefecture)
        v["prefet"] = prefet
        v["prefet_title"] = prefet.prefix(1).uppercased() + prefet.dropFirst()
        v["prefet_dative"] =
            language == .fr
            ? (prefet.hasPrefix("le ") ? "au " + prefet.dropFirst(3) : "à " + prefet) : "the " + prefet.dropFirst(4)
        v["procedure"] = f.procedure
        v["booking_url"] = f.bookingURL
        v["has_booking_url"] = !f.bookingURL.isEmpty
        v["profile"] = f.profile
        v["facts_lines"] = f.facts.split(whereSeparator: \.isNewline).map { ["line": String($0)] }
        v["has_facts"] = !f.facts.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        let factsEntry = data.caseRecord.amendments.last { $0.amendment.field == CaseField.facts.rawValue }
        v["facts_seq"] = factsEntry?.seq ?? 1
        v["facts_declared"] =
            TimeFormat.parseUTC(factsEntry?.recordedAt ?? data.caseRecord.openedAt).map { w.longDate($0) } ?? ""
        v["opened_at"] = TimeFormat.parseUTC(data.caseRecord.openedAt).map(dateTime) ?? data.caseRecord.openedAt
        // The document.
        v["generated_at"] = dateTime(data.generatedAt)
        v["generated_day"] = w.longDate(data.generatedAt)
        // A contradicted time does not stretch the period (it is listed apart, p. « Les heures »).
        let sure = data.attempts.filter { !$0.timeContradicted }.map(\.observedAt)
        v["period_from"] = (data.from ?? sure.min() ?? s.first).map { w.longDate($0) } ?? ""
        v["period_to"] = (data.to ?? sure.max() ?? s.last).map { w.longDate($0) } ?? ""
        v["first_day"] = s.first.map { w.longDate($0) } ?? ""
        v["last_day"] = s.last.map { w.longDate($0) } ?? ""
        v["tool_version"] = Temoin.version
        // The chain.
        v["head_display"] = data.head.display
        v["head_short"] = "n°\u{00A0}\(data.head.seq) · " + Wording.grouped(data.head.hash, groups: 2)
        v["head_grouped"] = Wording.grouped(data.head.hash)
        v["head_seq"] = data.head.seq
        v["head_hash"] = data.head.hash
        v["store_id"] = data.storeID
        // Pièces.
        for p in pieces where p.kind != .proof {
            let key = p.kind == .releve ? "pj1" : p.kind == .captures ? "pj2" : "journal"
            v[key + "_number"] = p.number
            v[key + "_label"] = p.label
            v[key + "_title"] = p.title(language)
        }
        v["has_journal"] = piece(.journal) != nil
        // The figures.
        put(&v, "attempts", s.attempts)
        put(&v, "days", s.days.count)
        put(&v, "weeks", s.weeks.count)
        put(&v, "hours_count", s.hoursCovered.count)
        v["hours_list"] = s.hoursCovered.map { "\($0)\u{00A0}h" }.joined(separator: ", ")
        v["one_attempt"] = s.attempts == 1
        v["one_day"] = s.days.count == 1
        v["single_week"] = s.weeks.count == 1
        v["multi_week"] = s.weeks.count >= 2
        v["varied_hours"] = s.bandsCovered.count >= 2
        v["bands_list"] = bandsPhrase(s)
        v["first"] = s.first.map(dateTime) ?? ""
        v["last"] = s.last.map(dateTime) ?? ""
        v["last_ago"] = s.last.map { w.ago($0, now: data.generatedAt) } ?? ""
        v["last_short"] = s.last.map { w.shortDateTime($0, seconds: false) } ?? ""
        v["last_outcome"] = s.lastOutcome.map(outcomeLabel) ?? ""
        v["last_seq"] = s.lastSeq ?? 0
        // The latest recorded time may be the one the chain contradicts (a clock set ahead): say so there.
        v["last_contradicted"] = s.lastSeq.map { s.setAside.contains($0) } ?? false
        v["codes_legend"] = templates.label("codes.legend")
        let byCategory = Dictionary(grouping: data.attempts, by: \.category).mapValues(\.count)
        put(&v, "no_slot", byCategory[.noSlot] ?? 0)
        put(&v, "site_error", byCategory[.siteError] ?? 0)
        put(&v, "slots", byCategory[.slot] ?? 0)
        put(&v, "inconclusive", byCategory[.inconclusive] ?? 0)
        v["all_no_slot"] = (byCategory[.noSlot] ?? 0) == s.attempts
        v["inconclusive_detail"] = [Outcome.captcha, .unreachable, .unexpected].compactMap { o -> String? in
            let n = s.count(o)
            return n > 0 ? "\(templates.label("inconclusive.\(o.rawValue)")) : \(w.number(n))" : nil
        }.joined(separator: ", ")
        v["outcomes"] = OutcomePalette.order.compactMap { o -> [String: Any]? in
            let n = s.count(o)
            guard n > 0 else { return nil }
            return ["label": outcomeLabel(o), "count": Count(value: n, language: language)]
        }
        // How the attempts were made.
        put(&v, "count_captured", s.count(.captured))
        put(&v, "count_witnessed", s.count(Provenance.witnessed))
        put(&v, "count_imported", s.count(.imported))
        v["has_captured"] = s.count(.captured) > 0
        v["has_witnessed"] = s.count(Provenance.witnessed) > 0
        v["has_imported"] = s.count(.imported) > 0
        let declared = s.attempts - s.count(TimeBasis.witnessed)
        put(&v, "declared_count", declared)
        v["declared_plural"] = w.plural(declared)
        put(&v, "witnessed_time_count", s.count(TimeBasis.witnessed))
        v["witnessed_time_plural"] = w.plural(s.count(TimeBasis.witnessed))
        v["all_witnessed_time"] = declared == 0
        v["all_declared"] = declared == s.attempts
        v["some_declared"] = declared > 0 && declared < s.attempts
        v["user_agent"] = data.technical.userAgents.first ?? ""
        v["has_user_agent"] = !(data.technical.userAgents.first ?? "").isEmpty
        if let gap = minimumGap(.captured), s.count(.captured) >= 2, gap >= Pace.minimumInterval {
            v["captured_paced"] = true
            v["captured_min_gap"] = durationPhrase(gap)
        } else {
            v["captured_paced"] = false
        }
        // The page and the counter.
        if let title = commonTitle() {
            v["page_title"] = title
            v["has_page_title"] = true
        } else {
            v["has_page_title"] = false
        }
        v["has_counter"] = data.technical.counter != nil
        v["counter"] = data.technical.counter ?? ""
        v["counter_seq"] = data.technical.counterSeq ?? 0
        // Slots.
        let sections = slotSections()
        v["slot_sections"] = sections
        v["slot_lines"] = Array(sections.prefix(3))
        v["slots_more"] = sections.count > 3
        put(&v, "slots_more_count", max(0, sections.count - 3))
        v["slots_more_plural"] = w.plural(sections.count - 3)
        v["publications"] = s.publications.map {
            ["text": $0.fact.text, "first_seq": $0.firstSeq, "times_seen": $0.timesSeen] as [String: Any]
        }
        v["has_publications"] = !s.publications.isEmpty
        // Notes (all of them, for the draft's démarches).
        v["all_notes"] = data.notes.map { n -> [String: Any] in
            ["recorded": w.longDate(n.recordedAt), "about": n.about, "text": n.text]
        }
        v["has_notes"] = !data.notes.isEmpty
        v["has_attempts_summary"] = true
        // The applicant's other steps, and their pièces.
        addSteps(&v)
        // Doubts.
        addDoubts(&v)
        addVisibility(&v)
        // Verification, seals, attestations.
        let ver = data.verification
        v["verify_intact"] = ver.verdict == .intact
        put(&v, "verify_problems", ver.problems.count)
        v["verify_first_bad"] = ver.firstBadSeq.map { String($0) } ?? ""
        put(&v, "verify_withheld", ver.withheld.count)
        v["has_withheld"] = !ver.withheld.isEmpty
        put(&v, "verify_captures", ver.captures.checked)
        put(&v, "verify_entries", ver.entries)
        v["verified_at"] = TimeFormat.parseUTC(ver.verifiedAt).map(dateTime) ?? ver.verifiedAt
        v["has_seals"] = !data.seals.isEmpty
        v["seals"] = data.seals.map { seal -> [String: Any] in
            [
                "seq": seal.seq, "tsa": seal.tsaName ?? seal.tsaURL, "tsa_url": seal.tsaURL,
                "gen_time": seal.genTime.flatMap(TimeFormat.parseUTC).map(dateTime) ?? "—",
                "state_label": templates.label("trust.\(seal.state.rawValue)"),
            ]
        }
        v["has_attestations"] = !data.attestations.isEmpty
        v["attestations"] = data.attestations.map { a -> [String: Any] in
            [
                "seq": a.seq, "name": a.name, "organisation": a.organisation,
                "time": TimeFormat.parseUTC(a.attestedAt).map(dateTime) ?? a.attestedAt,
                "verdict_label": templates.label("verdict.\(a.verdict)"),
                "state_label": templates.label("trust.\(a.state.rawValue)"),
            ]
        }
        addTechnical(&v)
        addTimes(&v)
        // PJ2.
        put(&v, "groups_count", groups.count)
        v["groups_plural"] = w.plural(groups.count)
        put(&v, "shown_count", shown.count)
        v["shown_plural"] = w.plural(shown.count)
        v["has_shown"] = !shown.isEmpty
        var reasons: [String] = []
        for label in shown.map({ templates.label("shown.\($0.reason.rawValue)") }) {
            let r = label.prefix(1).lowercased() + label.dropFirst()
            if !reasons.contains(r) { reasons.append(r) }
        }
        v["shown_reasons"] = reasons.joined(separator: ", ")
        return v
    }

    func merged(_ extra: [String: Any]) -> [String: Any] {
        common.merging(extra) { _, new in new }
    }

    /// What PJ1's method says of visibility: how many outcomes rest on text whose display is uncertain,
    /// were checked in the browser, or were analysed before visibility was recorded.
    private func addVisibility(_ v: inout [String: Any]) {
        let uncertain = data.attempts.filter { $0.uncertain != nil }.count
        let browser = data.attempts.filter { $0.visibilityBasis == VisibilityRecord.browserBasis }.count
        let earlier = data.attempts.filter(\.earlierAnalysis).count
        v["uncertain_count"] = uncertain
        v["has_uncertain"] = uncertain > 0
        v["one_uncertain"] = uncertain == 1
        v["browser_checked_count"] = browser
        v["has_browser_checked"] = browser > 0
        v["one_browser_checked"] = browser == 1
        v["earlier_analysis_count"] = earlier
        v["has_earlier_analysis"] = earlier > 0
        v["one_earlier_analysis"] = earlier == 1
    }

    /// Parts of the day: « le matin, l'après-midi et le soir », or for one: « le matin, entre 9 h et 11 h ».
    private func bandsPhrase(_ s: CaseStatistics) -> String {
        let names: [CaseStatistics.HourBand: String] =
            language == .fr
            ? [.night: "la nuit", .morning: "le matin", .afternoon: "l'après-midi", .evening: "le soir"]
            : [
                .night: "at night", .morning: "in the morning", .afternoon: "in the afternoon",
                .evening: "in the evening",
            ]
        let bands = s.bandsCovered.compactMap { names[$0] }
        if bands.count >= 2 {
            let and = language == .fr ? " et " : " and "
            return bands.dropLast().joined(separator: ", ") + and + bands.last!
        }
        guard let band = bands.first, let lo = s.hoursCovered.first, let hi = s.hoursCovered.last else { return "" }
        return language == .fr
            ? "\(band), entre \(lo)\u{00A0}h et \(hi + 1)\u{00A0}h" : "\(band), between \(lo):00 and \(hi + 1):00"
    }

    /// The shortest time between two consecutive attempts of one provenance, in seconds.
    private func minimumGap(_ p: Provenance) -> TimeInterval? {
        let times = data.attempts.filter { $0.provenance == p }.map(\.observedAt).sorted()
        guard times.count >= 2 else { return nil }
        return zip(times, times.dropFirst()).map { $1.timeIntervalSince($0) }.min()
    }

    private func durationPhrase(_ seconds: TimeInterval) -> String {
        let minutes = Int(seconds / 60)
        if minutes < 120 {
            return language == .fr
                ? wording.count(minutes, "minute", "minutes") : wording.count(minutes, "minute", "minutes")
        }
        let hours = minutes / 60
        return language == .fr ? wording.count(hours, "heure", "heures") : wording.count(hours, "hour", "hours")
    }

    /// The title most pages that gave an answer carried (the booking page's), if any.
    private func commonTitle() -> String? {
        var counts: [String: Int] = [:]
        for a in data.attempts where a.category == .noSlot || a.category == .slot {
            guard let t = a.title?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { continue }
            counts[t, default: 0] += 1
        }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }
}
