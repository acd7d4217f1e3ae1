import ArgumentParser
import Foundation
import TemoinKit

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Sum up the case in plain words, verify it, and say what to do next.",
        discussion: """
            Counts the attempts by outcome, the different days and ISO weeks they fall in (Paris time), \
            the hours of the day covered, the first and last attempt, how they were obtained, the slots \
            seen and what the prefecture published; verifies the chain; then gives advice drawn from \
            the Conseil d'État's decisions (attempts in different weeks, enough of them, at different \
            hours, urgency facts...). Exit 0, or 1 when the chain is not intact (as verify).
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try guarded {
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
}
