import Foundation

extension StepText {
    /// After `step add` or `step followup`: the entry as `step list` shows it, what was kept, and the
    /// head (`head` nil when it cannot be read).
    package static func recorded(_ entry: StoredEntry, head: ChainHead?) -> [String] {
        guard let body = entry.body else { return [] }
        var lines: [String] = []
        if let s = body.step {
            lines.append(
                tr(
                    "step.recorded",
                    ["seq": String(entry.seq), "kind": kind(s.kind), "date": date(s.date, s.dateBasis)]))
        } else if let f = body.followUp {
            lines.append(
                tr(
                    "step.followup_recorded",
                    [
                        "seq": String(entry.seq), "kind": followUpKind(f.kind), "of": String(f.of),
                        "date": date(f.date, f.dateBasis),
                    ]))
        }
        let files = body.captures?.count ?? 0
        if files > 0 { lines.append(tr("step.files_kept", ["count": String(files)])) }
        for e in body.step?.emails ?? body.followUp?.emails ?? [] {
            lines.append("")
            lines += email(e, seq: entry.seq).map { "  " + $0 }
        }
        if body.step?.dateBasis == .declared || body.followUp?.dateBasis == .declared {
            lines.append("")
            lines.append(tr("step.date_declared_note"))
            if files > 0 { lines.append(tr("step.third_party_note")) }
        }
        if let head { lines.append(tr("common.head", ["head": head.display])) }
        return lines
    }
}
