import ArgumentParser
import TemoinKit

struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: tr("help.NotifyCommand.abstract"),
        subcommands: [NotifyTest.self])
}
