import Foundation

/// An attempt as `attempt`, `watch` and `import` print it: the attempt's line, then the page's words
/// between « » and temoin's own words unquoted, each on lines of their own.
package enum AttemptText {
    package static func line(_ r: AttemptReport) -> String {
        let when = r.entry.body?.observedAt.flatMap(TimeFormat.parseUTC).map(TimeFormat.parisWallTime) ?? ""
        var lines = ["#\(r.entry.seq)  \(when)  \(tr("outcome.\(r.outcome.rawValue)"))"]
        if let message = r.message {
            if message.contains("\n") {
                lines.append(VisibilityText.quoted(message, indent: "       "))
            } else {
                lines[0] += "  « \(TerminalText.line(message)) »"
            }
        }
        if let description = r.description {
            lines.append("       " + tr("analysis.description_line", ["text": TerminalText.line(description)]))
        }
        if let doubt = r.visibility?.uncertain {
            lines.append("       " + VisibilityText.doubtLine(doubt, detail: r.visibility?.detail))
        }
        for marker in r.entry.body?.setAside ?? [] { lines.append("       " + VisibilityText.setAsideLine(marker)) }
        return lines.joined(separator: "\n")
    }

    /// The lines under an attempt: « the page's words », temoin's description, a doubt, markers set aside.
    package static func analysisLines(
        message: String?, description: String?, visibility: VisibilityRecord?, setAside: [SetAsideMarker],
        indent: String
    ) -> [String] {
        var lines: [String] = []
        if let message { lines.append(VisibilityText.quoted(message, indent: indent)) }
        if let description {
            lines.append("\(indent)\(tr("analysis.description_line", ["text": TerminalText.line(description)]))")
        }
        if let doubt = visibility?.uncertain {
            lines.append("\(indent)\(VisibilityText.doubtLine(doubt, detail: visibility?.detail))")
        }
        for marker in setAside { lines.append("\(indent)\(VisibilityText.setAsideLine(marker))") }
        return lines
    }

    /// The line saying what the browser kept, after a witnessed attempt; nil for an attempt by temoin.
    package static func browserRecordedLine(_ report: AttemptReport) -> String? {
        guard let browser = report.entry.body?.browser else { return nil }
        return tr(
            "browser.screenshot_saved",
            [
                "width": String(browser.screenshotWidth ?? 0), "height": String(browser.screenshotHeight ?? 0),
                "exchanges": String(report.exchanges),
            ])
    }

    /// One line on an alert's try: delivered, failed and retried, or failed for good.
    package static func alertLine(_ o: AlertOutcome) -> String {
        let args = [
            "recipient": o.recipient, "time": TimeFormat.parisWallTime(o.at), "attempt": String(o.attempt),
            "tries": String(o.tries), "reason": o.reason ?? "",
            "next": o.nextTry.map(TimeFormat.parisWallTime) ?? "",
        ]
        switch o.status {
        case .delivered: return tr("notify.delivered", args)
        case .retrying: return tr("notify.retrying", args)
        case .failed: return tr("notify.failed", args)
        }
    }
}

/// An attempt just recorded, as `attempt --json` and `watch --json` print it.
package struct AttemptJSON: Encodable {
    package let seq: Int64
    package let hash: String
    package let observed_at: String?
    package let outcome: String
    package let message: String?
    package let description: String?
    package let visibility: VisibilityRecord?
    package let url: String
    package let exchanges: Int
    package let failure: NetworkFailure?
    /// The attempt's time as the evidence known at once shows it (docs/FORMAT.md §8).
    package let time: AttemptTime?

    package init(_ r: AttemptReport, time: AttemptTime? = nil) {
        seq = r.entry.seq
        hash = r.entry.hash
        observed_at = r.entry.body?.observedAt
        outcome = r.outcome.rawValue
        message = r.message
        description = r.description
        visibility = r.visibility
        url = r.finalURL
        exchanges = r.exchanges
        failure = r.failure
        self.time = time
    }
}

/// One file of `temoin import`, as it is done: lines for standard output and, apart, the warnings and
/// refusals for standard error.
package enum ImportText {
    package static func lines(_ file: ImportFileReport) -> (out: [String], errors: [String]) {
        switch file.status {
        case .recorded:
            let outcome = tr("outcome.\(file.outcome?.rawValue ?? "?")")
            let head = tr(
                "import.recorded",
                ["seq": String(file.seq ?? 0), "file": TerminalText.line(file.file), "outcome": outcome])
            let analysis = AttemptText.analysisLines(
                message: file.message, description: file.description, visibility: file.visibility,
                setAside: file.setAside ?? [], indent: "       ")
            return ([head] + analysis, (file.warnings ?? []).map { TerminalText.line($0.text) })
        case .duplicate:
            let line = tr(
                "import.duplicate", ["file": TerminalText.line(file.file), "seq": String(file.duplicateOf ?? 0)])
            return ([line], (file.warnings ?? []).map { TerminalText.line($0.text) })
        case .refused:
            return ([], [file.error ?? ""])
        case .skipped:
            let line = tr(
                "import.skipped",
                ["file": TerminalText.line(file.file), "reason": tr("skip.\(file.skipReason?.rawValue ?? "?")")])
            return ([line], [])
        }
    }

    /// How many files were skipped, when any was.
    package static func summary(_ report: ImportReport) -> String? {
        let skipped = report.files.filter { $0.status == .skipped }.count
        guard skipped > 0 else { return nil }
        return tr(skipped == 1 ? "import.skipped_total.one" : "import.skipped_total", ["count": String(skipped)])
    }
}
