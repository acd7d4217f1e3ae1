import ArgumentParser
import Foundation
import TemoinKit

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "A volunteer's signing key (Ed25519) for attestations.",
        subcommands: [KeyNew.self])
}
