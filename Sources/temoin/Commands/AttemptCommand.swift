import ArgumentParser
import Foundation
import TemoinKit

struct AttemptCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("attempt", key: "AttemptCommand")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var sealOptions: SealOptions
    @OptionGroup var browser: BrowserOptions

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path)
            try withStopHandling(browser: browser.enabled) { stop in
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
                renderAttempt(report, store: store, json: output.json, witnessed: browser.enabled)
                printSealing(sealing, json: output.json)
            }
        }
    }
}
