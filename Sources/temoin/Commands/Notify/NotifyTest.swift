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
            if output.json {
                print(JSONOutput.string(outcomes.map(AlertJSON.init)))
            } else {
                for o in outcomes { print(AttemptText.alertLine(o)) }
            }
            let failed = outcomes.filter { $0.status != .delivered }.count
            if failed > 0 { throw TemoinError.notify(.notDelivered(failed: failed, total: outcomes.count)) }
        }
    }
}

struct AlertJSON: Encodable {
    let recipient: String
    let status: AlertOutcome.Status
    let at: String
    let reason: String?

    init(_ o: AlertOutcome) {
        recipient = o.recipient
        status = o.status
        at = TimeFormat.utc(o.at)
        reason = o.reason
    }
}
