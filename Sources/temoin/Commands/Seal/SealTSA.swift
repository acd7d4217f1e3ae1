import ArgumentParser
import Foundation
import TemoinKit

struct SealTSA: ParsableCommand {
    static let configuration = CommandConfiguration.text(
        "tsa", key: "SealTSA", subcommands: [SealTSAList.self, SealTSAAdd.self, SealTSARemove.self],
        defaultSubcommand: SealTSAList.self)
}
