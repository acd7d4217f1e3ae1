import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// What `attempt` and `watch` say, and where, decided here and only written by the executable.
@Suite struct UtteranceTests {
    @Test func aSlotIsSaidLoudlyWithTheAddressToBookByHand() {
        let url = "https://www.val-de-marne.gouv.fr/booking/create/4963/1\u{1B}[2J"
        let said = AttemptText.slotSeen(url: url)
        #expect(said.first == .bell)
        guard case .line(let line) = said[1], case .desktopNotice(let notice) = said[2] else {
            Issue.record("\(said)")
            return
        }
        // On the terminal the address cannot move the cursor; the desktop shows it as it is.
        #expect(!line.contains("\u{1B}") && line.contains("booking/create/4963/1"))
        #expect(notice.contains(url))
    }

    @Test func aWatchSaysTheNextAttemptOnlyToAPersonAndAlwaysFlushes() {
        let next = Date(timeIntervalSince1970: 1_796_000_000)
        let text = WatchNarrator(json: false).utterances(.next(next))
        #expect(text == [.line(tr("watch.next", ["when": TimeFormat.parisWallTime(next)])), .flush])
        #expect(WatchNarrator(json: true).utterances(.next(next)) == [.flush])
        #expect(WatchNarrator(json: true).utterances(.waitOver).isEmpty)
    }

    @Test func aWatchSaysItsProblemsOnStandardError() {
        let narrator = WatchNarrator(json: false)
        #expect(narrator.utterances(.browserClosed) == [.problem(TemoinError.browserClosed.description)])
        #expect(
            narrator.utterances(.alertNotRecorded("disk full"))
                == [.problem(tr("notify.note_not_recorded", ["reason": "disk full"]))])
    }

    @Test func aWatchEndsWithItsCountAndTheAlertsItAbandons() {
        #expect(
            WatchNarrator(json: false).finish(done: 3, alertsPending: true)
                == [.problem(tr("notify.abandoned")), .line(tr("watch.stopped", ["count": "3"]))])
        #expect(WatchNarrator(json: true).finish(done: 3, alertsPending: false).isEmpty)
    }

    @Test func noTimeCheckedMeansNothingToSay() {
        #expect(AttemptText.timeWarnings(nil).isEmpty)
    }
}
