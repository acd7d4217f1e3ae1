import Foundation

/// Time as `watch` sees it: the present, and a wait that Ctrl-C cuts short. Injected, so the loop is
/// tested without waiting.
package protocol WatchClock: Sendable {
    func now() -> Date
    /// Returns at `date`, or as soon as `stop` is raised; calls `tick` about every quarter second with
    /// the seconds elapsed since the wait began.
    func wait(until date: Date, stop: InterruptionFlag, tick: (TimeInterval) -> Void)
}

/// The computer's clock.
package struct SystemWatchClock: WatchClock {
    package init() {}

    package func now() -> Date { Date() }

    package func wait(until date: Date, stop: InterruptionFlag, tick: (TimeInterval) -> Void) {
        let started = Date()
        while !stop.isRaised, Date() < date {
            tick(Date().timeIntervalSince(started))
            usleep(250_000)
        }
    }
}

/// The person, for `watch --browser`: each witnessed attempt waits for them.
package protocol WatchPrompt: AnyObject {
    /// Rings and asks for attempt `number`; returns when the person is ready (Enter, or nothing more to
    /// read) or `stop` is raised.
    func waitForPerson(number: Int, stop: InterruptionFlag)
    /// The attempt is over: what was typed during it answers no later question.
    func attemptDone()
}

/// When `watch` stops: a date, a number of attempts, or neither (Ctrl-C only).
package struct WatchPlan: Sendable {
    package var pace: Pace
    package var deadline: Date?
    package var count: Int?

    package init(pace: Pace, deadline: Date? = nil, count: Int? = nil) {
        self.pace = pace
        self.deadline = deadline
        self.count = count
    }
}

/// What happens during a watch, in order, for the command to render.
package enum WatchEvent: Sendable {
    /// Attempt `number` of this watch was recorded.
    case recorded(AttemptReport, number: Int)
    /// The attempt saw a slot: the person must book it themselves, now.
    case slotSeen(AttemptReport)
    /// The browser window was closed before recording; the same attempt is asked for again.
    case browserClosed
    /// The next attempt is at this time.
    case next(Date)
    /// Waiting: seconds elapsed and total.
    case waiting(elapsed: TimeInterval, total: TimeInterval)
    case waitOver
    /// A slot alert was delivered, failed once (and will be tried again), or failed for good.
    case alert(AlertOutcome)
    /// The final outcome of an alert could not be written to the store as a note (the reason).
    case alertNotRecorded(String)
}

/// `temoin watch`: attempts at a humane pace until a date, a count or Ctrl-C (docs/DESIGN.md).
///
/// Invariants: two attempts are never closer than ``Pace/minimumInterval`` (the pace says so, the loop
/// waits it out); an attempt interrupted by Ctrl-C is not recorded and ends the watch; a slot alert is
/// sent in the background and never delays the next attempt.
package final class Watch {
    let plan: WatchPlan
    let clock: WatchClock
    let attempt: () throws -> AttemptReport
    let prompt: WatchPrompt?
    let afterAttempt: (AttemptReport) -> Void
    let alerter: SlotAlerter?
    let recordAlert: ((AlertOutcome) throws -> Void)?
    var nextDelay: () -> TimeInterval

    /// - Parameters:
    ///   - attempt: makes and records one attempt (captured, or witnessed with a `prompt`).
    ///   - afterAttempt: runs after each recorded attempt (seals); must not throw.
    ///   - alerter: alerts sent when a slot is seen.
    ///   - recordAlert: writes each alert's outcome to the store (``AlertNote/record(_:in:)``), on the
    ///     watch's own thread.
    ///   - nextDelay: the wait after an attempt (default: the plan's pace with the system's randomness).
    package init(
        plan: WatchPlan, clock: WatchClock = SystemWatchClock(), prompt: WatchPrompt? = nil,
        alerter: SlotAlerter? = nil, recordAlert: ((AlertOutcome) throws -> Void)? = nil,
        nextDelay: (() -> TimeInterval)? = nil,
        afterAttempt: @escaping (AttemptReport) -> Void = { _ in },
        attempt: @escaping () throws -> AttemptReport
    ) {
        self.plan = plan
        self.clock = clock
        self.prompt = prompt
        self.alerter = alerter
        self.recordAlert = recordAlert
        self.afterAttempt = afterAttempt
        self.attempt = attempt
        if let nextDelay {
            self.nextDelay = nextDelay
        } else {
            var generator = SystemRandomNumberGenerator()
            let pace = plan.pace
            self.nextDelay = { pace.nextDelay(using: &generator) }
        }
    }

    /// Runs until the plan or `stop` ends it; returns the number of attempts recorded. Errors other than
    /// an interruption or a closed browser end the watch (what was recorded stays recorded).
    package func run(stop: InterruptionFlag, events: (WatchEvent) -> Void) throws -> Int {
        var done = 0
        defer { finishAlerts(stop: stop, events: events) }
        while !stop.isRaised {
            if let deadline = plan.deadline, clock.now() >= deadline { break }
            let report: AttemptReport
            do {
                if let prompt {
                    prompt.waitForPerson(number: done + 1, stop: stop)
                    if stop.isRaised { break }
                    defer { prompt.attemptDone() }
                    report = try attempt()
                } else {
                    report = try attempt()
                }
            } catch TemoinError.interrupted {
                break
            } catch TemoinError.browserClosed {
                events(.browserClosed)
                continue
            }
            done += 1
            events(.recorded(report, number: done))
            if report.outcome == .slotAvailable {
                events(.slotSeen(report))
                alerter?.send(SlotAlert(report: report))
            }
            afterAttempt(report)
            drainAlerts(events)
            if let count = plan.count, done >= count { break }
            let delay = max(Pace.minimumInterval, nextDelay())
            let next = clock.now().addingTimeInterval(delay)
            // The loop stops at the deadline: waiting until then would only end the watch.
            if let deadline = plan.deadline, next >= deadline { break }
            events(.next(next))
            clock.wait(until: next, stop: stop) { elapsed in
                events(.waiting(elapsed: elapsed, total: delay))
                drainAlerts(events)
            }
            events(.waitOver)
        }
        return done
    }

    private func drainAlerts(_ events: (WatchEvent) -> Void) {
        for outcome in alerter?.takeOutcomes() ?? [] {
            events(.alert(outcome))
            guard outcome.status != .retrying, let recordAlert else { continue }
            do { try recordAlert(outcome) } catch { events(.alertNotRecorded("\(error)")) }
        }
    }

    /// Alerts still being sent when the watch ends get a short while to finish (their outcome is worth
    /// telling); a stop cuts it short.
    private func finishAlerts(stop: InterruptionFlag, events: (WatchEvent) -> Void) {
        guard let alerter else { return }
        alerter.waitUntilIdle(stop: stop, timeout: alerter.finishTimeout)
        drainAlerts(events)
    }
}
