import ArgumentParser
import TemoinKit

struct NotifyTest: ParsableCommand {
    static let configuration = CommandConfiguration.text("test", key: "NotifyTest")
    @OptionGroup var language: LanguageOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var notify: NotifyOptions

    func run() throws {
        try guarded {
            let outcomes = try notify.settings.sendTest()
            output.render(outcomes.map(AlertJSON.init)) { outcomes.map(AttemptText.alertLine) }
            try AlertOutcome.checkDelivered(outcomes)
        }
    }
}
