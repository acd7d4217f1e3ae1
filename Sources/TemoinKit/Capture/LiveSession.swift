import Foundation

/// The attempts of one `attempt` or `watch` on a store, as asked: made by temoin or witnessed in the
/// person's browser, sealed around each (`--seal`), stopped by Ctrl-C (and, with a browser, by a closed
/// terminal or SIGTERM).
///
/// Invariants: a failed seal never changes the attempt or the exit status; what the seals did is said
/// only after the attempt's own line is out (`.flush`), even into a pipe or a log file. Everything said
/// goes through `speak`, given by the executable (a test collects it).
package struct LiveSession {
    package let store: Store
    package let settings: LiveAttemptSettings
    /// Makes and records one attempt, sealed just before it when the store seals.
    package let attempt: () throws -> AttemptReport
    package let sealing: AttemptSealing?
    /// The terminal the person presses Enter on, in the browser's case.
    package let lines: TerminalLines?
    package let stop: StopFlag
    package let json: Bool
    let speak: @Sendable ([Utterance]) -> Void

    /// Runs `body` with the session on `store`; the stop handlers go when it returns. A wrong profile
    /// file, or `--seal on` without a TSA, is refused here, before any attempt.
    package static func run<T>(
        store: Store, settings: LiveAttemptSettings, sealing mode: SealingMode, json: Bool,
        speak: @escaping @Sendable ([Utterance]) -> Void, _ body: (LiveSession) throws -> T
    ) throws -> T {
        try withStopHandling(browser: settings.browser) { stop in
            // Seals just before each attempt (once the person is ready) and just after it.
            let sealing = try mode.sealing(store, stop: stop)
            let lines = settings.browser ? TerminalLines() : nil
            let attempt = try settings.attempts(
                store: store, sealing: sealing, stop: stop, recordNow: lines,
                pageSeen: { speak([.aside(LiveSession.pageSeenLine(outcome: $0, url: $1))]) })
            return try body(
                LiveSession(
                    store: store, settings: settings, attempt: attempt, sealing: sealing, lines: lines, stop: stop,
                    json: json, speak: speak))
        }
    }

    /// Each page the person reaches in the browser (on standard error with `--json`).
    static func pageSeenLine(outcome: Outcome, url: String) -> String {
        tr("browser.page_seen", ["outcome": tr("outcome.\(outcome.rawValue)"), "url": TerminalText.line(url)])
    }

    /// `temoin attempt`: says where the browser opens (witnessed), makes one attempt, says it, then
    /// what the seals around it did.
    @discardableResult
    package func attemptOnce() throws -> AttemptReport {
        if settings.browser {
            let url = try settings.openedURL(store: store)
            speak([.aside(tr("browser.opening", ["url": url]) + "\n" + tr("browser.instructions"))])
        }
        let report = try attempt()
        sealing?.after()
        speak(report.utterances(store: store, json: json, witnessed: settings.browser))
        sayWhatSealsDid()
        return report
    }

    /// `temoin watch`: attempts by `plan` until its end or Ctrl-C, each told as it goes, alerts sent on a
    /// slot (their outcome noted in the store), the person asked before each witnessed attempt; returns
    /// the number recorded. `clock` and `nextDelay` are the system's unless a test gives its own.
    @discardableResult
    package func watch(
        plan: WatchPlan, alerter: SlotAlerter?, clock: WatchClock = SystemWatchClock(),
        nextDelay: (() -> TimeInterval)? = nil
    ) throws -> Int {
        let watch = Watch(
            plan: plan, clock: clock, prompt: lines.map { TerminalPrompt(lines: $0, speak: speak) }, alerter: alerter,
            recordAlert: { [store] in try AlertNote.record($0, in: store) }, nextDelay: nextDelay,
            afterAttempt: { _ in
                sealing?.after()
                sayWhatSealsDid()
            }, attempt: attempt)
        let narrator = WatchNarrator(json: json, store: store)
        let done = try watch.run(stop: stop) { speak(narrator.utterances($0)) }
        speak(narrator.finish(done: done, alertsPending: alerter?.isBusy ?? false))
        return done
    }

    /// What the seals around the attempt did, once they are done.
    private func sayWhatSealsDid() {
        guard let sealing else { return }
        speak([.flush] + sealing.utterances(json: json))
    }
}

/// `watch --browser`: rings and asks before each witnessed attempt, then says what to do in the browser.
package final class TerminalPrompt: WatchPrompt {
    let lines: TerminalLines
    let speak: @Sendable ([Utterance]) -> Void

    package init(lines: TerminalLines, speak: @escaping @Sendable ([Utterance]) -> Void) {
        self.lines = lines
        self.speak = speak
    }

    package func waitForPerson(number: Int, stop: InterruptionFlag) {
        speak([.bell, .aside(tr("browser.watch_prompt", ["number": String(number)]))])
        lines.waitForEnter(stop: stop)
        if !stop.isRaised { speak([.aside(tr("browser.instructions"))]) }
    }

    package func attemptDone() { lines.forget() }
}
