import Foundation

/// The time rules' findings in sentences, in the current language, with their real plurals: what
/// `verify`, `status` and `attempt` print (and the dossier can reuse).
extension TimeSummary {
    /// "12 attempts: 9 corroborated by the prefecture's server clock within 2 s; 2 uncorroborated (1
    /// where the site did not answer, 1 with a time you declared); 1 contradicted (#4)".
    package var sentence: String {
        var parts: [String] = []
        if byServer > 0 {
            parts.append(
                TimeText.plural(
                    "time.summary.server", byServer, ["seconds": String(serverAgreementSeconds ?? 0)]))
        }
        if bySealsOnly > 0 { parts.append(TimeText.plural("time.summary.seals", bySealsOnly)) }
        if uncorroborated.total > 0 {
            let reasons = UncorroboratedReason.allCases.compactMap { r in
                uncorroborated[r] > 0 ? TimeText.plural("time.reason.\(r.rawValue)", uncorroborated[r]) : nil
            }
            parts.append(
                TimeText.plural(
                    "time.summary.uncorroborated", uncorroborated.total, ["reasons": reasons.joined(separator: ", ")]))
        }
        if contradicted > 0 {
            parts.append(
                TimeText.plural("time.summary.contradicted", contradicted, ["seqs": TimeText.seqs(contradictedSeqs)]))
        }
        let head = TimeText.plural("time.summary.attempts", attempts)
        return parts.isEmpty ? head : head + " " + parts.joined(separator: tr("time.summary.separator"))
    }
}

extension TimeText {
    /// The message `key.one` or `key.other`, by `count` (placed in `{count}`).
    package static func plural(_ key: String, _ count: Int, _ args: [String: String] = [:]) -> String {
        var all = args
        all["count"] = String(count)
        return tr("\(key).\(count == 1 ? "one" : "other")", all)
    }

    /// "#4, #9" ("n° 4, n° 9"), the first `limit` and how many more.
    package static func seqs(_ list: [Int64], limit: Int = 10) -> String {
        var out = list.prefix(limit).map { tr("time.seq", ["seq": String($0)]) }.joined(separator: ", ")
        if list.count > limit { out += " " + tr("time.more", ["count": String(list.count - limit)]) }
        return out
    }

    /// Runs of seqs: [1, 2, 3, 7] is "#1–#3, #7".
    package static func runs(_ seqs: [Int64], limit: Int = 12) -> String {
        var runs: [(Int64, Int64)] = []
        for s in seqs {
            if let last = runs.last, last.1 == s - 1 { runs[runs.count - 1].1 = s } else { runs.append((s, s)) }
        }
        let shown = runs.prefix(limit).map { a, b in
            a == b
                ? tr("time.seq", ["seq": String(a)])
                : "\(tr("time.seq", ["seq": String(a)]))–\(tr("time.seq", ["seq": String(b)]))"
        }
        return shown.joined(separator: ", ") + (runs.count > limit ? " …" : "")
    }

    /// A TSA for people, the same in every sentence (a seal window, a time problem): its URL as the
    /// store records it, without credentials, so a lawyer can look it up; a user name or password
    /// there is never printed.
    package static func authority(_ url: String) -> String {
        guard var c = URLComponents(string: url), c.user != nil || c.password != nil else { return url }
        c.user = nil
        c.password = nil
        return c.string ?? url
    }

    /// The window of an attempt between two seals, in Paris time: "between 09:00:02 and 09:00:07 CET
    /// according to https://freetsa.org/tsr" (both authorities named when they differ).
    package static func window(_ lower: SealClock, _ upper: SealClock, language: Language? = nil) -> String {
        let a = TimeFormat.parisWallTime(TimeRules.date(lower.genMs))
        let b = TimeFormat.parisWallTime(TimeRules.date(upper.genMs))
        let sameDay = a.prefix(10) == b.prefix(10)
        let lowerTSA = authority(lower.tsaURL)
        let upperTSA = authority(upper.tsaURL)
        return Messages.shared.text(
            lowerTSA == upperTSA ? "time.window.one_tsa" : "time.window.two_tsas",
            [
                "from": a, "to": sameDay ? String(b.dropFirst(11)) : b, "tsa": lowerTSA, "lower_tsa": lowerTSA,
                "upper_tsa": upperTSA,
            ], language: language)
    }
}

extension AttemptTime {
    /// The problem that tells most about a contradicted time: the server's clock when it disagrees
    /// (it names how far the computer is off), else the first.
    package var mainProblem: TimeProblem? {
        problems.first { $0.code == .serverOffset } ?? problems.first { $0.code.contradicts }
    }

    /// What to tell the person right after an attempt whose time the evidence contradicts: each
    /// problem, then how to set the clock right. Empty when nothing contradicts it.
    package var warnings: [String] {
        // The server's clock, when it disagrees, says it all (how far the computer is off, which way).
        let server = problems.filter { $0.code == .serverOffset }
        let contradicting = server.isEmpty ? problems.filter { $0.code.contradicts } : server
        guard !contradicting.isEmpty else { return [] }
        var lines: [String] = []
        for p in contradicting {
            switch p.code {
            case .serverOffset:
                lines.append(
                    tr(
                        (p.differenceMs ?? 0) > 0 ? "time.attempt.clock_behind" : "time.attempt.clock_ahead",
                        [
                            "difference": TimeText.duration(abs(p.differenceMs ?? 0)),
                            "server": p.reference.flatMap(TimeFormat.parseUTC).map(TimeFormat.parisWallTime) ?? "-",
                            "local": p.at.flatMap(TimeFormat.parseUTC).map(TimeFormat.parisWallTime) ?? "-",
                        ]))
            default:
                lines.append(tr("time.attempt.contradicted", ["seq": String(seq), "problem": p.text()]))
            }
        }
        lines.append(tr("time.attempt.recorded_anyway"))
        lines.append(tr("time.clock_fix"))
        return lines
    }
}
