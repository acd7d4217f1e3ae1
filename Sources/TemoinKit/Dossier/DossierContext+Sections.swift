import Foundation
import Synchronization
import TemoinPDF

/// The sections of the relevé: slots, doubts, times and the technical box.
extension DossierContext {
    // MARK: slots

    func slotSections() -> [[String: Any]] {
        let byTime = data.attempts.sorted { ($0.observedAt, $0.seq) < ($1.observedAt, $1.seq) }
        return data.attempts.filter { $0.outcome == .slotAvailable }.map { a in
            var v: [String: Any] = [
                "seq": a.seq, "time": dateTime(a.observedAt), "url": a.url,
                "short_time": wording.shortDateTime(a.observedAt, seconds: false),
            ]
            let words = isPageWords(a)
            v["has_words"] = words
            v["words"] = words ? (a.message ?? "") : ""
            v["has_description"] = !words && a.message != nil
            v["description"] = words ? "" : (a.message ?? "")
            v["has_listed"] = a.facts?.slotsListed != nil
            v["listed"] =
                a.facts?.slotsListed.map { Count(value: $0, language: language) } ?? Count(value: 0, language: language)
            let notes = data.notes(about: a.seq)
            v["notes"] = notes.map { n -> [String: Any] in
                var m: [String: Any] = [
                    "recorded": dateTime(n.recordedAt), "text": n.text,
                    "kind": templates.label("note.kind.\(n.kind.rawValue)"),
                ]
                m["has_occurred"] = n.occurredAt != nil
                m["occurred"] = n.occurredAt.map(dateTime) ?? ""
                return m
            }
            v["has_notes"] = !notes.isEmpty
            put(&v, "notes_count", notes.count)
            v["notes_plural"] = wording.plural(notes.count)
            v["first_note"] = notes.first?.text ?? ""
            v["first_note_recorded"] = notes.first.map { wording.longDate($0.recordedAt) } ?? ""
            let next = byTime.filter { $0.observedAt > a.observedAt && $0.seq != a.seq }.prefix(2)
            v["next"] = next.map { n -> [String: Any] in
                ["seq": n.seq, "time": dateTime(n.observedAt), "outcome": outcomeLabel(n.outcome)]
            }
            v["has_next"] = !next.isEmpty
            v["next_time"] = next.first.map { dateTime($0.observedAt) } ?? ""
            v["next_outcome"] = next.first.map { outcomeLabel($0.outcome).lowercased() } ?? ""
            v["shown_in_pj2"] = shown.contains { $0.attempt.seq == a.seq }
            return v
        }
    }

    // MARK: doubts

    func addDoubts(_ v: inout [String: Any]) {
        let s = data.statistics
        let stale = ConsistencyCheck.staleDays(last: s.last, now: data.generatedAt)
        v["stale"] = stale != nil
        v["stale_days"] = Count(value: stale ?? 0, language: language)
        v["stale_limit"] = ConsistencyCheck.staleAfterDays
        v["not_intact"] = data.verification.verdict != .intact
        // Page 1 names the first two pages classified two ways, with a few attempt numbers each; the
        // PJ2 index lists them all.
        v["same_page"] = data.consistency.samePage.prefix(2).map { group -> [String: Any] in
            let parts = group.outcomes.map { o -> String in
                let seqs = group.attempts.filter { $0.outcome == o }.map(\.seq)
                let shown = Wording.ranges(Array(seqs.prefix(5)))
                let more =
                    seqs.count > 5
                    ? (language == .fr
                        ? " et \(wording.count(seqs.count - 5, "autre", "autres"))" : " and \(seqs.count - 5) more")
                    : ""
                return "\(outcomeLabel(o).lowercased()) (n°\u{00A0}\(shown)\(more))"
            }
            return ["sightings": parts.joined(separator: language == .fr ? " ; " : "; "), "digest": group.digest]
        }
        v["same_page_more"] = data.consistency.samePage.count > 2
        put(&v, "same_page_more_count", max(0, data.consistency.samePage.count - 2))
        v["has_same_page"] = !data.consistency.samePage.isEmpty
        v["early"] = data.consistency.earlyStatements.prefix(3).map { e -> [String: Any] in
            [
                "source_label": templates.label("source.\(e.source.rawValue)"), "is_note": e.source == .note,
                "declared": wording.longDate(e.declaredAt), "mentioned": wording.longDate(e.mentioned),
                "excerpt": e.excerpt.hasSuffix(".") ? String(e.excerpt.dropLast()) : e.excerpt, "seq": e.seq,
            ]
        }
        v["has_early"] = !data.consistency.earlyStatements.isEmpty
        let declaredOnly = s.count(TimeBasis.witnessed) == 0
        v["has_doubts"] =
            data.time.contradicted > 0 || stale != nil || data.verification.verdict != .intact
            || !data.consistency.isEmpty || s.weeks.count == 1
            || declaredOnly || data.steps.contains { !$0.doubts.isEmpty }
    }

    // MARK: times

    /// How each attempt's time was checked (TimeCorroboration, docs/FORMAT.md §8): page 1's « Les
    /// heures », the list of contradicted times and seal windows, and the method's counts. Only what the
    /// store's evidence supports: a check that did not hold is never stated as one.
    func addTimes(_ v: inout [String: Any]) {
        let t = data.time
        let w = wording
        put(&v, "time_attempts", t.attempts)
        put(&v, "time_corroborated", t.corroborated)
        put(&v, "time_by_server", t.byServer)
        put(&v, "time_by_seals", t.bySealsOnly)
        put(&v, "time_agree_seconds", Int(t.serverAgreementSeconds ?? 0))
        put(&v, "time_uncorroborated", t.uncorroborated.total)
        put(&v, "time_contradicted", t.contradicted)
        v["time_all_by_server"] = t.byServer == t.attempts && t.attempts > 0
        v["time_tolerance"] = TimeText.duration(TimeRules.toleranceMs, language: language)
        v["time_reasons"] = UncorroboratedReason.allCases.compactMap { r -> String? in
            let n = t.uncorroborated[r]
            return n > 0
                ? "\(templates.label("time_reason.\(r.rawValue)"))\(language == .fr ? " :" : ":") \(w.number(n))" : nil
        }.joined(separator: language == .fr ? " ; " : "; ")
        func wall(_ utc: String?) -> String {
            utc.flatMap(TimeFormat.parseUTC).map { w.longDateTime($0, seconds: true) } ?? "—"
        }
        func short(_ utc: String?) -> String {
            utc.flatMap(TimeFormat.parseUTC).map { w.shortDateTime($0, seconds: true) } ?? "—"
        }
        let contradicted = data.attempts.filter(\.timeContradicted)
        let lines = contradicted.map { a -> [String: Any] in
            let problems = (a.time?.problems ?? []).filter(\.code.contradicts)
            return [
                "seq": a.seq, "recorded": wall(a.time?.observedAt ?? a.time?.recordedAt),
                "problems": problems.map { ["text": $0.text(language)] },
                "has_server_time": a.time?.serverTime != nil, "server_time": wall(a.time?.serverTime),
                "outcome": outcomeLabel(a.outcome),
                // Page 1: the same facts in short (each problem with its gap and what it was compared
                // with); the section « Les heures » gives every time in full.
                "recorded_short": short(a.time?.observedAt ?? a.time?.recordedAt),
                "server_short": short(a.time?.serverTime),
                "problems_short": problems.map {
                    templates.label("time_short.\($0.code.rawValue)", $0.arguments(language))
                }
                .joined(separator: language == .fr ? " ; " : "; "),
            ]
        }
        // Page 1 lists up to three, each with its figures; more are two and a line naming the others, which
        // « Les heures » lists in full.
        let shown = lines.count <= 3 ? lines.count : 2
        v["contradicted_lines"] = Array(lines.prefix(shown))
        v["contradicted_all"] = lines
        put(&v, "contradicted_more", lines.count - shown)
        // Their numbers on one line at most (the count says how many; « Les heures » lists them all).
        var others = Wording.ranges(contradicted.dropFirst(shown).map(\.seq))
        if others.count > 70, let cut = others.prefix(70).range(of: ", ", options: .backwards) {
            others = others[..<cut.lowerBound] + ", …"
        }
        v["contradicted_more_seqs"] = others
        // Seal windows: attempts between two seals, and those with none.
        let windows = data.attempts.compactMap { a -> [String: Any]? in
            guard let (lower, upper) = a.time?.window else { return nil }
            return ["seq": a.seq, "window": TimeText.window(lower, upper, language: language)]
        }
        let without = data.attempts.filter { $0.time?.window == nil }.map(\.seq)
        v["has_seal_windows"] = !data.seals.isEmpty
        put(&v, "time_windows", windows.count)
        put(&v, "time_without_window", without.count)
        v["time_window_lines"] = windows
        v["time_window_first_seq"] = windows.first?["seq"] ?? ""
        v["time_window_first_text"] = windows.first?["window"] ?? ""
        v["time_window_last_seq"] = windows.last?["seq"] ?? ""
        v["time_window_last_text"] = windows.last?["window"] ?? ""
        v["has_time_window_last"] = windows.count > 1
        v["time_without_list"] = Wording.ranges(without)
        v["has_time_section"] = t.attempts > 0
    }

    // MARK: technical box

    func addTechnical(_ v: inout [String: Any]) {
        let t = data.technical
        let sep = language == .fr ? " ; " : "; "
        v["has_live"] = t.liveAttempts > 0
        v["tech_systems"] = t.systems.joined(separator: sep)
        v["tech_tools"] = t.tools.joined(separator: sep)
        v["tech_user_agents"] = t.userAgents.joined(separator: sep)
        v["tech_proxies"] = t.proxies.map { $0 == "none" ? templates.label("none") : $0 }.joined(separator: sep)
        v["tech_browsers"] = t.browsers.joined(separator: sep)
        v["has_browsers"] = !t.browsers.isEmpty
        put(&v, "tech_fresh", t.freshSessions)
        put(&v, "tech_live", t.liveAttempts)
        v["tech_servers"] = t.servers.prefix(6).joined(separator: ", ") + (t.servers.count > 6 ? ", …" : "")
        v["has_servers"] = !t.servers.isEmpty
        v["tech_certificates"] = t.certificates.prefix(3).map { c -> [String: Any] in
            [
                "subject": c.subject, "issuer": c.issuer,
                "not_after": c.notAfter.flatMap(TimeFormat.parseUTC).map { wording.longDate($0) }
                    ?? (c.notAfter ?? "—"),
                "sha": c.sha256.map { Wording.grouped($0, groups: 4) } ?? "—",
            ]
        }
        v["has_tls"] = t.tlsVerified + t.tlsUnverified > 0
        put(&v, "tech_tls_verified", t.tlsVerified)
        put(&v, "tech_tls_unverified", t.tlsUnverified)
        v["has_tls_unverified"] = t.tlsUnverified > 0
        v["has_clock"] = !t.clockOffsets.isEmpty
        put(&v, "tech_clock_count", t.clockOffsets.count)
        v["tech_clock_plural"] = wording.plural(t.clockOffsets.count)
        func seconds(_ ms: Int) -> String {
            let s = String(format: "%+.1f", Double(ms) / 1000)
            return language == .fr ? s.replacingOccurrences(of: ".", with: ",") : s
        }
        v["tech_clock_min"] = t.clockOffsets.min().map(seconds) ?? ""
        v["tech_clock_max"] = t.clockOffsets.max().map(seconds) ?? ""
        v["has_path"] = !t.path.isEmpty
        v["tech_path_seq"] = t.pathSeq ?? 0
        v["tech_path"] = t.path.map { ["line": $0] }
        v["tech_steps"] = t.stepDescriptions.map { ["line": $0] }
    }
}
