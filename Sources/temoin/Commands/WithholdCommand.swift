import ArgumentParser
import Foundation
import TemoinKit

struct WithholdCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("withhold", key: "WithholdCommand")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: .text("WithholdCommand.target")) var target: String
    @Option(help: .text("WithholdCommand.reason")) var reason: String?

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path)
            let digests = try store.withhold(target: target, reason: reason)
            output.render(["withheld": digests]) { digests.map { tr("withhold.done", ["digest": $0]) } }
        }
    }
}
