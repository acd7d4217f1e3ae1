import Foundation

/// A proof file of a step or follow-up: one capture, to become one pièce of the dossier.
package struct StepProof: Sendable, Encodable, Equatable {
    /// The entry that holds it.
    package var seq: Int64
    package var role: ProofRole
    package var digest: String
    package var size: Int64
    package var mediaType: String?
    /// The file's name when it was added.
    package var name: String?

    enum CodingKeys: String, CodingKey {
        case seq, role, digest, size, name
        case mediaType = "media_type"
    }
}

/// Something in a step's record that does not add up, shown beside it, never smoothed over.
package struct StepDoubt: Sendable, Encodable, Equatable {
    package enum Code: String, Sendable, Encodable {
        /// A follow-up is dated before the step it follows.
        case followUpBeforeStep = "followup_before_step"
        /// The declared date is not the day of the e-mail's `Date` field (Paris).
        case emailDateDiffers = "email_date_differs"
        /// An e-mail's signatures could not be checked yet.
        case dkimNotChecked = "dkim_not_checked"
        /// An e-mail's signatures do not verify.
        case dkimFailed = "dkim_failed"
        /// An e-mail has a field (Date, Subject...) twice: one was added.
        case emailFieldRepeated = "email_field_repeated"
    }

    package var code: Code
    /// The entry where it shows.
    package var seq: Int64
    /// Values for the message `step.doubt.<code>`.
    package var arguments: [String: String]

    /// The doubt in the current language.
    package var text: String { tr("step.doubt.\(code.rawValue)", arguments) }
}

/// A follow-up as read back.
package struct StepFollowUpRecord: Sendable, Encodable {
    package var seq: Int64
    package var hash: String
    package var recordedAt: String
    package var kind: FollowUpKind
    package var date: StepDate
    package var dateBasis: StepDateBasis
    package var from: String?
    package var summary: String?
    package var proofs: [StepProof]
    /// The e-mails with their latest DKIM verdict (a later `step check` replaces the first one here;
    /// both stay in the chain).
    package var emails: [EmailFacts]

    enum CodingKeys: String, CodingKey {
        case seq, hash, kind, date, from, summary, proofs, emails
        case recordedAt = "recorded_at"
        case dateBasis = "date_basis"
    }
}

/// A step with everything that followed it: what `step list` prints and the dossier lists.
package struct StepRecord: Sendable, Encodable {
    package var seq: Int64
    package var hash: String
    /// UTC time temoin recorded it (tool clock), distinct from `date`, which the person declared.
    package var recordedAt: String
    package var kind: StepKind
    package var date: StepDate
    package var dateBasis: StepDateBasis
    package var to: String?
    package var summary: String
    package var trackingNumber: String?
    package var note: String?
    package var proofs: [StepProof]
    /// The e-mails with their latest DKIM verdict.
    package var emails: [EmailFacts]
    package var followUps: [StepFollowUpRecord]
    /// Seqs of the `step_check` entries about this step or its follow-ups.
    package var checks: [Int64]
    package var doubts: [StepDoubt]

    enum CodingKeys: String, CodingKey {
        case seq, hash, kind, date, to, summary, note, proofs, emails, checks, doubts
        case recordedAt = "recorded_at"
        case dateBasis = "date_basis"
        case trackingNumber = "tracking_number"
        case followUps = "followups"
    }

    /// When the avis de réception says the letter was received: the first `receipt_returned` follow-up.
    package var receivedOn: StepDate? { followUps.first { $0.kind == .receiptReturned }?.date }
}

/// The applicant's steps, read from a store: each with its follow-ups, proof files and DKIM verdicts.
/// The dossier, `status` and `step list` read them from here.
package struct StepLedger: Sendable {
    /// In chain order.
    package let records: [StepRecord]
    /// Keys found by any lookup, by e-mail digest then query name: the first found wins (the key
    /// fetched closest to the e-mail's arrival).
    private let keys: [String: [String: DKIMKeyLookup]]

    package init(store: Store) throws {
        try self.init(entries: store.entries())
    }

    package init(entries: [StoredEntry]) {
        var records: [StepRecord] = []
        var index: [Int64: Int] = [:]
        var followUpOwner: [Int64: Int] = [:]
        var keys: [String: [String: DKIMKeyLookup]] = [:]
        func remember(_ emails: [EmailFacts]) {
            for e in emails {
                for check in e.dkim {
                    if let k = check.key, k.status == .found, keys[e.digest]?[k.query] == nil {
                        keys[e.digest, default: [:]][k.query] = k
                    }
                }
            }
        }
        func proofs(_ entry: StoredEntry) -> [StepProof] {
            (entry.body?.captures ?? []).compactMap { c in
                ProofRole(rawValue: c.role).map {
                    StepProof(
                        seq: entry.seq, role: $0, digest: c.digest, size: c.size, mediaType: c.mediaType, name: c.name)
                }
            }
        }
        for entry in entries {
            guard let body = entry.body else { continue }
            switch body.type {
            case .step:
                guard let s = body.step else { continue }
                remember(s.emails ?? [])
                index[entry.seq] = records.count
                records.append(
                    StepRecord(
                        seq: entry.seq, hash: entry.hash, recordedAt: body.recordedAt, kind: s.kind, date: s.date,
                        dateBasis: s.dateBasis, to: s.to, summary: s.summary, trackingNumber: s.trackingNumber,
                        note: body.note, proofs: proofs(entry), emails: s.emails ?? [], followUps: [], checks: [],
                        doubts: []))
            case .stepFollowUp:
                guard let f = body.followUp, let i = index[f.of] else { continue }
                remember(f.emails ?? [])
                followUpOwner[entry.seq] = i
                records[i].followUps.append(
                    StepFollowUpRecord(
                        seq: entry.seq, hash: entry.hash, recordedAt: body.recordedAt, kind: f.kind, date: f.date,
                        dateBasis: f.dateBasis, from: f.from, summary: f.summary, proofs: proofs(entry),
                        emails: f.emails ?? []))
            case .stepCheck:
                guard let c = body.check else { continue }
                remember(c.emails)
                let owner = index[c.of] ?? followUpOwner[c.of]
                guard let i = owner else { continue }
                records[i].checks.append(entry.seq)
                func replace(_ list: inout [EmailFacts]) {
                    for e in c.emails {
                        if let j = list.firstIndex(where: { $0.digest == e.digest }) { list[j] = e }
                    }
                }
                if records[i].seq == c.of {
                    replace(&records[i].emails)
                } else if let j = records[i].followUps.firstIndex(where: { $0.seq == c.of }) {
                    replace(&records[i].followUps[j].emails)
                }
            default:
                continue
            }
        }
        for i in records.indices { records[i].doubts = Self.doubts(records[i]) }
        self.records = records
        self.keys = keys
    }

    /// The step that is, or is followed by, entry `seq`.
    package func record(containing seq: Int64) -> StepRecord? {
        records.first { $0.seq == seq || $0.followUps.contains { $0.seq == seq } }
    }

    /// Keys already fetched for the e-mail `digest`, by query name.
    package func knownKeys(for digest: String) -> [String: DKIMKeyLookup] { keys[digest] ?? [:] }

    /// Registered letters whose recipient names the préfet (« préfet », « prefet », "prefect", any case
    /// or accent): the defendant of a référé is the préfet, not « la préfecture ».
    package var lettersToPrefect: [StepRecord] {
        steps(.registeredLetter).filter { r in
            guard let to = r.to?.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) else {
                return false
            }
            // Whole words only: « préfecture » is not « préfet ».
            return to.range(of: #"\bprefec?t\b"#, options: [.regularExpression, .caseInsensitive]) != nil
        }
    }

    /// Steps of one kind.
    package func steps(_ kind: StepKind) -> [StepRecord] { records.filter { $0.kind == kind } }

    static func doubts(_ r: StepRecord) -> [StepDoubt] {
        var out: [StepDoubt] = []
        func emailDoubts(_ emails: [EmailFacts], date: StepDate, basis: StepDateBasis, seq: Int64) {
            for e in emails {
                if basis == .declared, let utc = e.dateUTC.flatMap(TimeFormat.parseUTC) {
                    let day = StepDate(instant: utc).day
                    if day != date.day {
                        out.append(
                            StepDoubt(
                                code: .emailDateDiffers, seq: seq, arguments: ["declared": date.day, "email": day]))
                    }
                }
                if let repeated = e.repeatedFields, !repeated.isEmpty {
                    out.append(
                        StepDoubt(
                            code: .emailFieldRepeated, seq: seq,
                            arguments: ["fields": repeated.joined(separator: ", ")]))
                }
                switch e.verdict {
                case .notChecked:
                    out.append(StepDoubt(code: .dkimNotChecked, seq: seq, arguments: ["seq": String(seq)]))
                case .fail:
                    out.append(StepDoubt(code: .dkimFailed, seq: seq, arguments: ["seq": String(seq)]))
                default: break
                }
            }
        }
        emailDoubts(r.emails, date: r.date, basis: r.dateBasis, seq: r.seq)
        for f in r.followUps {
            if f.date.day < r.date.day {
                out.append(
                    StepDoubt(
                        code: .followUpBeforeStep, seq: f.seq,
                        arguments: ["date": f.date.day, "step_date": r.date.day, "step": String(r.seq)]))
            }
            emailDoubts(f.emails, date: f.date, basis: f.dateBasis, seq: f.seq)
        }
        return out
    }
}
