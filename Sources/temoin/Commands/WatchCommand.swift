import ArgumentParser
import Foundation
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
            let plan = WatchPlan(
                pace: try Pace(every: Pace.parseDuration(every)!, jitter: Pace.parseDuration(jitter) ?? 0),
                deadline: try until.map { try parseDate($0) }, count: count)
            let store = try Store.open(at: storeOptions.path)
            let alerter = try notify.settings.alerter()
            try withStopHandling(browser: browser.enabled) { stop in
                // Seals just before each attempt (once the person is ready) and just after it.
                let sealing = try sealOptions.sealing(store, stop: stop)
                let (attempt, prompt) = try browser.attempts(
                    store: store, capture: capture, sealing: sealing, stop: stop, json: output.json)
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
