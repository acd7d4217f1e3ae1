import ArgumentParser
import Foundation
import TemoinKit

/// `--seal` for `attempt` and `watch`: seals around each attempt, never blocking it.
struct SealOptions: ParsableArguments {
    @Option(help: .text("SealOptions.seal", value: "auto|on|off")) var seal: SealingMode = .auto
}

extension SealingMode: ExpressibleByArgument {}

/// What `attempt` and `watch` share: how each attempt is made, sealed and witnessed.
struct LiveOptions: ParsableArguments {
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var sealOptions: SealOptions
    @OptionGroup var browser: BrowserOptions

    /// Runs `body` with the attempts on `store` as asked, Ctrl-C (and, with a browser, a closed terminal
    /// or SIGTERM) raising their stop flag; the handlers go when it returns.
    func run<T>(_ store: Store, json: Bool, _ body: (LiveAttempts) throws -> T) throws -> T {
        try withStopHandling(browser: browser.enabled) { stop in
            // Seals just before each attempt (once the person is ready) and just after it.
            let sealing = try sealOptions.seal.sealing(store, stop: stop)
            let lines = browser.enabled ? TerminalLines() : nil
            let attempt = try capture.settings(browser).attempts(
                store: store, sealing: sealing, stop: stop, recordNow: lines,
                pageSeen: BrowserOptions.pageSeen(json: json))
            return try body(LiveAttempts(attempt: attempt, sealing: sealing, lines: lines, stop: stop, json: json))
        }
    }
}

/// The attempts of one `attempt` or `watch`, ready to be made.
struct LiveAttempts {
    let attempt: () throws -> AttemptReport
    let sealing: AttemptSealing?
    /// The terminal the person presses Enter on, in the browser's case.
    let lines: TerminalLines?
    let stop: StopFlag
    let json: Bool

    /// Says what the seals around the attempt did (a failed seal never changes the attempt or the exit
    /// code). The attempt's line is out before waiting for the TSAs, even into a pipe or a log file.
    func sayWhatSealsDid() {
        guard let sealing else { return }
        fflush(nil)
        speak(sealing.utterances(json: json), json: json)
    }
}
