import Foundation

extension CaseStatus {
    /// The plain-language summary `temoin status` prints, in the current language.
    package var text: String {
        let s = statistics
        var rows: [(String, String)] = []
        func counts<K: RawRepresentable & Hashable>(_ d: [K: Int], _ order: [K], _ family: String) -> String
        where K.RawValue == String {
            order.compactMap { k in d[k].map { "\($0) \(tr("\(family)\(k.rawValue)"))" } }.joined(separator: ", ")
        }
        func moment(_ date: Date?, _ seq: Int64?) -> String {
            guard let date else { return "-" }
            // A time the evidence contradicts is never stated as sure (docs/FORMAT.md §8).
            let doubt = seq.map { time?.summary.contradictedSeqs.contains($0) == true } == true
            return "\(TimeFormat.parisWallTime(date))\(seq.map { " (#\($0))" } ?? "")"
                + (doubt ? " " + tr("status.time.doubtful") : "")
        }

        rows.append(
            (
                tr("status.label.attempts"),
                s.attempts == 0
                    ? tr("status.none")
                    : tr(
                        "status.attempts",
                        ["count": String(s.attempts), "list": counts(s.byOutcome, Outcome.allCases, "outcome.")])
            ))
        if s.attempts > 0 {
            rows.append(
                (
                    tr("status.label.spread"),
                    tr(
                        "status.spread",
                        [
                            "days": String(s.days.count), "weeks": String(s.weeks.count),
                            "list": s.weeks.joined(separator: ", "),
                        ])
                        + (s.setAside.isEmpty
                            ? ""
                            : " "
                                + TimeText.plural(
                                    "status.spread.set_aside", s.setAside.count, ["seqs": TimeText.seqs(s.setAside)]))
                ))
            rows.append(
                (
                    tr("status.label.hours"),
                    tr(
                        "status.hours",
                        [
                            "count": String(s.hoursCovered.count),
                            "hours": Self.ranges(s.hoursCovered),
                            "bands": s.bandsCovered.map { tr("status.band.\($0.rawValue)") }.joined(separator: ", "),
                        ])
                ))
            rows.append((tr("status.label.first"), moment(s.first, s.firstSeq)))
            rows.append(
                (
                    tr("status.label.last"),
                    moment(s.last, s.lastSeq) + (s.lastOutcome.map { ", \(tr("outcome.\($0.rawValue)"))" } ?? "")
                ))
            rows.append(
                (
                    tr("status.label.provenance"),
                    tr(
                        "status.provenance",
                        [
                            "kinds": counts(s.byProvenance, Provenance.allCases, "status.obtained."),
                            "witnessed": String(s.count(TimeBasis.witnessed)),
                            "declared": String(s.count(.declared) + s.count(.fileModificationTime)),
                        ])
                ))
            rows.append(
                (
                    tr("status.label.slots"),
                    s.slotsSeen.isEmpty
                        ? tr("status.none")
                        : s.slotsSeen.suffix(3).map { "\(TimeFormat.parisWallTime($0.at)) (#\($0.seq))" }.joined(
                            separator: ", ") + (s.slotsSeen.count > 3 ? " (\(s.slotsSeen.count))" : "")
                ))
            if !s.uncertainSeqs.isEmpty {
                let seqs = s.uncertainSeqs.prefix(8).map { "#\($0)" }.joined(separator: ", ")
                rows.append(
                    (
                        tr("status.label.uncertain"),
                        tr(
                            s.uncertainSeqs.count == 1 ? "status.uncertain.one" : "status.uncertain",
                            [
                                "count": String(s.uncertainSeqs.count),
                                "seqs": seqs + (s.uncertainSeqs.count > 8 ? ", …" : ""),
                            ])
                    ))
            }
            for p in s.publications.suffix(4) {
                rows.append(
                    (
                        tr("status.label.publication"),
                        tr(
                            p.timesSeen == 1 ? "status.publication_once" : "status.publication",
                            [
                                "text": p.fact.text, "times": String(p.timesSeen), "first": String(p.firstSeq),
                                "last": String(p.lastSeq),
                            ])
                    ))
            }
        }
        if s.attempts > 0, let time { rows.append(contentsOf: time.rows(seals: seals)) }
        if let seals { rows.append((tr("status.label.seals"), seals == 0 ? tr("status.none") : String(seals))) }
        if let attestations {
            rows.append(
                (tr("status.label.attestations"), attestations == 0 ? tr("status.none_feminine") : String(attestations))
            )
        }
        let v = verification
        var verified =
            v.verdict == .intact
            ? tr("status.intact", ["entries": String(v.entries), "captures": String(v.capturesChecked)])
            : tr(
                "status.tampered",
                ["problems": String(v.problems), "seq": v.firstBadSeq.map { "#\($0)" } ?? "-"])
        if v.withheld > 0 { verified += " " + tr("status.withheld", ["count": String(v.withheld)]) }
        rows.append((tr("status.label.verification"), verified))
        if let head = v.head {
            rows.append((tr("status.label.head"), head.display))
            // Only a head obtained by another channel rules out a chain rebuilt whole (FORMAT.md §6.8).
            rows.append(("", tr("status.compare_head", ["expect": "\(head.seq):\(head.hash.prefix(8))"])))
        }

        var lines: [String] = []
        lines.append(
            tr(
                "status.title",
                [
                    "applicant": TerminalText.line(caseFields.applicant),
                    "prefecture": TerminalText.line(caseFields.prefecture),
                    "procedure": TerminalText.line(caseFields.procedure),
                ]))
        let opened = TimeFormat.parseUTC(openedAt).map(TimeFormat.parisWallTime) ?? openedAt
        lines.append(tr("status.store", ["path": store, "opened": opened]))
        lines.append("")
        let width = rows.map { $0.0.count }.max() ?? 0
        // Values hold text from the store (a publication's sentence): one line each (TerminalText).
        for (label, value) in rows { lines.append("\(label.rightPadded(to: width))  \(TerminalText.line(value))") }
        lines.append("")
        lines.append(tr("status.advice_title"))
        for a in advice {
            let mark = a.level == .urgent ? "!!" : a.level == .warning ? "! " : "- "
            lines.append(contentsOf: Self.wrap(a.text, width: 96, first: "  \(mark) ", rest: "     "))
        }
        return lines.joined(separator: "\n")
    }

    /// Hours as runs: [8, 9, 10, 14, 18, 19] is "8–10, 14, 18–19".
    static func ranges(_ hours: [Int]) -> String {
        var runs: [(Int, Int)] = []
        for h in hours.sorted() {
            if let last = runs.last, last.1 == h - 1 {
                runs[runs.count - 1].1 = h
            } else {
                runs.append((h, h))
            }
        }
        return runs.map { $0.0 == $0.1 ? "\($0.0)" : "\($0.0)–\($0.1)" }.joined(separator: ", ")
    }

    /// Wraps `text` at spaces so no line passes `width` characters (a long word stays whole).
    static func wrap(_ text: String, width: Int, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var current = first
        var empty = true
        for word in text.split(separator: " ") {
            if !empty, current.count + 1 + word.count > width {
                lines.append(current)
                current = rest
                empty = true
            }
            current += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(current)
        return lines
    }
}
