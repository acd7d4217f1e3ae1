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
            if output.json {
                print(JSONOutput.string(["withheld": digests]))
            } else {
                for d in digests { print(tr("withhold.done", ["digest": d])) }
            }
        }
    }
}
