import ArgumentParser
import Foundation
import TemoinKit

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            "Check the whole chain, every capture and every attempt's time. Exit 0 intact, 1 tampered, 2 unreadable.",
        discussion: """
            Recomputes every entry hash, every link between entries and every capture digest, as
            docs/FORMAT.md describes. The same check, written independently in Python's standard
            library: python3 docs/verify_reference.py STORE.

            An intact chain can still have been rebuilt whole by whoever held the file: compare its
            head with one you obtained independently (read over the phone, a seal or an attestation you
            hold) with --expect-head (e.g. --expect-head "42:3f9a01bc").

            Seals (RFC 3161) and volunteers' attestations kept with the store are checked too: each
            signature, and that the head it names is the chain's at that seq. Whether a TSA is trusted
            depends on the certificates you trust (--tsa-cert, or `temoin seal trust --add`); a
            volunteer's key, on --attester-key. A bundle (temoin export --out FILE.zip) is verified
            the same way, after a safe extraction.

            Each attempt's time is checked against the prefecture's server clock (its Date headers), the
            order of the chain, the case's opening and the seals (docs/FORMAT.md §8): corroborated,
            uncorroborated (and why) or contradicted, with the figures. Time problems are listed but do
            not make the chain tampered: the exit code stays 0 for an intact chain, unless
            --strict-time, which exits 1 when there is any.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(
        help: ArgumentHelp(
            "The store to verify (default: --store, $TEMOIN_STORE, ./temoin.sqlite).", valueName: "store"))
    var file: String?

    @Option(
        name: .customLong("expect-head"),
        help: ArgumentHelp(
            "A head obtained independently: SEQ:HASH-PREFIX (8 to 64 hex digits).", valueName: "seq:hash"))
    var expectHead: String?

    @Flag(
        name: .customLong("strict-time"),
        help: "Exit 1 when an attempt's time has a problem (docs/FORMAT.md §8), even if the chain is intact.")
    var strictTime = false

    @OptionGroup var trustOptions: TrustOptions
    @OptionGroup var attesterOptions: AttesterOptions

    /// `--expect-head` as docs/FORMAT.md §6.8 reads it; malformed is a bad argument (exit 64), said in
    /// the person's language, never a finding.
    var expectedHead: ExpectedHead? { expectHead.flatMap { ExpectedHead(parsing: $0) } }

    func validate() throws {
        if let expectHead, ExpectedHead(parsing: expectHead) == nil {
            throw ValidationError(tr("security.verify.bad_expect_head", ["value": TerminalText.line(expectHead)]))
        }
    }

    func run() throws {
        let cleanup = installCleanupHandlers()  // a bundle's extracted folder never stays behind
        defer { for handler in cleanup { handler.cancel() } }
        try guarded {
            let path = file ?? storeOptions.path
            let verification = Verification(
                path: path, expectedHead: expectedHead, trust: try trustOptions.trust(),
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
            print(output.json ? JSONOutput.string(report) : VerifyRendering.text(report))
            if report.verdict != .intact { throw ExitCode(.tampered) }
            if strictTime, report.hasTimeProblems() { throw ExitCode(.timeProblems) }
        }
    }
}
