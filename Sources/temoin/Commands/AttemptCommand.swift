import ArgumentParser
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
                let sealing = try sealOptions.seal.sealing(store, stop: stop)
                let settings = try capture.settings(browser)
                let attempt = try settings.attempts(
                    store: store, sealing: sealing, stop: stop, recordNow: browser.enabled ? TerminalLines() : nil,
                    pageSeen: BrowserOptions.pageSeen(json: output.json))
                if browser.enabled {
                    let url = try settings.openedURL(store: store)
                    say(tr("browser.opening", ["url": url]) + "\n" + tr("browser.instructions"), json: output.json)
                }
                let report = try attempt()
                sealing?.after()
                renderAttempt(report, store: store, json: output.json, witnessed: browser.enabled)
                printSealing(sealing, json: output.json)
            }
        }
    }
}
