import Foundation

/// What `temoin verify` prints for a person, line by line, in the language of the messages. Every value
/// from the store or a bundle is made one safe line (`TerminalText.line`) before it is placed.
package enum VerifyText {
    package static func text(_ r: VerificationReport) -> String { lines(r).joined(separator: "\n") }

    package static func lines(_ r: VerificationReport) -> [String] {
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
        if let wal = r.wal { lines.append(walLine(wal, store: r.store)) }
        if !r.withheld.isEmpty {
            lines.append(tr("verify.withheld", ["count": String(r.withheld.count)]))
            for w in r.withheld {
                lines.append(
                    "  sha256:\(TerminalText.line(w.digest))  (#\(w.seqs.map(String.init).joined(separator: ", #")))")
            }
        }
        if !r.seals.isEmpty {
            lines.append(tr("trust.verify.seals", ["count": String(r.seals.count)]))
            for s in r.seals { lines.append("  " + TrustText.sealLine(s)) }
        }
        if !r.attestations.isEmpty {
            lines.append(tr("trust.verify.attestations", ["count": String(r.attestations.count)]))
            for a in r.attestations { lines.append("  " + TrustText.attestationLine(a)) }
        }
        if let e = r.expectedHead { lines.append(expectedLine(e)) }
        if let first = r.firstBadSeq { lines.append(tr("verify.first_bad", ["seq": String(first)])) }
        for p in r.problems {
            lines.append("  \(p.seq.map { "#\($0)" } ?? "--")  \(p.code): \(TerminalText.line(problemText(p)))")
        }
        lines += timeLines(r.time)
        // A consistent chain is not yet a chain nobody rebuilt: say what closes that gap.
        if r.verdict == .intact, r.expectedHead == nil, let head = r.head {
            lines.append(
                tr("verify.compare_head", ["expect": "\(head.seq):\(head.hash.prefix(8))"]))
        }
        return lines
    }

    /// The verifier words its reasons in English, as the reference verifier does (they go to --json
    /// unchanged); in another language, every code is explained in that language, with what it is
    /// about.
    package static func problemText(_ p: VerificationProblem) -> String {
        guard Messages.shared.language != .en else { return p.reason }
        return p.code.explanation + (p.subject.map { " (\(shortSubject($0)))" } ?? "")
    }

    private static func shortSubject(_ s: String) -> String {
        s.count == 64 && s.allSatisfy(\.isHexDigit) ? "sha256:\(s.prefix(12))…" : s
    }

    package static func expectedLine(_ e: ExpectedHeadCheck) -> String {
        let expected = "\(e.seq):\(e.hashPrefix)"
        switch e.matches {
        case nil: return tr("verify.expected.unchecked", ["expected": expected])
        case false?: return tr("verify.expected.differs", ["expected": expected])
        case true?:
            return e.entriesAfter == 0
                ? tr("verify.expected.matches", ["expected": expected])
                : tr("verify.expected.matches_before", ["expected": expected, "count": String(e.entriesAfter)])
        }
    }

    package static func walLine(_ w: WALNotice, store: String) -> String {
        if let alone = w.entriesInMainFile {
            return tr(
                "verify.wal.entries",
                ["wal": TerminalText.line(store + "-wal"), "from": String(alone + 1), "to": String(w.entriesWithWAL)])
        }
        return tr("verify.wal.unknown", ["wal": TerminalText.line(store + "-wal")])
    }

    /// What `verify` prints about times (docs/FORMAT.md §8): the summary, then every time problem with
    /// its seq, code and figures, in the person's language.
    package static func timeLines(_ time: TimeSummary?) -> [String] {
        guard let time else { return [] }
        var lines = [tr("verify.time", ["summary": time.sentence])]
        for p in time.problems {
            lines.append("  #\(p.seq)  \(p.code.rawValue): \(p.text())")
        }
        if !time.problems.isEmpty { lines.append(tr("verify.time.not_verdict")) }
        return lines
    }
}
