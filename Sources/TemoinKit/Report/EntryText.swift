import Foundation

/// `temoin log`: a header, a line per entry (and its detail line unless `short`), then the head.
package enum LogText {
    package static func lines(_ views: [EntryView], short: Bool, head: ChainHead?) -> [String] {
        var lines = [tr("log.header")]
        for v in views {
            lines.append(v.logLine)
            if !short, let detail = v.logDetailLine { lines.append(detail) }
        }
        if let head { lines.append(tr("common.head", ["head": head.display])) }
        return lines
    }
}

/// `temoin doctor`: each check with its mark, what was found and what to do, then the summary.
package enum DoctorText {
    package static func lines(_ report: DoctorReport) -> [String] {
        report.checks.map(checkLines) + ["", tr(report.hasProblem ? "doctor.summary.problem" : "doctor.summary.ok")]
    }

    /// A check as a person reads it: a mark, what was found, and on the next line what to do.
    package static func checkLines(_ c: DoctorCheck) -> String {
        let mark = tr("doctor.mark.\(c.status.rawValue)")
        let kind = tr("doctor.kind.\(c.kind.rawValue)")
        var text = "\(mark) \(kind): \(c.finding)"
        if let fix = c.fix, c.status != .ok { text += "\n    → " + fix }
        return text
    }
}

extension Store {
    /// Withholds the captures `target` names: an entry's seq (all its captures) or one digest
    /// (`sha256:` prefix allowed). Returns the digests withheld.
    package func withhold(target: String, reason: String?) throws -> [String] {
        let digests =
            try Int64(target).map { try entry(seq: $0).body?.captures?.map(\.digest) ?? [] }
            ?? [target.lowercased().replacingOccurrences(of: "sha256:", with: "")]
        for d in digests { try withhold(digest: d, reason: reason) }
        return digests
    }
}
