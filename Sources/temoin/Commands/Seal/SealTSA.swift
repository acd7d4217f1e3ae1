import ArgumentParser
import Foundation
import TemoinKit

struct SealTSA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsa", abstract: "The time-stamp authorities this store uses: list, add, remove.",
        subcommands: [SealTSAList.self, SealTSAAdd.self, SealTSARemove.self], defaultSubcommand: SealTSAList.self)
}
