import ArgumentParser

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("key", key: "KeyCommand", subcommands: [KeyNew.self])
}
