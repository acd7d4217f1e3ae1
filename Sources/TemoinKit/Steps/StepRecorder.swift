import Foundation

/// A step to record (`temoin step add`).
package struct StepRequest: Sendable {
    package var kind: StepKind
    /// The date it happened; nil for an e-mail step: the `Date` of its e-mail.
    package var date: StepDate?
    package var to: String?
    package var summary: String
    package var trackingNumber: String?
    /// Proof files: scans, photos, PDFs, `.eml` files.
    package var files: [String]
    /// La Poste's deposit receipts (preuve de dépôt).
    package var postalReceipts: [String]
    package var note: String?

    package init(
        kind: StepKind, date: StepDate?, to: String?, summary: String, trackingNumber: String? = nil,
        files: [String] = [], postalReceipts: [String] = [], note: String? = nil
    ) {
        self.kind = kind
        self.date = date
        self.to = to
        self.summary = summary
        self.trackingNumber = trackingNumber
        self.files = files
        self.postalReceipts = postalReceipts
        self.note = note
    }

    /// The step of `step add`: `self` (the options, the kind `.other` and the summary empty when not
    /// given) completed by `interview` when someone at a terminal can answer; with nobody to ask, a
    /// `kind` or a `summary` not given is `.step(.optionsMissing)`, a bad argument.
    package func completed(by interview: StepInterview?, kind: StepKind?, summary: String?) throws -> StepRequest {
        if let interview { return interview.complete(self, kindGiven: kind != nil, summaryGiven: summary != nil) }
        let missing = Self.missingOptions(kind: kind, summary: summary)
        if !missing.isEmpty { throw TemoinError.step(.optionsMissing(options: missing)) }
        return self
    }

    /// The options `step add` needs when nobody can be asked (no terminal, or `--json`): the kind, and a
    /// summary that is not blank.
    package static func missingOptions(kind: StepKind?, summary: String?) -> [String] {
        var missing: [String] = []
        if kind == nil { missing.append("--kind") }
        if (summary ?? "").trimmingCharacters(in: .whitespaces).isEmpty { missing.append("--summary") }
        return missing
    }
}

/// What followed a step (`temoin step followup SEQ`).
package struct FollowUpRequest: Sendable {
    package var of: Int64
    package var kind: FollowUpKind
    /// nil: the `Date` of the e-mail given (an answer by e-mail).
    package var date: StepDate?
    package var from: String?
    package var summary: String?
    /// The avis de réception scan, the answer (letter scan, `.eml`)...
    package var files: [String]

    package init(
        of: Int64, kind: FollowUpKind, date: StepDate?, from: String? = nil, summary: String? = nil,
        files: [String] = []
    ) {
        self.of = of
        self.kind = kind
        self.date = date
        self.from = from
        self.summary = summary
        self.files = files
    }

    /// `step followup` as typed: `typedDate` as a person writes a day (``StepDate/parse(_:)``), which
    /// throws the error that shows the accepted forms.
    package init(
        of: Int64, kind: FollowUpKind, typedDate: String?, from: String?, summary: String?, files: [String]
    ) throws {
        let date = try typedDate.map { try StepDate.parse($0) }
        self.init(of: of, kind: kind, date: date, from: from, summary: summary, files: files)
    }
}

/// What `temoin step check` found.
package struct StepCheckOutcome: Sendable {
    /// The e-mails with their signatures checked now.
    package let emails: [EmailFacts]
    /// The `step_check` entry recorded; nil when DNS gave no answer for any key that was asked, or
    /// every key came from the store (nothing new learnt, nothing recorded).
    package let entry: StoredEntry?
}

/// Records steps, their follow-ups and later DKIM checks. Every file is read and checked, and every
/// DKIM key fetched, before the one append: a refused file or a failure leaves the store untouched.
package struct StepRecorder: Sendable {
    package let store: Store
    package let resolver: DKIMKeyResolver
    package var maxSize: Int64

    package init(store: Store, resolver: DKIMKeyResolver, maxSize: Int64 = ProofFile.defaultMaxSize) {
        self.store = store
        self.resolver = resolver
        self.maxSize = maxSize
    }

    @discardableResult
    package func add(_ request: StepRequest, now: Date = Date()) throws -> StoredEntry {
        let summary = request.summary.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !summary.isEmpty else { throw TemoinError.step(.emptySummary) }
        var tracking: String?
        if let t = request.trackingNumber?.trimmingCharacters(in: .whitespaces), !t.isEmpty {
            guard request.kind == .registeredLetter else { throw TemoinError.step(.trackingNotRegistered) }
            tracking = try TrackingNumber.normalise(t)
        }
        let proofs = try request.files.map { try ProofFile.read(path: $0, maxSize: maxSize) }
        let receipts = try request.postalReceipts.map { try ProofFile.read(path: $0, maxSize: maxSize) }
        let (date, basis) = try Self.date(request.date, proofs: proofs, now: now)
        let emails = read(proofs, now: now)
        let captures =
            proofs.map { $0.capture(role: .document) } + receipts.map { $0.capture(role: .postalReceipt) }
        return try store.append(type: .step, captures: captures, now: now) { body in
            body.step = StepFacts(
                kind: request.kind, dateDay: date.day, dateTime: date.time, dateBasis: basis,
                to: Self.clean(request.to), summary: summary, trackingNumber: tracking,
                emails: emails.isEmpty ? nil : emails)
            body.note = Self.clean(request.note)
        }
    }

    @discardableResult
    package func followUp(_ request: FollowUpRequest, now: Date = Date()) throws -> StoredEntry {
        let original = try store.entry(seq: request.of)
        guard original.body?.type == .step else { throw TemoinError.step(.notAStep(seq: request.of)) }
        let proofs = try request.files.map { try ProofFile.read(path: $0, maxSize: maxSize) }
        let (date, basis) = try Self.date(request.date, proofs: proofs, now: now)
        let emails = read(proofs, now: now)
        let role: ProofRole = request.kind == .receiptReturned ? .acknowledgement : .document
        return try store.append(type: .stepFollowUp, captures: proofs.map { $0.capture(role: role) }, now: now) {
            body in
            body.followUp = FollowUpFacts(
                of: request.of, kind: request.kind, dateDay: date.day, dateTime: date.time, dateBasis: basis,
                from: Self.clean(request.from),
                summary: Self.clean(request.summary), emails: emails.isEmpty ? nil : emails)
        }
    }

    /// Checks again the DKIM signatures of the e-mails of entry `seq` (a step or a follow-up). Keys
    /// already fetched and kept in the store are reused without any network, unless `refetch`; the others
    /// are fetched now. A `step_check` entry is recorded only when something was fetched.
    package func check(seq: Int64, refetch: Bool = false, now: Date = Date()) throws -> StepCheckOutcome {
        let ledger = try StepLedger(store: store)
        guard let target = ledger.record(containing: seq) else { throw TemoinError.step(.notAStep(seq: seq)) }
        let originals =
            target.seq == seq ? target.emails : (target.followUps.first(where: { $0.seq == seq })?.emails ?? [])
        guard !originals.isEmpty else { throw TemoinError.step(.noEmail(seq: seq)) }
        let counting = CountingResolver(inner: resolver)
        var results: [EmailFacts] = []
        for original in originals {
            guard let bytes = try store.captureBytes(digest: original.digest) else {
                throw TemoinError.step(.emailWithheld(digest: original.digest))
            }
            guard let message = try? EmailMessage(bytes) else {
                throw TemoinError.noSuchCapture(digest: original.digest)
            }
            let known = refetch ? [:] : ledger.knownKeys(for: original.digest)
            var facts = Self.facts(message, digest: original.digest, resolver: counting, knownKeys: known, now: now)
            facts.checkedAt = TimeFormat.utc(now)
            results.append(facts)
        }
        // Only an answer from DNS (a key, or none published) is new evidence; no answer is not.
        guard counting.answered > 0 else { return StepCheckOutcome(emails: results, entry: nil) }
        let entry = try store.append(type: .stepCheck, now: now) { body in
            body.check = StepCheckFacts(of: seq, emails: results)
        }
        return StepCheckOutcome(emails: results, entry: entry)
    }

    private func read(_ proofs: [ProofFile], now: Date) -> [EmailFacts] {
        proofs.compactMap { p in
            p.email.map { Self.facts($0, digest: sha256Hex(p.bytes), resolver: resolver, knownKeys: [:], now: now) }
        }
    }

    static func facts(
        _ message: EmailMessage, digest: String, resolver: DKIMKeyResolver, knownKeys: [String: DKIMKeyLookup],
        now: Date
    ) -> EmailFacts {
        let checks = DKIMVerifier().verify(message, resolver: resolver, knownKeys: knownKeys)
        return EmailFacts(
            digest: digest, from: message.display("From"), to: message.display("To"), cc: message.display("Cc"),
            subject: message.display("Subject"), date: message.field("Date")?.value,
            dateUTC: message.date.map(TimeFormat.utc), messageID: message.field("Message-ID")?.value,
            fromDomain: message.fromDomain, dkim: checks, checkedAt: TimeFormat.utc(now),
            repeatedFields: message.repeatedFields.isEmpty ? nil : message.repeatedFields)
    }

    /// The date given, or the `Date` of the first e-mail among the proofs; refused in the future.
    static func date(_ given: StepDate?, proofs: [ProofFile], now: Date) throws -> (StepDate, StepDateBasis) {
        if let given { return (given, .declared) }
        guard let instant = proofs.lazy.compactMap({ $0.email?.date }).first else {
            throw TemoinError.step(.missingDate)
        }
        let date = StepDate(instant: instant)
        if instant > now.addingTimeInterval(300) { throw TemoinError.step(.dateInFuture(value: date.display)) }
        return (date, .emailDate)
    }

    static func clean(_ text: String?) -> String? {
        guard let t = text?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }
}

/// Counts the lookups DNS answered (a key, or "none published"); a check with every key from the
/// store asks none.
final class CountingResolver: DKIMKeyResolver, @unchecked Sendable {
    let inner: DKIMKeyResolver
    private let lock = NSLock()
    private var count = 0

    init(inner: DKIMKeyResolver) { self.inner = inner }

    var answered: Int { lock.withLock { count } }

    func lookup(_ query: String) -> DKIMKeyLookup {
        let result = inner.lookup(query)
        if result.status == .found || result.status == .notFound { lock.withLock { count += 1 } }
        return result
    }
}
