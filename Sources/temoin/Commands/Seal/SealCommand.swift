import ArgumentParser

struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text(
        "seal", key: "SealCommand",
        subcommands: [SealTake.self, SealList.self, SealExport.self, SealTSA.self, SealTrust.self],
        defaultSubcommand: SealTake.self)
}
