import ArgumentParser
import Foundation
import TemoinKit

/// Options of live attempts, shared by `attempt` and `watch`.
struct CaptureOptions: ParsableArguments {
    @Option(
        name: .customLong("profile-file"),
        help: ArgumentHelp(
            "Profile (steps and rules) to use instead of the case's (docs/PROFILES.md).", valueName: "file.json"))
    var profileFile: String?

    @Option(help: "A booking address to use instead of the case's, for these attempts only.") var url: String?

    @Option(name: .customLong("user-agent"), help: "User-Agent to send (default: temoin/<version>, honest).")
    var userAgent: String?

    @Option(help: "Seconds before an unanswered attempt is recorded as a timeout.") var timeout: Int = 60

    @Option(
        name: .customLong("max-size"),
        help: "Largest response body kept; beyond it the capture is truncated and flagged.")
    var maxSize: String = "20MB"

    @Option(
        help: ArgumentHelp("Extra authorities to trust (PEM), e.g. a test server's certificate.", valueName: "file.pem")
    )
    var cacert: String?

    func validate() throws {
        if ByteCount.parse(maxSize) == nil { throw ValidationError(tr("import.bad_max_size", ["value": maxSize])) }
        if timeout < 1 || timeout > 600 { throw ValidationError(tr("attempt.bad_timeout")) }
        if let url, (try? URLCheck.validate(url)) == nil {
            throw ValidationError(TemoinError.invalidURL(value: url).description)
        }
    }

    func options(stop: StopFlag) throws -> AttemptOptions {
        var o = AttemptOptions()
        if let profileFile { o.ruleSet = try RuleSet.load(url: URL(fileURLWithPath: profileFile)) }
        if let userAgent { o.transfer.userAgent = userAgent }
        o.transfer.timeout = timeout
        o.transfer.maxBodyBytes = Int(ByteCount.parse(maxSize)!)
        o.transfer.caFile = cacert
        o.interruption = stop
        o.bookingURL = url
        return o
    }
}

/// Ctrl-C raises the flag: the transfer stops, nothing is recorded for the unfinished attempt.
/// A second Ctrl-C leaves at once.
func installStopHandler(_ flag: StopFlag) -> DispatchSourceSignal {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler {
        if flag.isRaised {
            BrowserCleanup.now()  // no browser or temporary profile may outlive temoin
            exit(130)
        }
        flag.raise()
    }
    source.resume()
    return source
}

struct AttemptJSON: Encodable {
    let seq: Int64
    let hash: String
    let observed_at: String?
    let outcome: String
    let message: String?
    let url: String
    let exchanges: Int
    let failure: NetworkFailure?
}

func attemptLine(_ r: AttemptReport) -> String {
    let when = r.entry.body?.observedAt.flatMap(TimeFormat.parseUTC).map(TimeFormat.parisWallTime) ?? ""
    let message = r.message.map { "  « \($0) »" } ?? ""
    return "#\(r.entry.seq)  \(when)  \(tr("outcome.\(r.outcome.rawValue)"))\(message)"
}

func attemptJSON(_ r: AttemptReport) -> AttemptJSON {
    AttemptJSON(
        seq: r.entry.seq, hash: r.entry.hash, observed_at: r.entry.body?.observedAt, outcome: r.outcome.rawValue,
        message: r.message, url: r.finalURL, exchanges: r.exchanges, failure: r.failure)
}

struct AttemptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attempt",
        abstract: "Make one attempt on the booking site now, and record everything about it.",
        discussion: """
            Follows the case's profile (open the page, accept the conditions, choose a counter...) with \
            a fresh session, and records one entry holding every HTTP exchange: requests (cookies hidden \
            behind their digest), responses as received, redirects, the server's address and \
            certificate, timings, and the server's clock. A site that cannot be reached is recorded too: \
            that is evidence. temoin never fills in a CAPTCHA and never books a slot.

            With --browser, you make the attempt yourself in Chrome, Chromium or Edge (a fresh             temporary profile, deleted afterwards), CAPTCHA included, and temoin witnesses it: every page             and XHR/fetch response with the server's address and certificate, the final page, a             full-page screenshot and the navigation history, in one entry marked "witnessed". It records             when the page shows the outcome, or when you press Enter. --user-agent and --timeout do not             apply to the browser.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var sealOptions: SealOptions
    @OptionGroup var browser: BrowserOptions

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path)
            let stop = StopFlag()
            let handler = installStopHandler(stop)
            let exitHandlers = browser.enabled ? installBrowserExitHandlers(stop) : []
            defer {
                handler.cancel()
                for h in exitHandlers { h.cancel() }
            }
            let report: AttemptReport
            if browser.enabled {
                let options = try browser.options(
                    capture: capture, stop: stop, recordNow: TerminalLines(), json: output.json)
                let url = try capture.url ?? store.caseRecord().fields.bookingURL
                say(tr("browser.opening", ["url": url]) + "\n" + tr("browser.instructions"), json: output.json)
                report = try WitnessedAttemptRunner(store: store).run(options: options)
            } else {
                report = try AttemptRunner(store: store).run(options: try capture.options(stop: stop))
            }
            print(output.json ? JSONOutput.string(attemptJSON(report)) : attemptLine(report))
            if !output.json, browser.enabled { printBrowserRecorded(report) }
            if !output.json, report.outcome == .slotAvailable { announceSlot(url: report.finalURL) }
            sealOptions.sealAfterAttempt(store, json: output.json)
        }
    }
}

/// A slot was seen: say it loudly, with the address to book by hand. temoin never books.
func announceSlot(url: String) {
    print("\u{7}")
    print(tr("watch.slot_seen", ["url": url]))
    if let notify = ["/usr/bin/notify-send", "/usr/local/bin/notify-send"].first(
        where: FileManager.default.isExecutableFile)
    {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: notify)
        p.arguments = ["--urgency=critical", "temoin", tr("watch.slot_seen", ["url": url])]
        try? p.run()
    }
}
