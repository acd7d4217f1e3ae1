import ArgumentParser
import Foundation
import TemoinKit

struct CaseSet: ParsableCommand {
    static let configuration = CommandConfiguration.text("set", key: "CaseSet")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: .text("CaseSet.field")) var field: String
    @Argument(help: .text("CaseSet.value")) var value: String
    @Option(help: .text("CaseSet.reason")) var reason: String?

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path)
            let entry = try store.amendCase(field: field, value: value, reason: reason)
            let report = CaseAmendedReport(field: field, entry: entry)
            output.render(report) { report.lines }
        }
    }
}
