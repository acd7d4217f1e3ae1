import Foundation

/// An entry as `log` and `show` present it, in text and JSON.
package struct EntryView: Codable, Sendable {
    package let seq: Int64
    package let type: String
    package let hash: String
    package let recordedAt: String?
    package let observedAt: String?
    package let observedAtParis: String?
    package let timeBasis: String?
    package let provenance: String?
    package let url: String?
    package let outcome: String?
    /// The page's own words (shown between « »).
    package let message: String?
    /// temoin's own description (never quoted); for entries written before it had a member of its
    /// own, the `message` that was temoin's (see `EntryBody.messageIsPageText`).
    package let description: String?
    package let visibility: VisibilityRecord?
    package let setAside: [SetAsideMarker]?
    package let rule: String?
    package let title: String?
    package let facts: PageFacts?
    package let source: ImportSource?
    package let caseFields: CaseFields?
    package let amendment: Amendment?
    package let note: String?
    /// Note entries: the entry it is about, its kind, its text, when what it tells happened.
    package let about: Int64?
    package let kind: String?
    package let text: String?
    package let occurredAt: String?
    package let exchanges: [HTTPExchange]?
    /// The captures the entry references (empty when it references none).
    package let captures: [CaptureRef]
    package let environment: EnvironmentFacts?
    package let steps: [String]?
    /// Witnessed attempts: the browser, how the attempt ended, the navigation history.
    package let browser: BrowserFacts?
    /// Steps: the step, what followed it, or a later check of its e-mails' signatures.
    package let step: StepFacts?
    package let followUp: FollowUpFacts?
    package let check: StepCheckFacts?
    /// The entry's exact stored bytes, only in `show --json`.
    package let body: String?

    enum CodingKeys: String, CodingKey {
        case seq, type, hash, provenance, url, outcome, message, rule, title, captures, facts, source, amendment, note,
            body, description, visibility, about, kind, text
        case setAside = "set_aside"
        case occurredAt = "occurred_at"
        case recordedAt = "recorded_at"
        case observedAt = "observed_at"
        case observedAtParis = "observed_at_paris"
        case timeBasis = "time_basis"
        case caseFields = "case"
        case exchanges, environment, steps, browser, step, check
        case followUp = "followup"
    }

    package init(_ entry: StoredEntry, includeBody: Bool = false) {
        seq = entry.seq
        hash = entry.hash
        let b = entry.body
        type = b?.type.rawValue ?? "unreadable"
        recordedAt = b?.recordedAt
        observedAt = b?.observedAt
        observedAtParis = b?.observedAt.flatMap(TimeFormat.parseUTC).map(TimeFormat.parisWallTime)
        timeBasis = b?.timeBasis?.rawValue
        provenance = b?.provenance?.rawValue
        url = b?.url
        outcome = b?.outcome?.rawValue
        if let b, b.message != nil, !b.messageIsPageText {
            message = nil
            description = b.description ?? b.message
        } else {
            message = b?.message
            description = b?.description
        }
        visibility = b?.visibility
        setAside = b?.setAside
        rule = b?.rule
        title = b?.title
        captures = b?.captures ?? []
        facts = b?.facts
        source = b?.source
        caseFields = b?.caseFields
        amendment = b?.amendment
        note = b?.note
        about = b?.about
        kind = b?.kind?.rawValue
        text = b?.text
        occurredAt = b?.occurredAt
        exchanges = b?.exchanges
        environment = b?.environment
        steps = b?.steps
        browser = b?.browser
        step = b?.step
        followUp = b?.followUp
        check = b?.check
        body = includeBody ? String(decoding: entry.bodyBytes, as: UTF8.self) : nil
    }

    /// The second line of `temoin log` for an attempt: UTC time, URL, page digest and entry hash,
    /// shortened to 16 hex digits (`show` and `--json` give them whole).
    package var logDetailLine: String? {
        guard type == EntryType.attempt.rawValue else { return nil }
        let page = captures.first.map { "sha256:\($0.digest.prefix(16))" } ?? "-"
        return
            "       \(TerminalText.line(observedAt ?? "?"))  \(TerminalText.line(url ?? "-"))  \(tr("log.page")) \(TerminalText.line(page))  \(tr("log.entry")) \(TerminalText.line(String(hash.prefix(16))))"
    }

    /// One line of `temoin log`.
    package var logLine: String {
        let seqText = String(seq).leftPadded(to: 5)
        switch type {
        case EntryType.attempt.rawValue:
            let when = observedAtParis ?? "?"
            let provenanceText = tr("provenance.\(provenance ?? "?")")
            let outcomeText = tr("outcome.\(outcome ?? "?")")
            var words =
                message.map { $0.replacingOccurrences(of: "\n", with: " ") }
                ?? description.map { tr("log.temoin_words", ["text": $0]) } ?? ""
            if visibility?.uncertain != nil { words = tr("log.uncertain_mark") + " " + words }
            if outcome == Outcome.unexpected.rawValue, let first = setAside?.first {
                words +=
                    (words.isEmpty ? "" : " ")
                    + tr("log.set_aside_mark", ["reason": tr("set_aside.reason.\(first.reason.rawValue)")])
            }
            let msg = TerminalText.line(String(words.prefix(70)))
            return
                "\(seqText)  \(when.rightPadded(to: 24))  \(provenanceText.rightPadded(to: 10))  \(outcomeText.rightPadded(to: 18))  \(msg)"
        case EntryType.caseOpened.rawValue:
            return
                "\(seqText)  \(parisRecorded.rightPadded(to: 24))  \(tr("log.case_opened", ["applicant": TerminalText.line(caseFields?.applicant ?? "")]))"
        case EntryType.caseAmended.rawValue:
            return
                "\(seqText)  \(parisRecorded.rightPadded(to: 24))  \(tr("log.case_amended", ["field": TerminalText.line(amendment?.field ?? ""), "new": TerminalText.line(amendment?.new ?? "")]))"
        case EntryType.note.rawValue:
            let line = (text ?? "").split(whereSeparator: \.isNewline).joined(separator: " ").prefix(80)
            return
                "\(seqText)  \(parisRecorded.rightPadded(to: 24))  \(tr("log.note", ["about": about.map(String.init) ?? "?", "text": TerminalText.line(String(line))]))"
        case EntryType.step.rawValue, EntryType.stepFollowUp.rawValue, EntryType.stepCheck.rawValue:
            return "\(seqText)  \(parisRecorded.rightPadded(to: 24))  \(TerminalText.line(stepLogText))"
        default:
            return "\(seqText)  \(tr("log.unreadable"))"
        }
    }

    /// The words of a step entry's line in `temoin log` (after the time it was recorded).
    private var stepLogText: String {
        if let s = step {
            return tr(
                "log.step",
                [
                    "kind": StepText.kind(s.kind), "date": StepText.date(s.date, s.dateBasis),
                    "to": s.to.map { " → \($0)" } ?? "",
                ])
        }
        if let f = followUp {
            return tr(
                "log.step_followup",
                ["kind": StepText.followUpKind(f.kind), "of": String(f.of), "date": StepText.date(f.date, f.dateBasis)])
        }
        if let c = check {
            let verdicts = c.emails.map { StepText.verdictLine($0, seq: c.of) }.joined(separator: "; ")
            return tr("log.step_check", ["of": String(c.of), "verdict": verdicts])
        }
        return tr("log.unreadable")
    }

    private var parisRecorded: String {
        recordedAt.flatMap(TimeFormat.parseUTC).map(TimeFormat.parisWallTime) ?? "?"
    }

    /// The full text of `temoin show`.
    package var detail: String {
        var lines: [String] = []
        // Every value comes from the store: one line each, shown and never obeyed (TerminalText).
        func add(_ key: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            let label = tr(key).rightPadded(to: 22)
            let shown =
                key == "case.facts"
                ? TerminalText.block(value, continuation: String(repeating: " ", count: label.count + 1))
                : TerminalText.line(value)
            lines.append("\(label) \(shown)")
        }
        add("field.seq", String(seq))
        add("field.type", tr("type.\(type)"))
        if let o = observedAt {
            add("field.observed_at", "\(observedAtParis ?? "")  (\(o) UTC)")
            add("field.time_basis", timeBasis.map { tr("time_basis.\($0)") })
        }
        add(
            "field.recorded_at",
            recordedAt.flatMap(TimeFormat.parseUTC).map { "\(TimeFormat.parisWallTime($0))  (\(recordedAt!) UTC)" })
        add("field.provenance", provenance.map { tr("provenance.\($0)") })
        add("field.url", url)
        add("field.outcome", outcome.map { tr("outcome.\($0)") })
        if let message, !message.isEmpty {
            // One line of the page per line, each made safe by VisibilityText.quoted.
            lines.append(
                "\(tr("field.message").rightPadded(to: 22)) "
                    + VisibilityText.quoted(message, indent: "").replacingOccurrences(
                        of: "\n", with: "\n" + String(repeating: " ", count: 23)))
        }
        add("field.description", description)
        add("field.visibility", visibility.map(VisibilityText.basisLine))
        for marker in setAside ?? [] { add("field.set_aside", VisibilityText.setAsideLine(marker)) }
        add("field.rule", rule)
        add("field.title", title)
        if let f = facts {
            add("field.last_publication", f.lastPublication?.text)
            add("field.next_publication", f.nextPublication?.text)
            add("field.slots_listed", f.slotsListed.map(String.init))
        }
        if let s = source {
            add("field.source_file", s.fileName)
            add("field.url_source", tr("url_source.\(s.urlSource)"))
            if let declared = s.declaredURL {
                add("field.declared_url", "\(declared)  (\(tr("url_source.\(s.declaredURLSource ?? "?")")))")
            }
            add("field.profile_basis", s.profileBasis.map { tr("profile_basis.\($0.rawValue)") })
            add("field.charset", s.charset.map { "\($0) (\(s.charsetSource ?? ""))" })
        }
        for (i, e) in (exchanges ?? []).enumerated() {
            var line = "\(i + 1). \(e.method) \(e.url)  →  \(e.status.map(String.init) ?? "-")"
            if let ip = e.remoteIP { line += "  \(ip)\(e.remotePort.map { ":\($0)" } ?? "")" }
            if let v = e.httpVersion { line += "  \(v)" }
            if let t = e.tls {
                line += "  \(t.version ?? "TLS")\(t.verified ? "" : " (\(tr("show.tls_unverified")))")"
                if let c = t.certificates.first { line += "  \(c.subject)  sha256:\(c.sha256?.prefix(16) ?? "")" }
            }
            if let ms = e.timings?.totalMs { line += "  \(ms) ms" }
            if let f = e.failure { line += "  [\(f.kind): \(f.message)]" }
            if e.bodyTruncated == true { line += "  [\(tr("show.truncated"))]" }
            add("field.exchange", line)
        }
        if let env = environment {
            add("field.tool", env.tool)
            add("field.os", env.os)
            add("field.proxy", env.proxy)
            add("field.clock_offset", env.clockOffsetMs.map { tr("show.clock_offset", ["ms": String($0)]) })
        }
        if let browser {
            add(
                "field.browser",
                tr("show.browser", ["product": browser.product, "ended_by": tr("show.ended_by.\(browser.endedBy)")]))
            for step in browser.navigation { add("field.navigation", step.url) }
        }
        for c in captures {
            add(
                "field.capture",
                "\(c.role)  sha256:\(c.digest)  \(ByteCount.format(c.size))\(c.name.map { "  \($0)" } ?? "")")
        }
        if let c = caseFields {
            add("case.applicant", c.applicant)
            add("case.prefecture", c.prefecture)
            add("case.procedure", c.procedure)
            add("case.booking_url", c.bookingURL)
            add("case.profile", c.profile)
            add("case.facts", c.facts)
        }
        if let a = amendment {
            add("field.amended_field", a.field)
            add("field.old_value", a.old)
            add("field.new_value", a.new)
            add("field.reason", a.reason)
        }
        lines.append(contentsOf: stepDetail)
        add("field.note", note)
        add("field.about", about.map(String.init))
        add("field.note_kind", kind.map { tr("note.kind.\($0)") })
        add(
            "field.occurred_at",
            occurredAt.flatMap(TimeFormat.parseUTC).map { "\(TimeFormat.parisWallTime($0))  (\(occurredAt!) UTC)" })
        add("field.note", text)
        add("field.hash", hash)
        return lines.joined(separator: "\n")
    }
}

extension EntryView {
    /// `temoin show` for step entries: the step, its files' roles, each e-mail's fields and what its
    /// signatures prove.
    fileprivate var stepDetail: [String] {
        var lines: [String] = []
        // Values come from the store and from e-mails anyone could have written: one line each.
        func add(_ key: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            lines.append("\(tr(key).rightPadded(to: 22)) \(TerminalText.line(value))")
        }
        var emails: [EmailFacts] = []
        if let s = step {
            add("field.step_kind", StepText.kind(s.kind))
            add("field.step_date", StepText.date(s.date, s.dateBasis))
            add("field.step_to", s.to)
            add("field.step_summary", s.summary)
            add("field.tracking", s.trackingNumber)
            emails = s.emails ?? []
        }
        if let f = followUp {
            add("field.followup_of", "#\(f.of)")
            add("field.step_kind", StepText.followUpKind(f.kind))
            add("field.step_date", StepText.date(f.date, f.dateBasis))
            add("field.step_from", f.from)
            add("field.step_summary", f.summary)
            emails = f.emails ?? []
        }
        if let c = check {
            add("field.check_of", "#\(c.of)")
            emails = c.emails
        }
        for e in emails {
            lines.append("")
            add("field.email", "sha256:\(e.digest)")
            lines.append(contentsOf: StepText.email(e, seq: check?.of ?? seq).map { "  " + $0 })
            let checked = TimeFormat.parseUTC(e.checkedAt).map(TimeFormat.parisWallTime) ?? e.checkedAt
            lines.append("  " + tr("field.dkim_checked_at", ["when": checked]))
        }
        if !emails.isEmpty { lines.append("") }
        return lines
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    func rightPadded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// JSON as the CLI prints it: sorted keys, indented, slashes unescaped. Characters a terminal may obey
/// (DEL, C1 controls, line separators, bidi controls: ``TerminalText``) are written as `\u` escapes,
/// which JSON readers decode to the same text.
package enum JSONOutput {
    package static func string<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return escapingTerminalControls(String(decoding: data, as: UTF8.self))
    }

    /// JSONEncoder escapes C0 controls only; the others can appear only inside strings, where `\uXXXX`
    /// stands for them.
    static func escapingTerminalControls(_ json: String) -> String {
        let unsafe: (Unicode.Scalar) -> Bool = { TerminalText.isControl($0) || TerminalText.isBidiControl($0) }
        guard json.unicodeScalars.contains(where: { $0 != "\n" && unsafe($0) }) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if scalar != "\n", unsafe(scalar) {
                out.append(contentsOf: String(format: "\\u%04x", scalar.value).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}

extension EntryView {
    /// `temoin log`: every entry of `store`, or its attempts only.
    package static func log(_ store: Store, attemptsOnly: Bool) throws -> [EntryView] {
        try store.entries().map { EntryView($0) }.filter { !attemptsOnly || $0.type == EntryType.attempt.rawValue }
    }
}
