import ArgumentParser

struct StepCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text(
        "step", key: "StepCommand", subcommands: [StepAdd.self, StepFollowUp.self, StepList.self, StepCheck.self],
        defaultSubcommand: StepList.self)
}
