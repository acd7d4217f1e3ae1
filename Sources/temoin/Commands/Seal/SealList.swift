import ArgumentParser
import Foundation
import TemoinKit

struct SealList: ParsableCommand {
    static let configuration = CommandConfiguration.text("list", key: "SealList")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var trustOptions: TrustOptions

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path, readOnly: true)
            let seals = try store.seals(trust: try trustOptions.trust())
            if output.json {
                print(JSONOutput.string(seals))
            } else if seals.isEmpty {
                print(tr("trust.seal.none"))
            } else {
                for s in seals { print(TrustText.sealLine(s)) }
            }
        }
    }
}
