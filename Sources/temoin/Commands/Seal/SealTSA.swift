import ArgumentParser
import Foundation
import TemoinKit

struct SealTSA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsa", abstract: tr("help.SealTSA.abstract"),
        subcommands: [SealTSAList.self, SealTSAAdd.self, SealTSARemove.self], defaultSubcommand: SealTSAList.self)
}
