import ArgumentParser
import TemoinKit

struct SealTSARemove: GuardedCommand {
    static let configuration = CommandConfiguration.text("remove", key: "SealTSARemove")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: .text("SealTSARemove.url")) var url: String

    func execute() throws {
        let removed = try Store.open(at: storeOptions.path).removeTSA(url: url)
        print(tr(removed ? "trust.tsa.removed" : "trust.tsa.not_configured", ["url": url]))
    }
}
