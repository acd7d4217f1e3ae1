import ArgumentParser
import Foundation
import TemoinKit

struct StepList: ParsableCommand {
    static let configuration = CommandConfiguration.text("list", key: "StepList")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path, readOnly: true)
            let ledger = try StepLedger(store: store)
            if output.json {
                print(JSONOutput.string(ledger.records))
                return
            }
            // One line each, whatever a summary holds.
            for line in StepText.list(ledger) { print(TerminalText.line(line)) }
            if let head = try store.head() { print(tr("common.head", ["head": head.display])) }
        }
    }
}
