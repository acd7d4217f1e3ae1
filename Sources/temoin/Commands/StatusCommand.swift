import ArgumentParser
import TemoinKit

struct StatusCommand: ReportingCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("status", key: "StatusCommand")
    @OptionGroup var options: StoreOutputOptions

    func report() throws -> Reported<CaseStatus> {
        let progress = ProgressReporter.standardError(label: tr("status.verifying"), unit: .bytes, json: output.json)
        let status = try CaseStatus.compute(path: storeOptions.path) { progress.update(done: $0, total: $1) }
        progress.finish()
        return Reported(status, exitStatus: status.exitStatus) { [status.text] }
    }
}
