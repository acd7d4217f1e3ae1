import Foundation
import Synchronization

/// A slot seen by an attempt: what an alert tells the person.
package struct SlotAlert: Sendable {
    /// The attempt's entry.
    package var seq: Int64
    /// Where to book (the page that showed the slot).
    package var url: String
    /// When the attempt saw it.
    package var seenAt: Date
    /// `temoin notify test`: says it is a test, names no slot.
    package var isTest = false

    package init(seq: Int64, url: String, seenAt: Date) {
        self.seq = seq
        self.url = url
        self.seenAt = seenAt
    }

    /// The alert `temoin notify test` sends.
    package static func test(at date: Date = Date()) -> SlotAlert {
        var alert = SlotAlert(seq: 0, url: "", seenAt: date)
        alert.isTest = true
        return alert
    }

    package init(report: AttemptReport) {
        let observed = report.entry.body?.observedAt.flatMap(TimeFormat.parseUTC)
        self.init(seq: report.entry.seq, url: report.finalURL, seenAt: observed ?? Date())
    }

    /// The subject and text of the alert, in the language of the messages.
    package var subject: String { tr(isTest ? "notify.test_subject" : "notify.subject") }

    package var text: String {
        if isTest { return tr("notify.test_text", ["time": TimeFormat.parisWallTime(seenAt)]) }
        return tr("notify.text", ["url": url, "time": TimeFormat.parisWallTime(seenAt), "seq": String(seq)])
    }
}

/// One way to reach the person: an e-mail, a command.
package protocol AlertChannel: Sendable {
    /// Who or what the alert goes to, as said to the person and recorded ("e-mail to amina@example.org").
    var recipient: String { get }
    /// Delivers the alert or throws ``AlertFailure`` with the reason.
    func deliver(_ alert: SlotAlert) throws
}

/// Why an alert did not go out, in words the person can act on.
package struct AlertFailure: Error, Sendable, CustomStringConvertible {
    package var reason: String
    package init(_ reason: String) { self.reason = reason }
    package var description: String { reason }
}

/// What became of one try of one alert.
package struct AlertOutcome: Sendable {
    package enum Status: String, Sendable, Encodable {
        /// The channel accepted it (the mail server took the message; the command exited 0).
        case delivered
        /// This try failed; another follows.
        case retrying
        /// Every try failed.
        case failed
    }

    package var alert: SlotAlert
    package var recipient: String
    package var status: Status
    /// 1 for the first try.
    package var attempt: Int
    package var tries: Int
    package var at: Date
    package var reason: String?
    /// When the next try is due (``Status/retrying`` only).
    package var nextTry: Date?
}

/// Sends slot alerts through every channel, each on a thread of its own, retrying a failed one after
/// each of ``retryDelays``: the watch never waits for a mail server.
///
/// Invariant: every try ends in exactly one ``AlertOutcome``, collected for the watch's own thread
/// (``takeOutcomes()``), which reports it and records it.
package final class SlotAlerter: Sendable {
    package let channels: [any AlertChannel]
    /// Waits between tries (the number of tries is one more).
    package let retryDelays: [TimeInterval]
    /// How long the end of a watch waits for alerts still being sent.
    package let finishTimeout: TimeInterval
    private let state = Mutex<(outcomes: [AlertOutcome], pending: Int)>(([], 0))

    package init(
        channels: [any AlertChannel], retryDelays: [TimeInterval] = [30, 120, 300], finishTimeout: TimeInterval = 60
    ) {
        self.channels = channels
        self.retryDelays = retryDelays
        self.finishTimeout = finishTimeout
    }

    /// Starts sending `alert` through every channel and returns at once.
    package func send(_ alert: SlotAlert) {
        for channel in channels {
            state.withLock { $0.pending += 1 }
            let thread = Thread { [self] in
                deliver(alert, through: channel)
                state.withLock { $0.pending -= 1 }
            }
            thread.start()
        }
    }

    /// Sends through every channel and waits for the result (the last try of each): `notify test`.
    package func sendNow(_ alert: SlotAlert) -> [AlertOutcome] {
        channels.map { deliver(alert, through: $0, collect: false) }
    }

    @discardableResult
    private func deliver(_ alert: SlotAlert, through channel: any AlertChannel, collect: Bool = true)
        -> AlertOutcome
    {
        let tries = retryDelays.count + 1
        var attempt = 1
        while true {
            var outcome = AlertOutcome(
                alert: alert, recipient: channel.recipient, status: .delivered, attempt: attempt, tries: tries,
                at: Date(), reason: nil, nextTry: nil)
            do {
                try channel.deliver(alert)
                outcome.at = Date()
            } catch {
                outcome.at = Date()
                outcome.reason = (error as? AlertFailure)?.reason ?? "\(error)"
                if attempt < tries {
                    let delay = retryDelays[attempt - 1]
                    outcome.status = .retrying
                    outcome.nextTry = outcome.at.addingTimeInterval(delay)
                    if collect { state.withLock { $0.outcomes.append(outcome) } }
                    Thread.sleep(forTimeInterval: delay)
                    attempt += 1
                    continue
                }
                outcome.status = .failed
            }
            if collect { state.withLock { $0.outcomes.append(outcome) } }
            return outcome
        }
    }

    /// The outcomes since the last call, in the order they happened.
    package func takeOutcomes() -> [AlertOutcome] {
        state.withLock { s in
            defer { s.outcomes = [] }
            return s.outcomes
        }
    }

    /// True while an alert is still being sent or retried.
    package var isBusy: Bool { state.withLock { $0.pending > 0 } }

    /// Waits until every alert is settled, `timeout` passes or `stop` is raised.
    package func waitUntilIdle(stop: InterruptionFlag, timeout: TimeInterval) {
        let end = Date().addingTimeInterval(timeout)
        while isBusy, !stop.isRaised, Date() < end { usleep(100_000) }
    }
}
