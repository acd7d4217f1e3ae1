import ArgumentParser
import Foundation
import TemoinKit

struct SealTSARemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: tr("help.SealTSARemove.abstract"))
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: .text("SealTSARemove.url")) var url: String

    func run() throws {
        try guarded {
            let removed = try Store.open(at: storeOptions.path).removeTSA(url: url)
            print(tr(removed ? "trust.tsa.removed" : "trust.tsa.not_configured", ["url": url]))
        }
    }
}
