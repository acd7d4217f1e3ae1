import ArgumentParser
import TemoinKit

struct CaseSet: StoreCommand {
    static let configuration = CommandConfiguration.text("set", key: "CaseSet")
    static let records = true
    @OptionGroup var options: StoreOutputOptions
    @Argument(help: .text("CaseSet.field")) var field: String
    @Argument(help: .text("CaseSet.value")) var value: String
    @Option(help: .text("CaseSet.reason")) var reason: String?

    func report(_ store: Store) throws -> Reported<CaseAmendedReport> {
        let report = try CaseAmendedReport.amend(store, field: field, value: value, reason: reason)
        return Reported(report) { report.lines }
    }
}
