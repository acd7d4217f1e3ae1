import ArgumentParser

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text(
        "case", key: "CaseCommand", subcommands: [CaseShow.self, CaseSet.self], defaultSubcommand: CaseShow.self)
}
