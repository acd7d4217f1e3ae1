import ArgumentParser
import Foundation
import TemoinKit

struct AttestationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attestation", abstract: tr("help.AttestationCommand.abstract"),
        subcommands: [AttestationAdd.self, AttestationList.self], defaultSubcommand: AttestationList.self)
}
