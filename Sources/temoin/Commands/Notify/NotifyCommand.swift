import ArgumentParser

struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("notify", key: "NotifyCommand", subcommands: [NotifyTest.self])
}
