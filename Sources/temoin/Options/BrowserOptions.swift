import ArgumentParser
import Foundation
import TemoinKit

/// `--browser` for `attempt` and `watch`: the person makes the attempt in a real browser, temoin watches.
struct BrowserOptions: ParsableArguments {
    @Flag(name: .customLong("browser"), help: .text("BrowserOptions.enabled")) var enabled = false

    @Option(name: .customLong("browser-path"), help: .text("BrowserOptions.path", value: "path")) var path: String?

    func validate() throws {
        if path != nil, !enabled { throw ValidationError(tr("browser.bad_path_without_browser")) }
    }

    func options(capture: CaptureOptions, stop: StopFlag, recordNow: InterruptionFlag, json: Bool) throws
        -> BrowserAttemptOptions
    {
        var o = BrowserAttemptOptions()
        o.browserPath = path
        // Headless is for temoin's own tests only (documented in docs/DESIGN.md): a person needs the window.
        o.headless = BrowserAttemptOptions.headlessFromEnvironment()
        if let file = capture.profileFile { o.ruleSet = try RuleSet.load(url: URL(fileURLWithPath: file)) }
        o.bookingURL = capture.url
        o.caFile = capture.cacert
        o.maxBodyBytes = Int(ByteCount.parse(capture.maxSize)!)
        o.interruption = stop
        o.recordNow = recordNow
        o.pageSeen = { outcome, url in
            say(
                tr("browser.page_seen", ["outcome": tr("outcome.\(outcome.rawValue)"), "url": TerminalText.line(url)]),
                json: json)
        }
        return o
    }

    /// How `watch` makes each attempt: by temoin, or witnessed in the browser after asking the person
    /// (the prompt); either way sealed just before.
    func attempts(store: Store, capture: CaptureOptions, sealing: AttemptSealing?, stop: StopFlag, json: Bool) throws
        -> (attempt: () throws -> AttemptReport, prompt: TerminalPrompt?)
    {
        guard enabled else {
            let options = try capture.options(stop: stop)
            return (
                {
                    sealing?.before()
                    return try AttemptRunner(store: store).run(options: options)
                }, nil
            )
        }
        let lines = TerminalLines()
        let options = try self.options(capture: capture, stop: stop, recordNow: lines, json: json)
        let attempt = {
            sealing?.before()
            return try WitnessedAttemptRunner(store: store).run(options: options)
        }
        return (attempt, TerminalPrompt(lines: lines, json: json))
    }
}
