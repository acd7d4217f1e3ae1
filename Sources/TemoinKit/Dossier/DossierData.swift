import Foundation

/// One attempt as the dossier shows it.
public struct DossierAttempt: Sendable, Equatable {
    public var seq: Int64
    public var hash: String
    public var observedAt: Date
    public var recordedAt: String
    public var url: String
    public var provenance: Provenance
    public var timeBasis: TimeBasis
    public var outcome: Outcome
    /// The page's own words (quoted in the dossier); nil when the entry holds none.
    public var message: String?
    /// temoin's own description (never quoted).
    public var description: String?
    /// Why the visibility of the deciding text is uncertain, when it is.
    public var uncertain: VisibilityDoubt?
    /// How visibility was established (`markup`, `browser`, `status`); nil when no rule decided.
    public var visibilityBasis: String?
    /// A rule decided the outcome before temoin recorded how visibility was established: that analysis
    /// took only the `hidden` attribute and inline `display:none`/`visibility:hidden` as hiding text.
    public var earlierAnalysis = false
    public var profile: String?
    public var facts: PageFacts?
    /// The page the outcome was read from (the last `page` capture), when there is one.
    public var page: CaptureRef?
    /// A full-page screenshot (witnessed attempts), when there is one.
    public var screenshot: CaptureRef?
    /// What the network said when the site could not be reached.
    public var failure: String?
    public var remoteIP: String?
    public var tlsVersion: String?
    public var clockOffsetMs: Int?
}

/// Identical captures: one page returned by several attempts, shown once in PJ2.
public struct CaptureGroup: Sendable {
    public var page: CaptureRef
    public var attempts: [DossierAttempt]
}

extension CaseStatistics {
    /// Attempts per day for the chart, with every calendar day of the period, so that days without
    /// attempts show as gaps.
    var everyDayTally: [(day: String, counts: [Outcome: Int])] {
        let counts = Dictionary(uniqueKeysWithValues: perDay.map { ($0.day, $0.byOutcome) })
        return Self.everyDay(from: days.first, to: days.last).map { ($0, counts[$0] ?? [:]) }
    }

    /// Every calendar day between two `YYYY-MM-DD` (inclusive), Paris time.
    static func everyDay(from: String?, to: String?) -> [String] {
        guard let from, let to, let start = TimeFormat.parse(from + " 12:00"), let end = TimeFormat.parse(to + " 12:00")
        else { return [] }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeFormat.paris
        var out: [String] = []
        var d = start
        while d <= end.addingTimeInterval(3600) && out.count < 3700 {
            let c = calendar.dateComponents([.year, .month, .day], from: d)
            out.append(String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!))
            d = calendar.date(byAdding: .day, value: 1, to: d) ?? d.addingTimeInterval(86400)
        }
        return out
    }
}

/// Everything the dossier is made from, read once from the store.
public struct DossierData: Sendable {
    public var caseRecord: CaseRecord
    public var storeID: String
    public var head: ChainHead
    public var attempts: [DossierAttempt]
    /// The figures of the synthesis (the same as `temoin status` shows).
    public var statistics: CaseStatistics
    public var verification: VerificationReport
    /// RFC 3161 seals over the chain and volunteers' attestations, each checked (Trust/).
    public var seals: [SealSummary] = []
    public var attestations: [AttestationSummary] = []
    public var from: Date?
    public var to: Date?
    public var generatedAt: Date

    /// Reads the store, verifies it, and keeps the attempts observed in [from, to].
    public static func load(
        store: Store, path: String, from: Date?, to: Date?, now: Date = Date(),
        progress: Verifier.Progress? = nil
    ) throws -> DossierData {
        let verification = try Verifier().verify(path: path, progress: progress)
        let caseRecord = try store.caseRecord()
        guard let head = try store.head() else { throw TemoinError.notAStore(path: path, detail: tr("detail.no_case")) }
        var attempts: [DossierAttempt] = []
        let entries = try store.entries(containing: "\"type\":\"attempt\"")
        for entry in entries {
            guard let b = entry.body, b.type == .attempt, let observed = b.observedAt.flatMap(TimeFormat.parseUTC)
            else { continue }
            if let from, observed < from { continue }
            if let to, observed > to { continue }
            let last = b.exchanges?.last
            attempts.append(
                DossierAttempt(
                    seq: entry.seq, hash: entry.hash, observedAt: observed, recordedAt: b.recordedAt,
                    url: b.url ?? "", provenance: b.provenance ?? .captured, timeBasis: b.timeBasis ?? .witnessed,
                    outcome: b.outcome ?? .unexpected, message: b.messageIsPageText ? b.message : nil,
                    description: b.description ?? (b.messageIsPageText ? nil : b.message),
                    uncertain: b.visibility?.uncertain, visibilityBasis: b.visibility?.basis,
                    earlierAnalysis: b.rule != nil && b.visibility == nil, profile: b.profile, facts: b.facts,
                    page: b.captures?.last(where: { $0.role == "page" }),
                    screenshot: b.screenshot,
                    failure: b.exchanges?.compactMap(\.failure).last.map { "\($0.kind): \($0.message)" },
                    remoteIP: last?.remoteIP, tlsVersion: last?.tls?.version,
                    clockOffsetMs: b.exchanges?.compactMap(\.clockOffsetMs).last))
        }
        attempts.sort { $0.seq < $1.seq }
        guard !attempts.isEmpty else {
            throw TemoinError.emptyPeriod(
                from: from.map(TimeFormat.parisWallTime) ?? "-", to: to.map(TimeFormat.parisWallTime) ?? "-")
        }
        // A store made before seals existed has none; the trusted TSA certificates are the user's own.
        let seals = (try? store.seals(trust: (try? TSATrust.load()) ?? TSATrust())) ?? []
        let attestations = (try? store.attestations()) ?? []
        return DossierData(
            caseRecord: caseRecord, storeID: store.storeID, head: head, attempts: attempts,
            statistics: CaseStatistics(entries: entries, from: from, to: to), verification: verification, seals: seals,
            attestations: attestations,
            from: from, to: to, generatedAt: now)
    }

    /// Attempts grouped by identical page capture, in order of first appearance; attempts without a page
    /// (unreachable site) are left out: PJ2 shows pages.
    public var captureGroups: [CaptureGroup] {
        var order: [String] = []
        var groups: [String: CaptureGroup] = [:]
        for a in attempts {
            guard let page = a.page else { continue }
            if groups[page.digest] == nil {
                order.append(page.digest)
                groups[page.digest] = CaptureGroup(page: page, attempts: [])
            }
            groups[page.digest]!.attempts.append(a)
        }
        return order.map { groups[$0]! }
    }
}
