import ArgumentParser
import TemoinKit

struct StepList: StoreCommand {
    static let configuration = CommandConfiguration.text("list", key: "StepList")
    @OptionGroup var options: StoreOutputOptions

    func report(_ store: Store) throws -> Reported<[StepRecord]> {
        let ledger = try StepLedger(store: store)
        // One line each, whatever a summary holds.
        return Reported(ledger.records) {
            StepText.list(ledger).map(TerminalText.line) + [try store.head()?.line].compactMap { $0 }
        }
    }
}
