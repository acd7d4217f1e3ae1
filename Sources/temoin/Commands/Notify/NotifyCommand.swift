import ArgumentParser

struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Slot alerts: try the e-mail or command `watch` will use when a slot appears.",
        subcommands: [NotifyTest.self])
}
