import ArgumentParser
import TemoinKit

/// `--attester-key`: volunteers' keys the person verifying recognises.
struct AttesterOptions: ParsableArguments {
    @Option(name: .customLong("attester-key"), help: .text("AttesterOptions.attesterKeys", value: "file.pub"))
    var attesterKeys: [String] = []

    func trustedKeys() throws -> [String] { try attesterKeys.map(VolunteerKey.fingerprint(publicKeyFile:)) }
}
