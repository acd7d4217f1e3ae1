import Foundation

/// The words `step list`, `step add` and `show` print about steps and e-mails. Every sentence says
/// only what the entry holds: a declared date is called declared, an unchecked signature unchecked.
package enum StepText {
    /// "Registered letter", "E-mail"...
    package static func kind(_ k: StepKind) -> String { tr("step.kind.\(k.rawValue)") }

    package static func followUpKind(_ k: FollowUpKind) -> String { tr("step.followup.\(k.rawValue)") }

    /// "2026-11-03 (declared)" or "2026-11-10 09:12 (the e-mail's Date field)".
    package static func date(_ d: StepDate, _ basis: StepDateBasis) -> String {
        "\(d.display) (\(tr("step.date_basis.\(basis.rawValue)")))"
    }

    /// What `temoin step list` prints: each step on one line, whatever its summary holds, then the
    /// store's head.
    package static func listLines(_ ledger: StepLedger, store: Store) throws -> [String] {
        list(ledger).map(TerminalText.line) + [try store.head()?.line].compactMap { $0 }
    }

    /// The lines of `temoin step list`: each step, then what followed it, indented.
    package static func list(_ ledger: StepLedger) -> [String] {
        guard !ledger.records.isEmpty else { return [tr("step.list.none")] }
        var lines: [String] = []
        for r in ledger.records {
            lines.append(contentsOf: record(r))
            lines.append("")
        }
        return lines
    }

    /// One step and its follow-ups, as in `step list`.
    package static func record(_ r: StepRecord) -> [String] {
        var lines: [String] = []
        let to = r.to.map { "  → \($0)" } ?? ""
        lines.append("#\(r.seq)  \(date(r.date, r.dateBasis))  \(kind(r.kind))\(to)")
        lines.append("       « \(r.summary) »")
        if let t = r.trackingNumber { lines.append("       \(tr("step.tracking", ["number": t]))") }
        if r.kind == .registeredLetter {
            if let received = r.followUps.first(where: { $0.kind == .receiptReturned }) {
                lines.append(
                    "       \(tr("step.received_on", ["date": received.date.display, "seq": String(received.seq)]))")
            } else {
                lines.append("       \(tr("step.no_receipt_yet", ["seq": String(r.seq)]))")
            }
        }
        for p in r.proofs { lines.append("       \(proof(p))") }
        for e in r.emails { lines.append(contentsOf: email(e, seq: r.seq, short: true).map { "       " + $0 }) }
        for f in r.followUps {
            let who = f.from.map { "  ← \($0)" } ?? ""
            lines.append("   #\(f.seq)  \(date(f.date, f.dateBasis))  \(followUpKind(f.kind))\(who)")
            if let s = f.summary { lines.append("          « \(s) »") }
            for p in f.proofs { lines.append("          \(proof(p))") }
            for e in f.emails {
                lines.append(contentsOf: email(e, seq: f.seq, short: true).map { "          " + $0 })
            }
        }
        if !r.checks.isEmpty {
            lines.append(
                "       \(tr("step.checked_again", ["seqs": r.checks.map { "#\($0)" }.joined(separator: ", ")]))")
        }
        for d in r.doubts { lines.append("       ⚠ \(d.text)") }
        return lines
    }

    /// "document  lettre.pdf  application/pdf  120.3 KB  sha256:5d41…"
    package static func proof(_ p: StepProof) -> String {
        let name = p.name ?? "-"
        let value = "\(name)  \(p.mediaType ?? "")  \(ByteCount.format(p.size))  sha256:\(p.digest.prefix(16))"
        return tr("step.labelled", ["label": tr("step.role.\(p.role.rawValue)"), "value": value])
    }

    /// An e-mail's header fields and what its DKIM signatures prove. `short`: one line for the verdict.
    package static func email(_ e: EmailFacts, seq: Int64, short: Bool = false) -> [String] {
        var lines: [String] = []
        func add(_ key: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            lines.append(tr("step.labelled", ["label": tr(key), "value": value]))
        }
        if short {
            add("email.subject", e.subject)
            add("email.from", e.from)
            lines.append(verdictLine(e, seq: seq))
            return lines
        }
        add("email.from", e.from)
        add("email.to", e.to)
        add("email.cc", e.cc)
        add("email.subject", e.subject)
        add("email.date", e.date.map { d in e.dateUTC.map { "\(d)  (\($0) UTC)" } ?? d })
        add("email.message_id", e.messageID)
        lines.append(verdictLine(e, seq: seq))
        for s in e.dkim { lines.append("  " + signatureLine(s)) }
        lines.append(contentsOf: proves(e, seq: seq))
        return lines
    }

    /// "DKIM: valid — signed by val-de-marne.gouv.fr" and the like.
    package static func verdictLine(_ e: EmailFacts, seq: Int64) -> String {
        switch e.verdict {
        case .pass:
            let domains = Set(e.dkim.filter { $0.result == .pass }.compactMap(\.domain)).sorted()
            return tr("dkim.verdict.pass", ["domains": domains.joined(separator: ", ")])
        case .none: return tr("dkim.verdict.none")
        case .notChecked: return tr("dkim.verdict.not_checked", ["seq": String(seq)])
        case .fail: return tr("dkim.verdict.fail")
        case .permerror: return tr("dkim.verdict.permerror")
        }
    }

    /// One signature: domain, selector, algorithm, verdict and reason, where the key came from; in
    /// `language` (the dossier's), else the current one.
    package static func signatureLine(_ s: DKIMSignatureCheck, language: Language? = nil) -> String {
        let tr = { (key: String, args: [String: String]) in Messages.shared.text(key, args, language: language) }
        var parts = ["d=\(s.domain ?? "?")", "s=\(s.selector ?? "?")", s.algorithm ?? "?"]
        if let c = s.canonicalization { parts.append(c) }
        var line = parts.joined(separator: " ") + "  " + tr("dkim.result.\(s.result.rawValue)", [:])
        if let t = s.signedAt.flatMap(TimeFormat.parseUTC) {
            line += ", " + tr("dkim.signed_at", ["when": TimeFormat.parisWallTime(t)])
        }
        if let r = s.reason { line += " — " + tr("dkim.reason.\(r.rawValue)", [:]) }
        if let k = s.key, k.status == .found, let at = k.fetchedAt.flatMap(TimeFormat.parseUTC) {
            line += " " + tr("dkim.key_fetched", ["query": k.query, "when": TimeFormat.parisWallTime(at)])
        }
        return line
    }

    /// What a valid signature proves and does not prove, for this message's signature exactly (the
    /// words of docs/FORMAT.md §4); in `language` (the dossier's), else the current one.
    package static func proves(_ e: EmailFacts, seq: Int64, language: Language? = nil) -> [String] {
        let tr = { (key: String, args: [String: String]) in Messages.shared.text(key, args, language: language) }
        guard let s = e.passingAligned ?? e.passing, let domain = s.domain else {
            if e.verdict == .none { return [tr("dkim.proves.unsigned", [:])] }
            return []
        }
        var lines: [String] = []
        // The fields a person reads, written as mail programs write them, in the order of h=.
        let names = [
            "from": "From", "to": "To", "cc": "Cc", "subject": "Subject", "date": "Date", "message-id": "Message-ID",
        ]
        var headers: [String] = []
        for h in s.signedHeaders ?? [] {
            if let name = names[h], !headers.contains(name) { headers.append(name) }
        }
        lines.append(tr("dkim.proves.pass", ["domain": domain, "headers": headers.joined(separator: ", ")]))
        if s.coversDate, let date = e.date {
            lines.append(tr("dkim.proves.date", ["domain": domain, "date": date]))
        } else {
            lines.append(tr("dkim.proves.date_unsigned", [:]))
        }
        if let l = s.bodyLength { lines.append(tr("dkim.proves.body_length", ["bytes": String(l)])) }
        if e.passingAligned == nil {
            lines.append(tr("dkim.proves.not_aligned", ["domain": domain, "from": e.fromDomain ?? "?"]))
        }
        if let k = s.key, let at = k.fetchedAt.flatMap(TimeFormat.parseUTC) {
            lines.append(tr("dkim.proves.key", ["query": k.query, "when": TimeFormat.parisWallTime(at)]))
        }
        return lines
    }
}
