import ArgumentParser
import Foundation
import TemoinKit

struct AttemptJSON: Encodable {
    let seq: Int64
    let hash: String
    let observed_at: String?
    let outcome: String
    let message: String?
    let description: String?
    let visibility: VisibilityRecord?
    let url: String
    let exchanges: Int
    let failure: NetworkFailure?
    /// The attempt's time as the evidence known at once shows it (docs/FORMAT.md §8).
    let time: AttemptTime?
}

/// The attempt's line, then the page's words between « » and temoin's own words unquoted, each on
/// lines of their own.
func attemptLine(_ r: AttemptReport) -> String {
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

func attemptJSON(_ r: AttemptReport, time: AttemptTime? = nil) -> AttemptJSON {
    AttemptJSON(
        seq: r.entry.seq, hash: r.entry.hash, observed_at: r.entry.body?.observedAt, outcome: r.outcome.rawValue,
        message: r.message, description: r.description, visibility: r.visibility, url: r.finalURL,
        exchanges: r.exchanges, failure: r.failure, time: time)
}

/// The time of an attempt just recorded, checked at once; nil when it cannot be read back.
func checkedTime(_ store: Store, _ r: AttemptReport) -> AttemptTime? {
    try? TimeCorroboration.check(store: store, appended: r.entry)
}

/// Says at once, in the person's language, when the evidence contradicts the attempt's time, and how to
/// set the clock right (on standard output, or standard error with --json).
func warnAboutTime(_ time: AttemptTime?, json: Bool) {
    for line in time?.warnings ?? [] { say("  " + line, json: json) }
}

/// A slot was seen: say it loudly, with the address to book by hand. temoin never books.
func announceSlot(url: String) {
    ringBell()
    print(tr("watch.slot_seen", ["url": TerminalText.line(url)]))
    if let notify = ["/usr/bin/notify-send", "/usr/local/bin/notify-send"].first(
        where: FileManager.default.isExecutableFile)
    {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: notify)
        p.arguments = ["--urgency=critical", "temoin", tr("watch.slot_seen", ["url": url])]
        try? p.run()
    }
}

func printBrowserRecorded(_ report: AttemptReport) {
    guard let browser = report.entry.body?.browser else { return }
    print(
        tr(
            "browser.screenshot_saved",
            [
                "width": String(browser.screenshotWidth ?? 0), "height": String(browser.screenshotHeight ?? 0),
                "exchanges": String(report.exchanges),
            ]))
}
