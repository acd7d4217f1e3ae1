import ArgumentParser
import Foundation
import TemoinKit

struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: tr("help.SealCommand.abstract"),
        discussion: tr("help.SealCommand.discussion"),
        subcommands: [SealTake.self, SealList.self, SealExport.self, SealTSA.self, SealTrust.self],
        defaultSubcommand: SealTake.self)
}
