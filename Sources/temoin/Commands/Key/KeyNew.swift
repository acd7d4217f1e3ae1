import ArgumentParser
import TemoinKit

struct KeyNew: ReportingCommand {
    static let configuration = CommandConfiguration.text("new", key: "KeyNew")
    @OptionGroup var output: OutputOptions
    @Option(help: .text("KeyNew.out", value: "file")) var out: String = "temoin-volunteer.key"

    func report() throws -> Reported<KeyCreatedReport> {
        let report = try KeyCreatedReport.create(at: out)
        return Reported(report) { report.lines }
    }
}
