import ArgumentParser
import Foundation
import TemoinKit

struct NotifyTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Send a test alert now, with the same options as `watch`, and say whether it arrived.",
        discussion: """
            Give the options you will give `watch`: --notify-email with --smtp-server (and --smtp-user; \
            the password from TEMOIN_SMTP_PASSWORD or --smtp-password-file), and/or --notify-command. \
            One try each, no retry: each says "delivered" or why not. Nothing is recorded in the store. \
            Exit status 8 when an alert could not be delivered.
            """)

    @OptionGroup var language: LanguageOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var notify: NotifyOptions

    func run() throws {
        try guarded {
            let channels = try notify.channels()
            if channels.isEmpty { throw TemoinError.notify(.noChannel) }
            let outcomes = SlotAlerter(channels: channels, retryDelays: []).sendNow(.test())
            if output.json {
                print(JSONOutput.string(outcomes.map(AlertJSON.init)))
            } else {
                for o in outcomes { print(alertLine(o)) }
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
