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

            --expect-head compares the head with one noted earlier or read over the phone
            (e.g. --expect-head "42:3f9a01bc").

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
        help: ArgumentHelp("A head noted earlier: SEQ:HASH-PREFIX (8+ hex digits).", valueName: "seq:hash"))
    var expectHead: String?

    @Flag(
        name: .customLong("strict-time"),
        help: "Exit 1 when an attempt's time has a problem (docs/FORMAT.md §8), even if the chain is intact.")
    var strictTime = false

    @OptionGroup var trustOptions: TrustOptions
    @OptionGroup var attesterOptions: AttesterOptions

    func validate() throws {
        // A mistyped head is a bad argument (64), not a sign of tampering (1).
        if let expectHead, ChainHead.expectation(expectHead) == nil {
            throw ValidationError(tr("security.verify.bad_expect_head", ["value": expectHead]))
        }
    }

    func run() throws {
        let cleanup = installCleanupHandlers()
        defer { for handler in cleanup { handler.cancel() } }
        try guarded {
            let path = file ?? storeOptions.path
            var storePath = path
            var bundleFolder: URL?
            defer { if let bundleFolder { BundleReader.discard(bundleFolder) } }
            var bundleCheck: BundleReader.Check?
            if BundleReader.isBundle(path) {
                let folder = try BundleReader().extract(path)
                bundleFolder = folder
                storePath = folder.appendingPathComponent("store.sqlite").path
                bundleCheck = BundleReader.check(folder).result
            }
            let progress = ProgressReporter.standardError(label: tr("verify.progress"), unit: .bytes, json: output.json)
            var report = try Verifier().verify(path: storePath) { done, total in
                progress.update(done: done, total: total)
            }
            progress.finish()
            report.store = path
            try TrustChecks.extend(
                &report, path: storePath, trust: try trustOptions.trust(),
                trustedKeys: try attesterOptions.trustedKeys())
            if let bundleCheck {
                report.bundle = bundleCheck.summary
                if !bundleCheck.problems.isEmpty {
                    report.problems += bundleCheck.problems
                    report.verdict = .tampered
                }
            }
            if let expectHead {
                if report.head.map({ $0.matches(expectation: expectHead) }) != true {
                    report.problems.append(
                        VerificationProblem(
                            seq: nil, code: "head_not_as_expected",
                            reason: tr("verify.head_not_expected", ["expected": expectHead])))
                    report.verdict = .tampered
                }
            }
            if output.json {
                print(JSONOutput.string(report))
            } else {
                print(render(report))
            }
            if report.verdict != .intact { throw ExitCode(.tampered) }
            if strictTime, report.hasTimeProblems() { throw ExitCode(.timeProblems) }
        }
    }

    private func render(_ r: VerificationReport) -> String {
        var lines: [String] = []
        lines.append(r.verdict == .intact ? tr("verify.intact") : tr("verify.tampered"))
        lines.append(
            tr(
                "verify.counts",
                [
                    "entries": String(r.entries), "attempts": String(r.attempts),
                    "captures": String(r.captures.checked), "bytes": ByteCount.format(r.captures.bytes),
                ]))
        if let head = r.head { lines.append(tr("common.head", ["head": head.display])) }
        if let bundle = r.bundle {
            let by = TerminalText.line(bundle.exportedBy ?? "?")
            lines.append(tr("security.verify.documents.\(bundle.documents.rawValue)", ["exported_by": by]))
        }
        if !r.withheld.isEmpty {
            lines.append(tr("verify.withheld", ["count": String(r.withheld.count)]))
            for w in r.withheld {
                lines.append(
                    "  sha256:\(TerminalText.line(w.digest))  (#\(w.seqs.map(String.init).joined(separator: ", #")))")
            }
        }
        if !r.seals.isEmpty {
            lines.append(tr("trust.verify.seals", ["count": String(r.seals.count)]))
            for s in r.seals { lines.append("  " + sealLine(s)) }
        }
        if !r.attestations.isEmpty {
            lines.append(tr("trust.verify.attestations", ["count": String(r.attestations.count)]))
            for a in r.attestations { lines.append("  " + attestationLine(a)) }
        }
        if let first = r.firstBadSeq { lines.append(tr("verify.first_bad", ["seq": String(first)])) }
        for p in r.problems {
            lines.append("  \(p.seq.map { "#\($0)" } ?? "--")  \(p.code): \(TerminalText.line(problemText(p)))")
        }
        lines += verifyTimeLines(r.time)
        return lines.joined(separator: "\n")
    }

    /// The verifier words its reasons in English, as the reference verifier does (they go to --json
    /// unchanged); in French, each known code is explained in French instead.
    private func problemText(_ p: VerificationProblem) -> String {
        let key = "verify.problem.\(p.code)"
        guard Messages.shared.language != .en, Messages.shared.catalogue[key] != nil else { return p.reason }
        return Messages.shared.text(key)
    }
}
