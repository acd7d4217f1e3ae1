import ArgumentParser
import Foundation
import TemoinKit

struct SealTSAList: ParsableCommand {
    static let configuration = CommandConfiguration.text("list", key: "SealTSAList")
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try guarded {
            let tsas = try Store.open(at: storeOptions.path, readOnly: true).tsas()
            output.render(tsas) { TrustText.tsaLines(tsas) }
        }
    }
}
