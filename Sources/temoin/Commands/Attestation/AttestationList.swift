import ArgumentParser
import TemoinKit

struct AttestationList: StoreCommand {
    static let configuration = CommandConfiguration.text("list", key: "AttestationList")
    @OptionGroup var options: StoreOutputOptions
    @OptionGroup var attesterOptions: AttesterOptions

    func report(_ store: Store) throws -> Reported<[AttestationSummary]> {
        let list = try store.attestations(trustedKeys: try attesterOptions.trustedKeys())
        return Reported(list) { TrustText.attestationLines(list) }
    }
}
