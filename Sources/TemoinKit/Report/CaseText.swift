import Foundation

/// `temoin case show`: the case's fields, then the history of its amendments, each value one safe line
/// (only the urgency facts may span lines).
package enum CaseText {
    package static func lines(_ record: CaseRecord) -> [String] {
        let f = record.fields
        var lines: [String] = []
        for (key, value) in [
            ("case.applicant", f.applicant), ("case.prefecture", f.prefecture), ("case.procedure", f.procedure),
            ("case.booking_url", f.bookingURL), ("case.profile", f.profile), ("case.facts", f.facts),
        ] {
            let label = tr(key).padding(toLength: 22, withPad: " ", startingAt: 0)
            // Only the urgency facts may span lines; the other fields show a line break as \x0a.
            let shown =
                key == "case.facts"
                ? TerminalText.block(value, continuation: String(repeating: " ", count: 23))
                : TerminalText.line(value)
            lines.append("\(label) \(shown)")
        }
        guard !record.amendments.isEmpty else { return lines }
        lines += ["", tr("case.amendments")]
        for a in record.amendments {
            let when = TimeFormat.parseUTC(a.recordedAt).map(TimeFormat.parisWallTime) ?? a.recordedAt
            let (field, old, new) = (a.amendment.field, a.amendment.old, a.amendment.new)
            let reason = a.amendment.reason.map { "  (\(TerminalText.line($0)))" } ?? ""
            lines.append(
                "  #\(a.seq)  \(when)  \(TerminalText.line(field)): «\(TerminalText.line(old))» → «\(TerminalText.line(new))»\(reason)"
            )
        }
        return lines
    }
}

/// `temoin case show --json`.
package struct CaseJSON: Encodable {
    package struct Amendment: Encodable {
        let seq: Int64
        let recorded_at: String
        let field: String
        let old: String
        let new: String
        let reason: String?
    }

    let `case`: CaseFields
    let opened_at: String
    let amendments: [Amendment]

    package init(_ record: CaseRecord) {
        self.case = record.fields
        opened_at = record.openedAt
        amendments = record.amendments.map {
            Amendment(
                seq: $0.seq, recorded_at: $0.recordedAt, field: $0.amendment.field, old: $0.amendment.old,
                new: $0.amendment.new, reason: $0.amendment.reason)
        }
    }
}

/// `temoin profiles show`: a profile's steps and rules, the common rules after its own.
package enum ProfileText {
    package static func lines(_ set: RuleSet) -> [String] {
        var lines = ["\(TerminalText.line(set.id)): \(TerminalText.line(set.name))"]
        if let d = set.description { lines.append(TerminalText.block(d, continuation: "")) }
        if !set.urlPatterns.isEmpty {
            lines.append(tr("profiles.urls", ["patterns": TerminalText.line(set.urlPatterns.joined(separator: ", "))]))
        }
        lines.append(tr("profiles.steps"))
        for (i, step) in (set.steps ?? [ProfileStep(action: .get, url: "{booking_url}")]).enumerated() {
            lines.append("  \(i + 1). \(TerminalText.line(step.description ?? step.summary))")
        }
        lines.append(tr("profiles.rules"))
        for rule in set.rules + RuleSet.common.rules {
            let condition =
                rule.text?.map { "« \($0) »" }.joined(separator: " | ") ?? rule.xpath ?? rule.status.map {
                    "HTTP \($0.map(String.init).joined(separator: ","))"
                } ?? ""
            lines.append(
                "  \(tr("outcome.\(rule.outcome.rawValue)").padding(toLength: 18, withPad: " ", startingAt: 0)) \(TerminalText.line(rule.id)): \(TerminalText.line(condition))"
            )
        }
        return lines
    }
}
