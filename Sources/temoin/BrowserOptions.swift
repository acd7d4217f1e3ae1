import ArgumentParser
import Foundation
import TemoinKit

/// `--browser` for `attempt` and `watch`: the person makes the attempt in a real browser, temoin watches.
struct BrowserOptions: ParsableArguments {
    @Flag(
        name: .customLong("browser"),
        help: """
            Open the booking address in Chrome, Chromium or Edge (fresh temporary profile) and witness the \
            attempt you make there, CAPTCHA included: every response, the final page, a full-page \
            screenshot. Records when the page shows the outcome, or when you press Enter.
            """)
    var enabled = false

    @Option(
        name: .customLong("browser-path"),
        help: ArgumentHelp("The browser to start, instead of the first one found.", valueName: "path"))
    var path: String?

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
            say(tr("browser.page_seen", ["outcome": tr("outcome.\(outcome.rawValue)"), "url": url]), json: json)
        }
        return o
    }
}

/// Lines typed in the terminal, read on a thread of their own: Enter records a witnessed attempt now
/// (or, for `watch --browser`, starts the next one).
final class TerminalLines: InterruptionFlag, @unchecked Sendable {
    private let lock = NSLock()
    private var lines = 0
    private var taken = 0
    private(set) var atEnd = false

    init() {
        // Raw read(2), not readLine: a FILE-level read blocked on stdin holds a lock that fflush(NULL)
        // elsewhere would wait on forever, and a line is only counted, never kept.
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress!, $0.count) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                let newlines = buffer[0..<n].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                lock.withLock { lines += newlines }
            }
            lock.withLock { atEnd = true }
        }
        thread.start()
    }

    /// True once Enter was pressed since the last ``forget()``.
    var isRaised: Bool { lock.withLock { lines > taken } }

    /// Forgets the lines typed so far (before a new attempt starts).
    func forget() { lock.withLock { taken = lines } }

    /// Waits for Enter, Ctrl-C, or the end of input (nothing to wait for then).
    func waitForEnter(stop: StopFlag) {
        while !stop.isRaised {
            if lock.withLock({ lines > taken || atEnd }) { break }
            usleep(100_000)
        }
        forget()
    }
}

/// A line for the person: on standard output, or on standard error when standard output carries JSON.
func say(_ line: String, json: Bool) {
    if json {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    } else {
        print(line)
        fflush(nil)  // safe: nothing reads stdin through a FILE (see TerminalLines)
    }
}

func printBrowserRecorded(_ report: AttemptReport) {
    guard let browser = report.entry.body?.browser else { return }
    print(
        tr(
            "browser.screenshot_saved",
            [
                "width": String(browser.screenshotWidth ?? 0), "height": String(browser.screenshotHeight ?? 0),
                "exchanges": String(report.exchanges),
            ]))
}

/// With a browser open, a closed terminal (SIGHUP) or a SIGTERM stops like Ctrl-C: the browser is closed
/// and its temporary profile deleted before temoin leaves. A second signal leaves at once, after killing
/// the browser and deleting the profile.
func installBrowserExitHandlers(_ flag: StopFlag) -> [DispatchSourceSignal] {
    [SIGHUP, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            if flag.isRaised {
                BrowserCleanup.now()
                exit(128 + number)
            }
            flag.raise()
        }
        source.resume()
        return source
    }
}
