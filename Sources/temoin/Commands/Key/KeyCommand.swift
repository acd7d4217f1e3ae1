import ArgumentParser
import Foundation
import TemoinKit

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: tr("help.KeyCommand.abstract"),
        subcommands: [KeyNew.self])
}
