import ArgumentParser
import Foundation
import TemoinKit

struct StepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: tr("help.StepCommand.abstract"),
        discussion: tr("help.StepCommand.discussion"),
        subcommands: [StepAdd.self, StepFollowUp.self, StepList.self, StepCheck.self],
        defaultSubcommand: StepList.self)
}
