import Foundation

// Small results of single commands, each as its `--json` shape (`Encodable`, keys as printed) and as
// the lines a person reads. The executable prints one or the other, nothing more.

/// `key new`: the key pair just written and its fingerprint.
package struct KeyCreatedReport: Encodable {
    package let private_key: String
    package let public_key: String
    package let fingerprint: String

    /// The private key written at `path`, its public half beside it (`.pub`).
    package init(path: String, fingerprint: String) {
        private_key = path
        public_key = path + ".pub"
        self.fingerprint = fingerprint
    }

    /// `temoin key new`: a new key written at `path` (refused if anything is there), its public half beside it.
    package static func create(at path: String) throws -> KeyCreatedReport {
        let key = VolunteerKey.generate()
        try key.write(to: path)
        return KeyCreatedReport(path: path, fingerprint: key.fingerprint)
    }

    package var lines: [String] {
        [
            tr("trust.key.created", ["path": private_key, "pub": public_key]),
            tr("trust.key.fingerprint", ["fingerprint": fingerprint]),
        ]
    }
}

/// `case set`: the amendment recorded, or that the field already held that value.
package struct CaseAmendedReport: Encodable {
    package let changed: Bool
    package let seq: Int64?
    package let hash: String?
    private let field: String

    private enum CodingKeys: String, CodingKey { case changed, seq, hash }

    /// `entry` nil: nothing changed, nothing recorded.
    package init(field: String, entry: StoredEntry?) {
        changed = entry != nil
        seq = entry?.seq
        hash = entry?.hash
        self.field = field
    }

    /// `temoin case set`: `field` of the case in `store` set to `value` (``Store/amendCase(field:value:reason:now:)``).
    package static func amend(_ store: Store, field: String, value: String, reason: String?) throws -> Self {
        Self(field: field, entry: try store.amendCase(field: field, value: value, reason: reason))
    }

    package var lines: [String] {
        guard let seq else { return [tr("case.unchanged", ["field": field])] }
        return [tr("case.amended", ["field": field, "seq": String(seq)])]
    }
}

/// `step check`: the signatures of a step's e-mails checked again, and what was recorded.
package struct StepCheckReport: Encodable {
    package let seq: Int64
    package let recorded: Int64?
    package let emails: [EmailFacts]

    package init(seq: Int64, outcome: StepCheckOutcome) {
        self.seq = seq
        recorded = outcome.entry?.seq
        emails = outcome.emails
    }

    /// Each e-mail, then what was recorded and the new head (`head` nil when it cannot be read), or
    /// why nothing was: no answer from DNS, or nothing new.
    package func lines(head: ChainHead?) -> [String] {
        var lines: [String] = []
        for e in emails { lines += StepText.email(e, seq: seq) + [""] }
        if let recorded {
            lines.append(tr("step.check.recorded", ["seq": String(recorded), "of": String(seq)]))
            if let head { lines.append(tr("common.head", ["head": head.display])) }
        } else if emails.contains(where: { $0.verdict == .notChecked }) {
            lines.append(tr("step.check.no_answer"))
        } else {
            lines.append(tr("step.check.nothing_new"))
        }
        return lines
    }
}

/// `seal trust`: the certificates of the user's trust folder.
package struct TrustFolderReport: Encodable {
    package let folder: String
    package let certificates: [String]
    private let sources: [String]

    private enum CodingKeys: String, CodingKey { case folder, certificates }

    package init(_ listing: TrustFolder.Listing) {
        folder = listing.folder
        certificates = listing.certificates
        sources = listing.sources
    }

    package var lines: [String] {
        [tr("trust.trust.folder", ["folder": folder])]
            + zip(certificates, sources).map { "  \(TerminalText.line($0))  (\(TerminalText.line($1)))" }
    }

    /// The lines of `seal trust --add`: each certificate now trusted.
    package static func added(_ added: TrustFolder.Added, folder: String) -> [String] {
        added.subjects.map { tr("trust.trust.added", ["subject": TerminalText.line($0), "folder": folder]) }
    }
}

/// One alert of `notify test`, as `--json` prints it.
package struct AlertJSON: Encodable {
    package let recipient: String
    package let status: AlertOutcome.Status
    package let at: String
    package let reason: String?

    package init(_ o: AlertOutcome) {
        recipient = o.recipient
        status = o.status
        at = TimeFormat.utc(o.at)
        reason = o.reason
    }
}
