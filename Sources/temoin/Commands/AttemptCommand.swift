import ArgumentParser
import Foundation
import TemoinKit

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
            let sealing = try sealOptions.sealing(store, stop: stop)
            let report: AttemptReport
            if browser.enabled {
                let options = try browser.options(
                    capture: capture, stop: stop, recordNow: TerminalLines(), json: output.json)
                let url = try capture.url ?? store.caseRecord().fields.bookingURL
                say(tr("browser.opening", ["url": url]) + "\n" + tr("browser.instructions"), json: output.json)
                sealing?.before()
                report = try WitnessedAttemptRunner(store: store).run(options: options)
            } else {
                sealing?.before()
                report = try AttemptRunner(store: store).run(options: try capture.options(stop: stop))
            }
            sealing?.after()
            let time = checkedTime(store, report)
            print(output.json ? JSONOutput.string(attemptJSON(report, time: time)) : attemptLine(report))
            warnAboutTime(time, json: output.json)
            if !output.json, browser.enabled { printBrowserRecorded(report) }
            if !output.json, report.outcome == .slotAvailable { announceSlot(url: report.finalURL) }
            printSealing(sealing, json: output.json)
        }
    }
}
