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
            output.render(seals) { TrustText.sealLines(seals) }
        }
    }
}
