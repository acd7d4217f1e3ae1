import ArgumentParser
import TemoinKit

struct StatusCommand: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("status", key: "StatusCommand")
    @OptionGroup var options: StoreOutputOptions

    func execute() throws {
        let progress = ProgressReporter.standardError(
            label: tr("status.verifying"), unit: .bytes, json: output.json)
        let status = try CaseStatus.compute(path: storeOptions.path) { done, total in
            progress.update(done: done, total: total)
        }
        progress.finish()
        print(output.json ? JSONOutput.string(status) : status.text)
        if status.verification.verdict != .intact { throw ExitCode(.tampered) }
    }
}
