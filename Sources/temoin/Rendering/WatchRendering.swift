import Foundation
import TemoinKit

/// What `watch` prints: a line per attempt (a JSON line with --json), the slot loudly, the next
/// attempt's time, a countdown on a terminal, and what became of each alert.
final class WatchRenderer {
    let json: Bool
    /// Where each attempt's time is checked at once (docs/FORMAT.md §8); nil: not checked.
    let store: Store?
    private var waiting: ProgressReporter?

    init(json: Bool, store: Store? = nil) {
        self.json = json
        self.store = store
    }

    func render(_ event: WatchEvent) {
        switch event {
        case .recorded(let report, _):
            let time = store.flatMap { checkedTime($0, report) }
            if json {
                print(JSONOutput.string(AttemptJSON(report, time: time)).replacingOccurrences(of: "\n", with: ""))
            } else {
                print(AttemptText.line(report))
            }
            warnAboutTime(time, json: json)
        case .slotSeen(let report):
            if !json { announceSlot(url: report.finalURL) }
        case .browserClosed:
            // The window was closed by mistake: say so, and ask again for this attempt.
            printError(TemoinError.browserClosed.description)
        case .next(let date):
            if !json { print(tr("watch.next", ["when": TimeFormat.parisWallTime(date)])) }
            fflush(nil)  // one line per attempt, even into a pipe or a log file
            waiting = ProgressReporter.standardError(label: tr("watch.progress"), unit: .countdown, json: json)
        case .waiting(let elapsed, let total):
            waiting?.update(done: Int64(elapsed), total: Int64(total))
        case .waitOver:
            waiting?.finish()
            waiting = nil
        case .alert(let outcome):
            waiting?.finish()
            say(AttemptText.alertLine(outcome), json: json)
        case .alertNotRecorded(let reason):
            printError(tr("notify.note_not_recorded", ["reason": reason]))
        }
    }

    func finish(done: Int, alertsPending: Bool) {
        if alertsPending { printError(tr("notify.abandoned")) }
        if !json { print(tr("watch.stopped", ["count": String(done)])) }
    }
}
