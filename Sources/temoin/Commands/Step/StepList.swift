import ArgumentParser
import TemoinKit

struct StepList: StoreCommand {
    static let configuration = CommandConfiguration.text("list", key: "StepList")
    @OptionGroup var options: StoreOutputOptions

    func report(_ store: Store) throws -> Reported<[StepRecord]> {
        let ledger = try StepLedger(store: store)
        return Reported(ledger.records) { try StepText.listLines(ledger, store: store) }
    }
}
