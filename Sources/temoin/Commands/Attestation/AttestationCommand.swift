import ArgumentParser
import Foundation
import TemoinKit

struct AttestationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attestation", abstract: "Attestations signed by volunteers: attach them, list them.",
        subcommands: [AttestationAdd.self, AttestationList.self], defaultSubcommand: AttestationList.self)
}
