import ArgumentParser
import TemoinKit

struct SealTSAList: StoreCommand {
    static let configuration = CommandConfiguration.text("list", key: "SealTSAList")
    @OptionGroup var options: StoreOutputOptions

    func report(_ store: Store) throws -> Reported<[TSAConfig]> {
        let tsas = try store.tsas()
        return Reported(tsas) { TrustText.tsaLines(tsas) }
    }
}
