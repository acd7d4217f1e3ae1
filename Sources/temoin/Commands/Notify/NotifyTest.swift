import ArgumentParser
import TemoinKit

struct NotifyTest: GuardedCommand {
    static let configuration = CommandConfiguration.text("test", key: "NotifyTest")
    @OptionGroup var language: LanguageOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var notify: NotifyOptions

    func execute() throws {
        let outcomes = try notify.settings().sendTest()
        try output.render(Reported(outcomes.map(AlertJSON.init)) { outcomes.map(AttemptText.alertLine) })
        try AlertOutcome.checkDelivered(outcomes)
    }
}
