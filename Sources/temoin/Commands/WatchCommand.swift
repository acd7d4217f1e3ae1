import ArgumentParser
import TemoinKit

struct WatchCommand: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("watch", key: "WatchCommand")
    @OptionGroup var options: StoreOutputOptions
    @OptionGroup var live: LiveOptions
    @OptionGroup var notify: NotifyOptions
    @Option(help: .text("WatchCommand.every")) var every = DurationText("2h")
    @Option(help: .text("WatchCommand.jitter")) var jitter = DurationText("30m")
    @Option(help: .text("WatchCommand.until", value: "date")) var until: DateText?
    @Option(help: .text("WatchCommand.count")) var count: Int?

    func validate() throws {
        try validating { _ = try WatchPlan(every: every, jitter: jitter, until: until, count: count) }
        if let count, count < 1 { throw ValidationError(tr("watch.bad_count")) }
    }

    func execute() throws {
        let plan = try WatchPlan(every: every, jitter: jitter, until: until, count: count)
        let store = try Store.open(at: storeOptions.path)
        let alerter = try notify.settings().alerter()
        try live.run(store, json: output.json) { attempts in
            let watch = Watch(
                plan: plan, prompt: attempts.lines.map { TerminalPrompt(lines: $0, json: output.json) },
                alerter: alerter, recordAlert: { try AlertNote.record($0, in: store) },
                afterAttempt: { _ in
                    attempts.sealing?.after()
                    attempts.sayWhatSealsDid()
                }, attempt: attempts.attempt)
            let narrator = WatchNarrator(json: output.json, store: store)
            let done = try watch.run(stop: attempts.stop) { speak(narrator.utterances($0), json: output.json) }
            speak(narrator.finish(done: done, alertsPending: alerter?.isBusy ?? false), json: output.json)
        }
    }
}
