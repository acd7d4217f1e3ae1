import ArgumentParser
import Foundation
import TemoinKit

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Make attempts at a humane pace, spread over the hours of the day, until a date or a count.",
        discussion: """
            Waits --every ± --jitter between attempts (at least 5 minutes, always), prints a line per \
            attempt, and rings loudly when a slot appears, with the address to book it yourself. It never \
            books. Ctrl-C stops between or during an attempt; an unfinished attempt is not recorded. For \
            a machine that stays on, `temoin schedule` prints a crontab line or a systemd timer instead. \
            With --browser, it rings and asks you at each interval, then opens the browser for you to \
            make the attempt (see `temoin attempt --help`).
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var sealOptions: SealOptions
    @OptionGroup var browser: BrowserOptions

    @Option(help: "Interval between attempts, e.g. 2h, 90m.") var every: String = "2h"
    @Option(help: "Random variation of the interval, e.g. 40m.") var jitter: String = "30m"
    @Option(help: ArgumentHelp("Stop after this date (Paris time or ISO 8601).", valueName: "date")) var until: String?
    @Option(help: "Stop after this many attempts.") var count: Int?

    func validate() throws {
        guard let e = Pace.parseDuration(every) else {
            throw ValidationError(TemoinError.invalidDuration(value: every).description)
        }
        guard let j = Pace.parseDuration(jitter) ?? (jitter == "0" ? 0 : nil) else {
            throw ValidationError(TemoinError.invalidDuration(value: jitter).description)
        }
        do { _ = try Pace(every: e, jitter: j) } catch let error as TemoinError {
            throw ValidationError(error.description)
        }
        if let until {
            do { _ = try parseDate(until) } catch let error as TemoinError { throw ValidationError(error.description) }
        }
        if let count, count < 1 { throw ValidationError(tr("watch.bad_count")) }
    }

    func run() throws {
        try guarded {
            let pace = try Pace(every: Pace.parseDuration(every)!, jitter: Pace.parseDuration(jitter) ?? 0)
            let deadline = try until.map { try parseDate($0) }
            let store = try Store.open(at: storeOptions.path)
            let stop = StopFlag()
            let handler = installStopHandler(stop)
            let exitHandlers = browser.enabled ? installBrowserExitHandlers(stop) : []
            defer {
                handler.cancel()
                for h in exitHandlers { h.cancel() }
            }
            let options = try capture.options(stop: stop)
            let lines = browser.enabled ? TerminalLines() : nil
            let browserOptions = try lines.map {
                try browser.options(capture: capture, stop: stop, recordNow: $0, json: output.json)
            }
            var generator = SystemRandomNumberGenerator()
            var done = 0
            while !stop.isRaised {
                if let deadline, Date() >= deadline { break }
                let report: AttemptReport
                do {
                    if let lines, let browserOptions {
                        // A person makes each witnessed attempt: ask, ring, wait for them.
                        ringBell()
                        say(tr("browser.watch_prompt", ["number": String(done + 1)]), json: output.json)
                        lines.waitForEnter(stop: stop)
                        if stop.isRaised { break }
                        say(tr("browser.instructions"), json: output.json)
                        report = try WitnessedAttemptRunner(store: store).run(options: browserOptions)
                        lines.forget()
                    } else {
                        report = try AttemptRunner(store: store).run(options: options)
                    }
                } catch TemoinError.interrupted {
                    break
                } catch TemoinError.browserClosed {
                    // The window was closed by mistake: say so, and ask again for this attempt.
                    printError(TemoinError.browserClosed.description)
                    continue
                }
                done += 1
                if output.json {
                    print(JSONOutput.string(attemptJSON(report)).replacingOccurrences(of: "\n", with: ""))
                } else {
                    print(attemptLine(report))
                    if report.outcome == .slotAvailable { announceSlot(url: report.finalURL) }
                }
                sealOptions.sealAfterAttempt(store, json: output.json)
                if let count, done >= count { break }
                let delay = pace.nextDelay(using: &generator)
                let next = Date().addingTimeInterval(delay)
                if let deadline, next > deadline { break }
                if !output.json { print(tr("watch.next", ["when": TimeFormat.parisWallTime(next)])) }
                fflush(nil)  // one line per attempt, even into a pipe or a log file
                let waiting = ProgressReporter.standardError(
                    label: tr("watch.progress"), unit: .countdown, json: output.json)
                let started = Date()
                while !stop.isRaised, Date() < next {
                    waiting.update(done: Int64(Date().timeIntervalSince(started)), total: Int64(delay))
                    usleep(250_000)
                }
                waiting.finish()
            }
            if !output.json { print(tr("watch.stopped", ["count": String(done)])) }
        }
    }
}
