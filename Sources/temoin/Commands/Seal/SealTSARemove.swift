import ArgumentParser
import Foundation
import TemoinKit

struct SealTSARemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Stop using a TSA (its seals stay).")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The TSA's URL.") var url: String

    func run() throws {
        try guarded {
            let removed = try Store.open(at: storeOptions.path).removeTSA(url: url)
            print(tr(removed ? "trust.tsa.removed" : "trust.tsa.not_configured", ["url": url]))
        }
    }
}
