import Foundation

/// One attempt as the dossier shows it.
package struct DossierAttempt: Sendable, Equatable {
    package var seq: Int64
    package var hash: String
    package var observedAt: Date
    package var recordedAt: String
    package var url: String
    package var provenance: Provenance
    package var timeBasis: TimeBasis
    package var outcome: Outcome
    /// The page's own words, or, for an entry that holds none, temoin's description of the page (the
    /// dossier quotes it only when the page's visible text holds it: `isPageWords`).
    package var message: String?
    /// Why the visibility of the deciding text is uncertain, when it is.
    package var uncertain: VisibilityDoubt?
    /// How visibility was established (`markup`, `browser`, `status`); nil when no rule decided.
    package var visibilityBasis: String?
    /// A rule decided the outcome before temoin recorded how visibility was established: that analysis
    /// took only the `hidden` attribute and inline `display:none`/`visibility:hidden` as hiding text.
    package var earlierAnalysis = false
    package var title: String?
    package var rule: String?
    package var profile: String?
    package var facts: PageFacts?
    /// The page the outcome was read from (the last `page` capture), when there is one.
    package var page: CaptureRef?
    /// A full-page screenshot (witnessed attempts), when there is one.
    package var screenshot: CaptureRef?
    /// Files of a "complete" saved page (images, styles), kept with an imported page.
    package var resources: [CaptureRef] = []
    /// What the network said when the site could not be reached.
    package var failure: String?
    package var remoteIP: String?
    package var tlsVersion: String?
    package var clockOffsetMs: Int?
    /// The saved file an imported page came from.
    package var sourceFile: String?
    /// What the evidence says of its time (TimeCorroboration; nil for an entry the time rules skip).
    package var time: AttemptTime?

    /// Whether the evidence contradicts its time: then it counts in no day, week or hour.
    package var timeContradicted: Bool { time?.verdict == .contradicted }
    /// Whether nothing confirms its time (imported page, unreachable site, no server date).
    package var timeUncorroborated: Bool { time?.verdict == .uncorroborated }

    /// The outcome's family: what the attempt shows about slots.
    package var category: OutcomeCategory { OutcomeCategory(outcome) }
}

/// What an outcome shows about slots, as the dossier counts it (issue 15, point 3): the site said
/// there was none, or could not serve the booking (a refusal either way); a slot was shown; or the
/// attempt shows nothing about slots (CAPTCHA to be done by a person, site unreachable, unexpected
/// page), counted apart, never among the refusals.
package enum OutcomeCategory: String, Sendable, CaseIterable, Codable {
    case noSlot = "no_slot"
    case siteError = "site_error"
    case slot
    case inconclusive

    package init(_ outcome: Outcome) {
        switch outcome {
        case .noSlot: self = .noSlot
        case .siteError: self = .siteError
        case .slotAvailable: self = .slot
        case .captcha, .unreachable, .unexpected: self = .inconclusive
        }
    }
}

/// Identical captures: one page returned by several attempts, indexed once in PJ2.
package struct CaptureGroup: Sendable {
    package var page: CaptureRef
    package var attempts: [DossierAttempt]
}

/// What the chain holds about how the attempts were made, for the technical box (in the manner of
/// AFNOR NF Z67-147: machine and software, proxy, fresh session, path followed, server, clock).
package struct TechnicalFacts: Sendable, Equatable {
    /// Distinct values, in order of first appearance.
    package var systems: [String] = []
    package var tools: [String] = []
    package var userAgents: [String] = []
    package var proxies: [String] = []
    package var browsers: [String] = []
    /// Captured and witnessed attempts that started from an empty cookie jar and no cache.
    package var freshSessions = 0
    /// Captured and witnessed attempts (those that carry an environment).
    package var liveAttempts = 0
    /// Server addresses connected to (`ip:port`), distinct.
    package var servers: [String] = []
    /// Leaf certificates presented, distinct by digest.
    package var certificates: [CertificateFacts] = []
    /// Exchanges whose TLS chain verified, and those whose did not.
    package var tlsVerified = 0
    package var tlsUnverified = 0
    /// Server clock minus ours (ms), smallest and largest, over the attempts that recorded one.
    package var clockOffsets: [Int] = []
    /// The path of the latest captured attempt: one line per exchange (`GET url → 200`), and the
    /// profile's steps in words.
    package var path: [String] = []
    package var pathSeq: Int64?
    package var stepDescriptions: [String] = []
    /// The counter chosen on the way (legacy module: the label of the `planning` radio), when known.
    package var counter: String?
    package var counterSeq: Int64?
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
package struct DossierData: Sendable {
    package var caseRecord: CaseRecord
    package var storeID: String
    package var head: ChainHead
    package var attempts: [DossierAttempt]
    /// Notes of the store (all of them: a note may be about an attempt of the period).
    package var notes: [NoteRecord] = []
    /// The figures of the synthesis (the same as `temoin status` shows).
    package var statistics: CaseStatistics
    package var verification: VerificationReport
    /// Doubts raised by the record itself (same page classified two ways, early statements).
    package var consistency = ConsistencyReport()
    package var technical = TechnicalFacts()
    /// The applicant's other steps (letters, e-mails, visits...), with what followed each and its proof
    /// files: all of them, whatever the period (a letter sent before the first attempt still counts).
    package var steps: [StepRecord] = []
    /// RFC 3161 seals over the chain and volunteers' attestations, each checked (Trust/).
    package var seals: [SealSummary] = []
    package var attestations: [AttestationSummary] = []
    package var from: Date?
    package var to: Date?
    package var generatedAt: Date
    /// The time rules over the period's attempts (docs/FORMAT.md §8), from `TimeCorroboration`.
    package var time = TimeSummary()

    /// Reads the store, verifies it, and keeps the attempts observed in [from, to].
    package static func load(
        store: Store, path: String, from: Date?, to: Date?, now: Date = Date(),
        progress: Verifier.Progress? = nil
    ) throws -> DossierData {
        let verification = try Verifier().verify(path: path, progress: progress)
        let caseRecord = try store.caseRecord()
        let (_, times) = try TimeCorroboration.attempts(store: store, now: now)
        guard let head = try store.head() else { throw TemoinError.notAStore(path: path, detail: tr("detail.no_case")) }
        var attempts: [DossierAttempt] = []
        var technical = TechnicalFacts()
        var latestCaptured: EntryBody?
        var latestCapturedSeq: Int64?
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
                    outcome: b.outcome ?? .unexpected, message: b.message ?? b.description,
                    uncertain: b.visibility?.uncertain, visibilityBasis: b.visibility?.basis,
                    earlierAnalysis: b.rule != nil && b.visibility == nil, title: b.title, rule: b.rule,
                    profile: b.profile, facts: b.facts,
                    page: b.captures?.last(where: { $0.role == "page" }),
                    screenshot: b.screenshot,
                    resources: b.captures?.filter { $0.role == "resource" } ?? [],
                    failure: b.exchanges?.compactMap(\.failure).last.map { "\($0.kind): \($0.message)" },
                    remoteIP: last?.remoteIP, tlsVersion: last?.tls?.version,
                    clockOffsetMs: b.exchanges?.compactMap(\.clockOffsetMs).last,
                    sourceFile: b.source?.fileName, time: times[entry.seq]))
            technical.add(b)
            if b.provenance == .captured, !(b.exchanges ?? []).isEmpty {
                latestCaptured = b
                latestCapturedSeq = entry.seq
            }
        }
        attempts.sort { $0.seq < $1.seq }
        guard !attempts.isEmpty else {
            throw TemoinError.emptyPeriod(
                from: from.map(TimeFormat.parisWallTime) ?? "-", to: to.map(TimeFormat.parisWallTime) ?? "-")
        }
        if let b = latestCaptured, let seq = latestCapturedSeq {
            technical.describePath(b, seq: seq, store: store)
        }
        // A store made before seals existed has none; the trusted TSA certificates are the user's own.
        let seals = (try? store.seals(trust: (try? TSATrust.load()) ?? TSATrust())) ?? []
        let attestations = (try? store.attestations()) ?? []
        let notes = try store.notes()
        let steps = StepLedger(entries: try store.entries(containing: "\"type\":\"step")).records
        let consistency = try ConsistencyCheck.run(store: store, entries: entries, from: from, to: to)
        // The summary of the period's attempts only (the verdicts themselves are the whole store's).
        var time = TimeSummary()
        for a in attempts { if let t = a.time { time.add(t) } }
        time.problems = attempts.flatMap { $0.time?.problems ?? [] }
        let contradicted = Set(attempts.filter(\.timeContradicted).map(\.seq))
        var data = DossierData(
            caseRecord: caseRecord, storeID: store.storeID, head: head, attempts: attempts, notes: notes,
            statistics: CaseStatistics(entries: entries, from: from, to: to, contradicted: contradicted),
            verification: verification, consistency: consistency, technical: technical, steps: steps, seals: seals,
            attestations: attestations, from: from, to: to, generatedAt: now)
        data.time = time
        return data
    }

    /// Attempts grouped by identical page capture, in order of first appearance; attempts without a page
    /// (unreachable site) are left out: PJ2 shows pages.
    package var captureGroups: [CaptureGroup] {
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

    /// Notes about an entry, in chain order.
    package func notes(about seq: Int64) -> [NoteRecord] { notes.filter { $0.about == seq } }
}

extension TechnicalFacts {
    private static func insert(_ value: String?, into list: inout [String]) {
        guard let value, !value.isEmpty, !list.contains(value) else { return }
        list.append(value)
    }

    mutating func add(_ b: EntryBody) {
        if let env = b.environment {
            liveAttempts += 1
            if env.freshSession { freshSessions += 1 }
            Self.insert(env.os, into: &systems)
            Self.insert(env.tool, into: &tools)
            Self.insert(env.userAgent, into: &userAgents)
            Self.insert(env.proxy, into: &proxies)
        }
        if let product = b.browser?.product { Self.insert(product, into: &browsers) }
        for e in b.exchanges ?? [] {
            if let ip = e.remoteIP { Self.insert(e.remotePort.map { "\(ip):\($0)" } ?? ip, into: &servers) }
            if let tls = e.tls {
                if tls.verified { tlsVerified += 1 } else { tlsUnverified += 1 }
                if let leaf = tls.certificates.first, !certificates.contains(where: { $0.sha256 == leaf.sha256 }) {
                    certificates.append(leaf)
                }
            }
        }
        if let offset = b.exchanges?.compactMap(\.clockOffsetMs).last ?? b.environment?.clockOffsetMs {
            clockOffsets.append(offset)
        }
    }

    /// The path of one captured attempt, step by step, and the counter chosen on the way.
    mutating func describePath(_ b: EntryBody, seq: Int64, store: Store) {
        pathSeq = seq
        path = (b.exchanges ?? []).map { e in
            var line = "\(e.method) \(e.url)"
            if let s = e.status { line += " → \(s)" }
            if let f = e.failure { line += " → \(f.kind)" }
            return line
        }
        if let profile = b.profile, let rules = try? RuleSet.loadBuiltIn(profile) {
            stepDescriptions = (rules.steps ?? []).compactMap(\.description)
        }
        // Legacy module: the counter is the `planning` radio chosen; its label is on the page before.
        let exchanges = b.exchanges ?? []
        for (i, e) in exchanges.enumerated() where i > 0 {
            guard let bodyDigest = e.requestBody, let body = try? store.captureBytes(digest: bodyDigest),
                let value = Self.formValue("planning", in: body),
                let pageDigest = exchanges[..<i].last(where: { $0.responseBody != nil && $0.status == 200 })?
                    .responseBody,
                let pageBytes = try? store.captureBytes(digest: pageDigest)
            else { continue }
            let text = Charset.decode(pageBytes, as: Charset.detect(pageBytes))
            guard let doc = HTMLDocument(text: text) else { continue }
            let quoted = value.replacingOccurrences(of: "'", with: "")
            let input = doc.elements("//input[@name='planning' and @value='\(quoted)']").first
            var label = input?.attributes["id"].flatMap { id in
                doc.elements("//label[@for='\(id.replacingOccurrences(of: "'", with: ""))']").first?.text
            }
            if label?.isEmpty ?? true {
                label = doc.elements("//label[.//input[@name='planning' and @value='\(quoted)']]").first?.text
            }
            if let label, !label.isEmpty {
                counter = label
                counterSeq = seq
            }
        }
    }

    /// A field's value in an `application/x-www-form-urlencoded` body.
    static func formValue(_ name: String, in body: Data) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == name else { continue }
            return String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
    }
}
