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

    @Test func theSimulatorWritesItsCertificateThenSaysWhereItListensAndFlushes() throws {
        let dir = TempDir()
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
        let said = try SimulatorText.ready(
            baseURL: "http://127.0.0.1:8080", httpsBaseURL: "https://127.0.0.1:8443", certificatePEM: pem,
            certificateOut: dir.file("cert.pem"), testHooks: true)
        #expect(try String(contentsOfFile: dir.file("cert.pem"), encoding: .utf8) == pem)
        let banner = SimulatorText.banner(
            baseURL: "http://127.0.0.1:8080", httpsBaseURL: "https://127.0.0.1:8443", testHooks: true)
        #expect(said == banner.map(Utterance.line) + [.problem(SimulatorText.testHooksWarning), .flush])
        #expect(
            try SimulatorText.ready(
                baseURL: "http://127.0.0.1:8080", httpsBaseURL: nil, certificatePEM: pem, certificateOut: nil,
                testHooks: false
            ).contains(.problem(SimulatorText.testHooksWarning)) == false)
        // A certificate that cannot be written stops it before anything is said (exit 7).
        #expect {
            try SimulatorText.ready(
                baseURL: "http://127.0.0.1:8080", httpsBaseURL: nil, certificatePEM: pem,
                certificateOut: dir.file("missing/cert.pem"), testHooks: false)
        } throws: { ($0 as? TemoinError)?.exitStatus == .outputUnwritable }
    }
}
