import ArgumentParser
import Foundation
import TemoinKit

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
    if let line = AttemptText.browserRecordedLine(report) { print(line) }
}

/// An attempt just recorded: its line (or JSON), a doubt about its time, what the browser kept, and a
/// slot loudly.
func renderAttempt(_ report: AttemptReport, store: Store, json: Bool, witnessed: Bool) {
    let time = checkedTime(store, report)
    print(json ? JSONOutput.string(AttemptJSON(report, time: time)) : AttemptText.line(report))
    warnAboutTime(time, json: json)
    if !json, witnessed { printBrowserRecorded(report) }
    if !json, report.outcome == .slotAvailable { announceSlot(url: report.finalURL) }
}
