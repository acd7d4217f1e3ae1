import ArgumentParser
import TemoinKit

struct SealList: StoreCommand {
    static let configuration = CommandConfiguration.text("list", key: "SealList")
    @OptionGroup var options: StoreOutputOptions
    @OptionGroup var trustOptions: TrustOptions

    func report(_ store: Store) throws -> Reported<[SealSummary]> {
        let seals = try store.seals(trust: try trustOptions.trust())
        return Reported(seals) { TrustText.sealLines(seals) }
    }
}
