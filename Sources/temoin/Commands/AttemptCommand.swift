import ArgumentParser
import Foundation
import TemoinKit

struct AttemptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attempt",
        abstract: tr("help.AttemptCommand.abstract"),
        discussion: tr("help.AttemptCommand.discussion"))

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
            print(output.json ? JSONOutput.string(AttemptJSON(report, time: time)) : AttemptText.line(report))
            warnAboutTime(time, json: output.json)
            if !output.json, browser.enabled { printBrowserRecorded(report) }
            if !output.json, report.outcome == .slotAvailable { announceSlot(url: report.finalURL) }
            printSealing(sealing, json: output.json)
        }
    }
}
