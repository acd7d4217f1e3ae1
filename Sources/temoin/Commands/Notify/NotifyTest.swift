import ArgumentParser
import Foundation
import TemoinKit

struct NotifyTest: ParsableCommand {
    static let configuration = CommandConfiguration.text("test", key: "NotifyTest")

    @OptionGroup var language: LanguageOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var notify: NotifyOptions

    func run() throws {
        try guarded {
            let channels = try notify.settings.channels()
            if channels.isEmpty { throw TemoinError.notify(.noChannel) }
            let outcomes = SlotAlerter(channels: channels, retryDelays: []).sendNow(.test())
            output.render(outcomes.map(AlertJSON.init)) { outcomes.map(AttemptText.alertLine) }
            let failed = outcomes.filter { $0.status != .delivered }.count
            if failed > 0 { throw TemoinError.notify(.notDelivered(failed: failed, total: outcomes.count)) }
        }
    }
}
