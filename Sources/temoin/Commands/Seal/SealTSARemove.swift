import ArgumentParser
import TemoinKit

struct SealTSARemove: ParsableCommand {
    static let configuration = CommandConfiguration.text("remove", key: "SealTSARemove")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: .text("SealTSARemove.url")) var url: String

    func run() throws {
        try guarded {
            let removed = try Store.open(at: storeOptions.path).removeTSA(url: url)
            print(tr(removed ? "trust.tsa.removed" : "trust.tsa.not_configured", ["url": url]))
        }
    }
}
