import ArgumentParser
import Foundation
import TemoinKit

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("key", key: "KeyCommand", subcommands: [KeyNew.self])
}
