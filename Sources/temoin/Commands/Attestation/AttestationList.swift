import ArgumentParser
import Foundation
import TemoinKit

struct AttestationList: ParsableCommand {
    static let configuration = CommandConfiguration.text("list", key: "AttestationList")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var attesterOptions: AttesterOptions

    func run() throws {
        try guarded {
            let list = try Store.open(at: storeOptions.path, readOnly: true).attestations(
                trustedKeys: try attesterOptions.trustedKeys())
            output.render(list) { TrustText.attestationLines(list) }
        }
    }
}
