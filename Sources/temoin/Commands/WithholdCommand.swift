import ArgumentParser
import TemoinKit

struct WithholdCommand: StoreCommand {
    static let configuration = CommandConfiguration.text("withhold", key: "WithholdCommand")
    static let records = true
    @OptionGroup var options: StoreOutputOptions
    @Argument(help: .text("WithholdCommand.target")) var target: String
    @Option(help: .text("WithholdCommand.reason")) var reason: String?

    func report(_ store: Store) throws -> Reported<[String: [String]]> {
        let digests = try store.withhold(target: target, reason: reason)
        return Reported(["withheld": digests]) { digests.map { tr("withhold.done", ["digest": $0]) } }
    }
}
