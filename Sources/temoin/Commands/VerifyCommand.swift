import ArgumentParser
import TemoinKit

struct VerifyCommand: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("verify", key: "VerifyCommand")
    static let cleansUp = true  // a bundle's extracted folder never stays behind
    @OptionGroup var options: StoreOutputOptions
    @Argument(help: .text("VerifyCommand.file", value: "store")) var file: String?
    @Option(name: .customLong("expect-head"), help: .text("VerifyCommand.expectHead", value: "seq:hash"))
    var expectHead: ExpectedHeadText?
    @Flag(name: .customLong("strict-time"), help: .text("VerifyCommand.strictTime")) var strictTime = false
    @OptionGroup var trustOptions: TrustOptions
    @OptionGroup var attesterOptions: AttesterOptions

    /// `--expect-head` as docs/FORMAT.md §6.8 reads it; malformed is a bad argument (exit 64), said in
    /// the person's language, never a finding.
    func validate() throws { try validating { _ = try expectHead?.value() } }

    func execute() throws {
        let path = file ?? storeOptions.path
        let verification = Verification(
            path: path, expectedHead: try expectHead?.value(), trust: try trustOptions.trust(),
            trustedKeys: try attesterOptions.trustedKeys())
        let progress = ProgressReporter.standardError(label: tr("verify.progress"), unit: .bytes, json: output.json)
        let report: VerificationReport
        do {
            report = try verification.run { done, total in progress.update(done: done, total: total) }
        } catch let error as TemoinError where output.json && error.exitStatus == .storeUnreadable {
            // docs/FORMAT.md §6: `--json` always prints a report, also for a file that is no store.
            print(JSONOutput.string(UnreadableReport(store: path, reason: error.description)))
            throw error
        }
        progress.finish()
        print(output.json ? JSONOutput.string(report) : VerifyText.text(report))
        if report.verdict != .intact { throw ExitCode(.tampered) }
        if strictTime, report.hasTimeProblems() { throw ExitCode(.timeProblems) }
    }
}
