import ArgumentParser
import TemoinKit

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("watch", key: "WatchCommand")
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var sealOptions: SealOptions
    @OptionGroup var browser: BrowserOptions
    @OptionGroup var notify: NotifyOptions
    @Option(help: .text("WatchCommand.every")) var every: String = "2h"
    @Option(help: .text("WatchCommand.jitter")) var jitter: String = "30m"
    @Option(help: .text("WatchCommand.until", value: "date")) var until: String?
    @Option(help: .text("WatchCommand.count")) var count: Int?

    func validate() throws {
        do { _ = try plan() } catch let error as TemoinError { throw ValidationError(error.description) }
        if let count, count < 1 { throw ValidationError(tr("watch.bad_count")) }
    }

    private func plan() throws -> WatchPlan {
        try WatchPlan(every: every, jitter: jitter, until: until, count: count)
    }

    func run() throws {
        try guarded {
            let plan = try self.plan()
            let store = try Store.open(at: storeOptions.path)
            let alerter = try notify.settings.alerter()
            try withStopHandling(browser: browser.enabled) { stop in
                // Seals just before each attempt (once the person is ready) and just after it.
                let sealing = try sealOptions.seal.sealing(store, stop: stop)
                let lines = browser.enabled ? TerminalLines() : nil
                let attempt = try capture.settings(browser).attempts(
                    store: store, sealing: sealing, stop: stop, recordNow: lines,
                    pageSeen: BrowserOptions.pageSeen(json: output.json))
                let prompt = lines.map { TerminalPrompt(lines: $0, json: output.json) }
                let watch = Watch(
                    plan: plan, prompt: prompt, alerter: alerter, recordAlert: { try AlertNote.record($0, in: store) },
                    afterAttempt: { _ in
                        sealing?.after()
                        printSealing(sealing, json: output.json)
                    }, attempt: attempt)
                let renderer = WatchRenderer(json: output.json, store: store)
                let done = try watch.run(stop: stop, events: renderer.render)
                renderer.finish(done: done, alertsPending: alerter?.isBusy ?? false)
            }
        }
    }
}
