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

    func validate() throws { try validating { _ = try plan() } }

    func plan() throws -> WatchPlan { try WatchPlan(every: every, jitter: jitter, until: until, count: count) }

    func execute() throws {
        let store = try Store.open(at: storeOptions.path)
        let alerter = try notify.settings().alerter()
        try live.run(store, json: output.json) { _ = try $0.watch(plan: try plan(), alerter: alerter) }
    }
}
