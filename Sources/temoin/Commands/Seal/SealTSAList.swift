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
            if output.json {
                print(JSONOutput.string(tsas))
            } else if tsas.isEmpty {
                print(tr("trust.tsa.none"))
            } else {
                for t in tsas {
                    print("\(TerminalText.line(t.url))\(t.name.map { "  (\(TerminalText.line($0)))" } ?? "")")
                }
            }
        }
    }
}
