import ArgumentParser
import Foundation
import TemoinKit

struct ShowCommand: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("show", key: "ShowCommand")
    @OptionGroup var options: StoreOutputOptions
    @Argument(help: .text("ShowCommand.seq")) var seq: Int64
    @Option(help: .text("ShowCommand.capture", value: "role")) var capture: String?

    func execute() throws {
        let store = try Store.open(at: storeOptions.path, readOnly: true)
        // The capture's raw bytes, for a file only (TemoinKit refuses a terminal).
        if let role = capture { return try store.writeCapture(seq: seq, role: role) }
        let view = EntryView(try store.entry(seq: seq), includeBody: output.json)
        print(output.json ? JSONOutput.string(view) : view.detail)
    }
}
