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
        let verification = Verification(
            path: file ?? storeOptions.path, expectedHead: try expectHead?.value(), trust: try trustOptions.trust(),
            trustedKeys: try attesterOptions.trustedKeys())
        let progress = ProgressReporter.standardError(label: tr("verify.progress"), unit: .bytes, json: output.json)
        let answer = try verification.answer(json: output.json, strictTime: strictTime) {
            progress.update(done: $0, total: $1)
        }
        progress.finish()
        print(answer.output)
        if let error = answer.error { throw error }
        if answer.exitStatus != .success { throw ExitCode(answer.exitStatus) }
    }
}
