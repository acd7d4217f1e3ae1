import ArgumentParser
import Foundation
import TemoinKit

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: tr("help.CaseCommand.abstract"),
        subcommands: [CaseShow.self, CaseSet.self],
        defaultSubcommand: CaseShow.self)
}
