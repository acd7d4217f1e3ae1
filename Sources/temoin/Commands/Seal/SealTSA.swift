import ArgumentParser

struct SealTSA: ParsableCommand {
    static let configuration = CommandConfiguration.text(
        "tsa", key: "SealTSA", subcommands: [SealTSAList.self, SealTSAAdd.self, SealTSARemove.self],
        defaultSubcommand: SealTSAList.self)
}
