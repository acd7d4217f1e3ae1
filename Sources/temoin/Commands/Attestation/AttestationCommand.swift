import ArgumentParser

struct AttestationCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text(
        "attestation", key: "AttestationCommand", subcommands: [AttestationAdd.self, AttestationList.self],
        defaultSubcommand: AttestationList.self)
}
