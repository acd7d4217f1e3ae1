import Foundation
import Synchronization
import TemoinPDF

/// A pièce the dossier writes: its number in the inventory and its label, used identically in the
/// file name, the inventory, the bordereau and the PDF's title.
public struct DossierPiece: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case releve
        case captures
        case journal
        /// A proof file of one of the applicant's steps (``ProofPiece``).
        case proof
    }
    public var kind: Kind
    public var number: Int
    public var label: String

    /// `Pièce n° 3 : Relevé horodaté des tentatives de prise de rendez-vous`.
    public func title(_ language: Language) -> String {
        language == .fr ? "Pièce n°\u{00A0}\(number) : \(label)" : "Exhibit no. \(number): \(label)"
    }

    /// `PJ3_Releve_horodate_des_tentatives_de_prise_de_rendez-vous.pdf`, `PJ4-2_...` for a part; at most
    /// 80 characters (Télérecours), the label cut at a word if needed.
    public func fileName(part: Int? = nil) -> String {
        let prefix = "PJ\(number)" + (part.map { "-\($0)" } ?? "") + "_"
        var stem = Wording.fileStem(label)
        let room = 80 - prefix.count - 4
        if stem.count > room {
            stem = String(stem.prefix(room))
            if let cut = stem.lastIndex(where: { $0 == "_" || $0 == "-" }) { stem = String(stem[..<cut]) }
            // A name cut short never ends on a little word (« …_Prefet_du »).
            while let cut = stem.lastIndex(of: "_"),
                Self.endWords.contains(stem[stem.index(after: cut)...].lowercased())
            {
                stem = String(stem[..<cut])
            }
        }
        return prefix + stem + ".pdf"
    }
}

extension DossierPiece {
    /// Words a file name cut at 80 characters does not end on.
    static let endWords: Set<String> = [
        "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "n", "par", "pour", "sur",
        "the", "of", "to", "on", "and", "from", "no",
    ]
}

/// A page PJ2 shows, and why it was chosen.
struct ShownPage {
    enum Reason: String {
        case firstNoSlot = "first_no_slot"
        case lastNoSlot = "last_no_slot"
        case siteError = "site_error"
        case slot
        case followUp = "follow_up"
    }
    var index: Int
    var attempt: DossierAttempt
    var reason: Reason
}

/// How a shown page is reproduced in PJ2.
enum ShownImage {
    /// Drawn by temoin's browser from the stored bytes; `missing`: resources the store did not hold.
    case rendered(png: Data, missing: Int)
    /// The screenshot the browser took during a witnessed attempt.
    case screenshot(png: Data)
    /// No image: the page's visible text instead, and why.
    case text(reason: String)
}

/// What the templates see: the dossier's data as Mustache values (Templates/README.md lists them),
/// with every sentence's numbers, plurals and conditions derived from the data here.
/// Read-only once built (`prepare()` fills the shared values before the PDFs are drawn on two threads).
final class DossierContext: @unchecked Sendable {
    let data: DossierData
    let templates: DossierTemplates
    let store: Store
    let language: Language
    let wording: Wording
    let groups: [CaptureGroup]
    let pieces: [DossierPiece]
    /// The steps' proof files, each a pièce after the attempts' ones.
    let proofs: [ProofPiece]
    /// Captures withheld from the store (privacy): no bytes to show.
    let withheldDigests: Set<String>
    let shown: [ShownPage]
    /// Set by the writer before PJ2 is composed: how each shown page is reproduced.
    private let images = Mutex<[Int: ShownImage]>([:])
    /// The browser used to draw pages, or why none could be.
    private let rendererState = Mutex<(product: String?, unavailable: String?)>((nil, nil))
    /// Whether each distinct page's recorded message is the page's own words (keyed by digest + message).
    private let wordsCache = Mutex<[String: Bool]>([:])
    private let visibleTexts = Mutex<[String: String]>([:])

    init(
        data: DossierData, templates: DossierTemplates, store: Store, language: Language, firstPiece: Int,
        journal: Bool
    ) {
        self.data = data
        self.templates = templates
        self.store = store
        self.language = language
        wording = Wording(language: language)
        groups = data.captureGroups
        var pieces = [
            DossierPiece(kind: .releve, number: firstPiece, label: templates.label("piece.releve")),
            DossierPiece(kind: .captures, number: firstPiece + 1, label: templates.label("piece.captures")),
        ]
        if journal {
            pieces.append(
                DossierPiece(kind: .journal, number: firstPiece + 2, label: templates.label("piece.journal")))
        }
        withheldDigests = Set(data.verification.withheld.map(\.digest))
        proofs = Self.proofPieces(
            data.steps, first: firstPiece + pieces.count, withheld: withheldDigests, templates: templates,
            wording: Wording(language: language))
        self.pieces = pieces + proofs.map(\.piece)
        shown = Self.choose(data.attempts)
    }

    func piece(_ kind: DossierPiece.Kind) -> DossierPiece? { pieces.first { $0.kind == kind } }

    // MARK: which pages PJ2 shows

    /// At most `limit` pages, in chain order: the first and the last attempt without a slot, the first
    /// site error (an overload page), then each slot with the attempt that followed it.
    static func choose(_ attempts: [DossierAttempt], limit: Int = 8) -> [ShownPage] {
        var picked: [(DossierAttempt, ShownPage.Reason)] = []
        func add(_ a: DossierAttempt?, _ reason: ShownPage.Reason) {
            guard let a, a.page != nil, picked.count < limit, !picked.contains(where: { $0.0.seq == a.seq }) else {
                return
            }
            picked.append((a, reason))
        }
        let noSlot = attempts.filter { $0.outcome == .noSlot }
        add(noSlot.first, .firstNoSlot)
        add(noSlot.last, .lastNoSlot)
        add(attempts.first { $0.outcome == .siteError }, .siteError)
        let byTime = attempts.sorted { ($0.observedAt, $0.seq) < ($1.observedAt, $1.seq) }
        for slot in attempts where slot.outcome == .slotAvailable {
            guard picked.count < limit else { break }
            add(slot, .slot)
            add(byTime.first { $0.observedAt > slot.observedAt && $0.seq != slot.seq }, .followUp)
        }
        return picked.sorted { $0.0.seq < $1.0.seq }.enumerated().map {
            ShownPage(index: $0.offset, attempt: $0.element.0, reason: $0.element.1)
        }
    }

    func setImage(_ image: ShownImage, for index: Int) { images.withLock { $0[index] = image } }
    func image(for index: Int) -> ShownImage? { images.withLock { $0[index] } }
    func setRenderer(product: String?, unavailable: String?) { rendererState.withLock { $0 = (product, unavailable) } }
    var rendererInfo: (product: String?, unavailable: String?) { rendererState.withLock { $0 } }

    // MARK: formats

    func dateTime(_ date: Date) -> String { wording.longDateTime(date) }

    func outcomeLabel(_ o: Outcome) -> String { templates.label("outcome.\(o.rawValue)") }
    func outcomeCode(_ o: Outcome) -> String { templates.label("code.\(o.rawValue)") }

    func provenanceLabel(_ a: DossierAttempt) -> String {
        let p = templates.label("provenance.\(a.provenance.rawValue)")
        return a.timeBasis == .witnessed ? p : p + " (" + templates.label("time_basis.\(a.timeBasis.rawValue)") + ")"
    }

    /// Whether `message` is the page's own words (found in its visible text), so that it may be quoted;
    /// otherwise it is temoin's description and is never printed between quotation marks.
    func isPageWords(_ a: DossierAttempt) -> Bool {
        guard let message = a.message, !message.isEmpty, let page = a.page else { return false }
        let key = page.digest + "\u{0}" + message
        if let known = wordsCache.withLock({ $0[key] }) { return known }
        let result = visibleText(of: a).map { Self.contains($0, message) } ?? false
        wordsCache.withLock { $0[key] = result }
        return result
    }

    static func normalized(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .replacingOccurrences(of: "’", with: "'")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func contains(_ text: String, _ message: String) -> Bool {
        let m = normalized(message).trimmingCharacters(in: CharacterSet(charactersIn: " .…"))
        return !m.isEmpty && normalized(text).contains(m)
    }

    /// The visible text of an attempt's page as the analysis sees it; nil when withheld or absent.
    func visibleText(of a: DossierAttempt) -> String? {
        guard let page = a.page else { return nil }
        if let cached = visibleTexts.withLock({ $0[page.digest] }) { return cached }
        guard let bytes = try? store.captureBytes(digest: page.digest) else { return nil }
        let ruleSet =
            (try? RuleSet.loadBuiltIn(a.profile ?? "generic")) ?? (try? RuleSet.loadBuiltIn("generic"))
            ?? RuleSet.common
        let text = PageAnalyzer(ruleSet: ruleSet).analyze(bytes, contentType: page.mediaType, url: a.url).visibleText
        visibleTexts.withLock { $0[page.digest] = text }
        return text
    }

    // MARK: shared values

    /// Computes the shared values now, before several threads read them.
    func prepare() { _ = common }

    /// `n` as a count, with `key_plural` and `has_key`.
    private func put(_ v: inout [String: Any], _ key: String, _ n: Int) {
        v[key] = Count(value: n, language: language)
        v[key + "_plural"] = wording.plural(n)
        v["has_" + key] = n > 0
    }

    private lazy var common: [String: Any] = {
        var v: [String: Any] = [:]
        let f = data.caseRecord.fields
        let s = data.statistics
        let w = wording
        // The case.
        v["applicant"] = f.applicant
        v["of_applicant"] = w.of(f.applicant)
        v["prefecture"] = f.prefecture
        v["prefecture_in_sentence"] = w.prefectureInSentence(f.prefecture)
        let prefet = w.prefet(f.prefecture)
        v["prefet"] = prefet
        v["prefet_title"] = prefet.prefix(1).uppercased() + prefet.dropFirst()
        v["prefet_dative"] =
            language == .fr
            ? (prefet.hasPrefix("le ") ? "au " + prefet.dropFirst(3) : "à " + prefet) : "the " + prefet.dropFirst(4)
        v["procedure"] = f.procedure
        v["booking_url"] = f.bookingURL
        v["has_booking_url"] = !f.bookingURL.isEmpty
        v["profile"] = f.profile
        v["facts_lines"] = f.facts.split(whereSeparator: \.isNewline).map { ["line": String($0)] }
        v["has_facts"] = !f.facts.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        let factsEntry = data.caseRecord.amendments.last { $0.amendment.field == CaseField.facts.rawValue }
        v["facts_seq"] = factsEntry?.seq ?? 1
        v["facts_declared"] =
            TimeFormat.parseUTC(factsEntry?.recordedAt ?? data.caseRecord.openedAt).map { w.longDate($0) } ?? ""
        v["opened_at"] = TimeFormat.parseUTC(data.caseRecord.openedAt).map(dateTime) ?? data.caseRecord.openedAt
        // The document.
        v["generated_at"] = dateTime(data.generatedAt)
        v["generated_day"] = w.longDate(data.generatedAt)
        // A contradicted time does not stretch the period (it is listed apart, p. « Les heures »).
        let sure = data.attempts.filter { !$0.timeContradicted }.map(\.observedAt)
        v["period_from"] = (data.from ?? sure.min() ?? s.first).map { w.longDate($0) } ?? ""
        v["period_to"] = (data.to ?? sure.max() ?? s.last).map { w.longDate($0) } ?? ""
        v["first_day"] = s.first.map { w.longDate($0) } ?? ""
        v["last_day"] = s.last.map { w.longDate($0) } ?? ""
        v["tool_version"] = Temoin.version
        // The chain.
        v["head_display"] = data.head.display
        v["head_short"] = "n°\u{00A0}\(data.head.seq) · " + Wording.grouped(data.head.hash, groups: 2)
        v["head_grouped"] = Wording.grouped(data.head.hash)
        v["head_seq"] = data.head.seq
        v["head_hash"] = data.head.hash
        v["store_id"] = data.storeID
        // Pièces.
        for p in pieces where p.kind != .proof {
            let key = p.kind == .releve ? "pj1" : p.kind == .captures ? "pj2" : "journal"
            v[key + "_number"] = p.number
            v[key + "_label"] = p.label
            v[key + "_title"] = p.title(language)
        }
        v["has_journal"] = piece(.journal) != nil
        // The figures.
        put(&v, "attempts", s.attempts)
        put(&v, "days", s.days.count)
        put(&v, "weeks", s.weeks.count)
        put(&v, "hours_count", s.hoursCovered.count)
        v["hours_list"] = s.hoursCovered.map { "\($0)\u{00A0}h" }.joined(separator: ", ")
        v["one_attempt"] = s.attempts == 1
        v["one_day"] = s.days.count == 1
        v["single_week"] = s.weeks.count == 1
        v["multi_week"] = s.weeks.count >= 2
        v["varied_hours"] = s.bandsCovered.count >= 2
        v["bands_list"] = bandsPhrase(s)
        v["first"] = s.first.map(dateTime) ?? ""
        v["last"] = s.last.map(dateTime) ?? ""
        v["last_ago"] = s.last.map { w.ago($0, now: data.generatedAt) } ?? ""
        v["last_short"] = s.last.map { w.shortDateTime($0, seconds: false) } ?? ""
        v["last_outcome"] = s.lastOutcome.map(outcomeLabel) ?? ""
        v["last_seq"] = s.lastSeq ?? 0
        // The latest recorded time may be the one the chain contradicts (a clock set ahead): say so there.
        v["last_contradicted"] = s.lastSeq.map { s.setAside.contains($0) } ?? false
        v["codes_legend"] = templates.label("codes.legend")
        let byCategory = Dictionary(grouping: data.attempts, by: \.category).mapValues(\.count)
        put(&v, "no_slot", byCategory[.noSlot] ?? 0)
        put(&v, "site_error", byCategory[.siteError] ?? 0)
        put(&v, "slots", byCategory[.slot] ?? 0)
        put(&v, "inconclusive", byCategory[.inconclusive] ?? 0)
        v["all_no_slot"] = (byCategory[.noSlot] ?? 0) == s.attempts
        v["inconclusive_detail"] = [Outcome.captcha, .unreachable, .unexpected].compactMap { o -> String? in
            let n = s.count(o)
            return n > 0 ? "\(templates.label("inconclusive.\(o.rawValue)")) : \(w.number(n))" : nil
        }.joined(separator: ", ")
        v["outcomes"] = OutcomePalette.order.compactMap { o -> [String: Any]? in
            let n = s.count(o)
            guard n > 0 else { return nil }
            return ["label": outcomeLabel(o), "count": Count(value: n, language: language)]
        }
        // How the attempts were made.
        put(&v, "count_captured", s.count(.captured))
        put(&v, "count_witnessed", s.count(Provenance.witnessed))
        put(&v, "count_imported", s.count(.imported))
        v["has_captured"] = s.count(.captured) > 0
        v["has_witnessed"] = s.count(Provenance.witnessed) > 0
        v["has_imported"] = s.count(.imported) > 0
        let declared = s.attempts - s.count(TimeBasis.witnessed)
        put(&v, "declared_count", declared)
        v["declared_plural"] = w.plural(declared)
        put(&v, "witnessed_time_count", s.count(TimeBasis.witnessed))
        v["witnessed_time_plural"] = w.plural(s.count(TimeBasis.witnessed))
        v["all_witnessed_time"] = declared == 0
        v["all_declared"] = declared == s.attempts
        v["some_declared"] = declared > 0 && declared < s.attempts
        v["user_agent"] = data.technical.userAgents.first ?? ""
        v["has_user_agent"] = !(data.technical.userAgents.first ?? "").isEmpty
        if let gap = minimumGap(.captured), s.count(.captured) >= 2, gap >= Pace.minimumInterval {
            v["captured_paced"] = true
            v["captured_min_gap"] = durationPhrase(gap)
        } else {
            v["captured_paced"] = false
        }
        // The page and the counter.
        if let title = commonTitle() {
            v["page_title"] = title
            v["has_page_title"] = true
        } else {
            v["has_page_title"] = false
        }
        v["has_counter"] = data.technical.counter != nil
        v["counter"] = data.technical.counter ?? ""
        v["counter_seq"] = data.technical.counterSeq ?? 0
        // Slots.
        let sections = slotSections()
        v["slot_sections"] = sections
        v["slot_lines"] = Array(sections.prefix(3))
        v["slots_more"] = sections.count > 3
        put(&v, "slots_more_count", max(0, sections.count - 3))
        v["slots_more_plural"] = w.plural(sections.count - 3)
        v["publications"] = s.publications.map {
            ["text": $0.fact.text, "first_seq": $0.firstSeq, "times_seen": $0.timesSeen] as [String: Any]
        }
        v["has_publications"] = !s.publications.isEmpty
        // Notes (all of them, for the draft's démarches).
        v["all_notes"] = data.notes.map { n -> [String: Any] in
            ["recorded": w.longDate(n.recordedAt), "about": n.about, "text": n.text]
        }
        v["has_notes"] = !data.notes.isEmpty
        v["has_attempts_summary"] = true
        // The applicant's other steps, and their pièces.
        addSteps(&v)
        // Doubts.
        addDoubts(&v)
        addVisibility(&v)
        // Verification, seals, attestations.
        let ver = data.verification
        v["verify_intact"] = ver.verdict == .intact
        put(&v, "verify_problems", ver.problems.count)
        v["verify_first_bad"] = ver.firstBadSeq.map { String($0) } ?? ""
        put(&v, "verify_withheld", ver.withheld.count)
        v["has_withheld"] = !ver.withheld.isEmpty
        put(&v, "verify_captures", ver.captures.checked)
        put(&v, "verify_entries", ver.entries)
        v["verified_at"] = TimeFormat.parseUTC(ver.verifiedAt).map(dateTime) ?? ver.verifiedAt
        v["has_seals"] = !data.seals.isEmpty
        v["seals"] = data.seals.map { seal -> [String: Any] in
            [
                "seq": seal.seq, "tsa": seal.tsaName ?? seal.tsaURL, "tsa_url": seal.tsaURL,
                "gen_time": seal.genTime.flatMap(TimeFormat.parseUTC).map(dateTime) ?? "—",
                "state_label": templates.label("trust.\(seal.state.rawValue)"),
            ]
        }
        v["has_attestations"] = !data.attestations.isEmpty
        v["attestations"] = data.attestations.map { a -> [String: Any] in
            [
                "seq": a.seq, "name": a.name, "organisation": a.organisation,
                "time": TimeFormat.parseUTC(a.attestedAt).map(dateTime) ?? a.attestedAt,
                "verdict_label": templates.label("verdict.\(a.verdict)"),
                "state_label": templates.label("trust.\(a.state.rawValue)"),
            ]
        }
        addTechnical(&v)
        addTimes(&v)
        // PJ2.
        put(&v, "groups_count", groups.count)
        v["groups_plural"] = w.plural(groups.count)
        put(&v, "shown_count", shown.count)
        v["shown_plural"] = w.plural(shown.count)
        v["has_shown"] = !shown.isEmpty
        var reasons: [String] = []
        for label in shown.map({ templates.label("shown.\($0.reason.rawValue)") }) {
            let r = label.prefix(1).lowercased() + label.dropFirst()
            if !reasons.contains(r) { reasons.append(r) }
        }
        v["shown_reasons"] = reasons.joined(separator: ", ")
        return v
    }()

    func merged(_ extra: [String: Any]) -> [String: Any] {
        common.merging(extra) { _, new in new }
    }

    /// What PJ1's method says of visibility: how many outcomes rest on text whose display is uncertain,
    /// were checked in the browser, or were analysed before visibility was recorded.
    private func addVisibility(_ v: inout [String: Any]) {
        let uncertain = data.attempts.filter { $0.uncertain != nil }.count
        let browser = data.attempts.filter { $0.visibilityBasis == VisibilityRecord.browserBasis }.count
        let earlier = data.attempts.filter(\.earlierAnalysis).count
        v["uncertain_count"] = uncertain
        v["has_uncertain"] = uncertain > 0
        v["one_uncertain"] = uncertain == 1
        v["browser_checked_count"] = browser
        v["has_browser_checked"] = browser > 0
        v["one_browser_checked"] = browser == 1
        v["earlier_analysis_count"] = earlier
        v["has_earlier_analysis"] = earlier > 0
        v["one_earlier_analysis"] = earlier == 1
    }

    /// Parts of the day: « le matin, l'après-midi et le soir », or for one: « le matin, entre 9 h et 11 h ».
    private func bandsPhrase(_ s: CaseStatistics) -> String {
        let names: [CaseStatistics.HourBand: String] =
            language == .fr
            ? [.night: "la nuit", .morning: "le matin", .afternoon: "l'après-midi", .evening: "le soir"]
            : [
                .night: "at night", .morning: "in the morning", .afternoon: "in the afternoon",
                .evening: "in the evening",
            ]
        let bands = s.bandsCovered.compactMap { names[$0] }
        if bands.count >= 2 {
            let and = language == .fr ? " et " : " and "
            return bands.dropLast().joined(separator: ", ") + and + bands.last!
        }
        guard let band = bands.first, let lo = s.hoursCovered.first, let hi = s.hoursCovered.last else { return "" }
        return language == .fr
            ? "\(band), entre \(lo)\u{00A0}h et \(hi + 1)\u{00A0}h" : "\(band), between \(lo):00 and \(hi + 1):00"
    }

    /// The shortest time between two consecutive attempts of one provenance, in seconds.
    private func minimumGap(_ p: Provenance) -> TimeInterval? {
        let times = data.attempts.filter { $0.provenance == p }.map(\.observedAt).sorted()
        guard times.count >= 2 else { return nil }
        return zip(times, times.dropFirst()).map { $1.timeIntervalSince($0) }.min()
    }

    private func durationPhrase(_ seconds: TimeInterval) -> String {
        let minutes = Int(seconds / 60)
        if minutes < 120 {
            return language == .fr
                ? wording.count(minutes, "minute", "minutes") : wording.count(minutes, "minute", "minutes")
        }
        let hours = minutes / 60
        return language == .fr ? wording.count(hours, "heure", "heures") : wording.count(hours, "hour", "hours")
    }

    /// The title most pages that gave an answer carried (the booking page's), if any.
    private func commonTitle() -> String? {
        var counts: [String: Int] = [:]
        for a in data.attempts where a.category == .noSlot || a.category == .slot {
            guard let t = a.title?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { continue }
            counts[t, default: 0] += 1
        }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    // MARK: slots

    private func slotSections() -> [[String: Any]] {
        let byTime = data.attempts.sorted { ($0.observedAt, $0.seq) < ($1.observedAt, $1.seq) }
        return data.attempts.filter { $0.outcome == .slotAvailable }.map { a in
            var v: [String: Any] = [
                "seq": a.seq, "time": dateTime(a.observedAt), "url": a.url,
                "short_time": wording.shortDateTime(a.observedAt, seconds: false),
            ]
            let words = isPageWords(a)
            v["has_words"] = words
            v["words"] = words ? (a.message ?? "") : ""
            v["has_description"] = !words && a.message != nil
            v["description"] = words ? "" : (a.message ?? "")
            v["has_listed"] = a.facts?.slotsListed != nil
            v["listed"] =
                a.facts?.slotsListed.map { Count(value: $0, language: language) } ?? Count(value: 0, language: language)
            let notes = data.notes(about: a.seq)
            v["notes"] = notes.map { n -> [String: Any] in
                var m: [String: Any] = [
                    "recorded": dateTime(n.recordedAt), "text": n.text,
                    "kind": templates.label("note.kind.\(n.kind.rawValue)"),
                ]
                m["has_occurred"] = n.occurredAt != nil
                m["occurred"] = n.occurredAt.map(dateTime) ?? ""
                return m
            }
            v["has_notes"] = !notes.isEmpty
            put(&v, "notes_count", notes.count)
            v["notes_plural"] = wording.plural(notes.count)
            v["first_note"] = notes.first?.text ?? ""
            v["first_note_recorded"] = notes.first.map { wording.longDate($0.recordedAt) } ?? ""
            let next = byTime.filter { $0.observedAt > a.observedAt && $0.seq != a.seq }.prefix(2)
            v["next"] = next.map { n -> [String: Any] in
                ["seq": n.seq, "time": dateTime(n.observedAt), "outcome": outcomeLabel(n.outcome)]
            }
            v["has_next"] = !next.isEmpty
            v["next_time"] = next.first.map { dateTime($0.observedAt) } ?? ""
            v["next_outcome"] = next.first.map { outcomeLabel($0.outcome).lowercased() } ?? ""
            v["shown_in_pj2"] = shown.contains { $0.attempt.seq == a.seq }
            return v
        }
    }

    // MARK: doubts

    private func addDoubts(_ v: inout [String: Any]) {
        let s = data.statistics
        let stale = ConsistencyCheck.staleDays(last: s.last, now: data.generatedAt)
        v["stale"] = stale != nil
        v["stale_days"] = Count(value: stale ?? 0, language: language)
        v["stale_limit"] = ConsistencyCheck.staleAfterDays
        v["not_intact"] = data.verification.verdict != .intact
        // Page 1 names the first two pages classified two ways, with a few attempt numbers each; the
        // PJ2 index lists them all.
        v["same_page"] = data.consistency.samePage.prefix(2).map { group -> [String: Any] in
            let parts = group.outcomes.map { o -> String in
                let seqs = group.attempts.filter { $0.outcome == o }.map(\.seq)
                let shown = Wording.ranges(Array(seqs.prefix(5)))
                let more =
                    seqs.count > 5
                    ? (language == .fr
                        ? " et \(wording.count(seqs.count - 5, "autre", "autres"))" : " and \(seqs.count - 5) more")
                    : ""
                return "\(outcomeLabel(o).lowercased()) (n°\u{00A0}\(shown)\(more))"
            }
            return ["sightings": parts.joined(separator: language == .fr ? " ; " : "; "), "digest": group.digest]
        }
        v["same_page_more"] = data.consistency.samePage.count > 2
        put(&v, "same_page_more_count", max(0, data.consistency.samePage.count - 2))
        v["has_same_page"] = !data.consistency.samePage.isEmpty
        v["early"] = data.consistency.earlyStatements.prefix(3).map { e -> [String: Any] in
            [
                "source_label": templates.label("source.\(e.source.rawValue)"), "is_note": e.source == .note,
                "declared": wording.longDate(e.declaredAt), "mentioned": wording.longDate(e.mentioned),
                "excerpt": e.excerpt.hasSuffix(".") ? String(e.excerpt.dropLast()) : e.excerpt, "seq": e.seq,
            ]
        }
        v["has_early"] = !data.consistency.earlyStatements.isEmpty
        let declaredOnly = s.count(TimeBasis.witnessed) == 0
        v["has_doubts"] =
            data.time.contradicted > 0 || stale != nil || data.verification.verdict != .intact
            || !data.consistency.isEmpty || s.weeks.count == 1
            || declaredOnly || data.steps.contains { !$0.doubts.isEmpty }
    }

    // MARK: times

    /// How each attempt's time was checked (TimeCorroboration, docs/FORMAT.md §8): page 1's « Les
    /// heures », the list of contradicted times and seal windows, and the method's counts. Only what the
    /// store's evidence supports: a check that did not hold is never stated as one.
    private func addTimes(_ v: inout [String: Any]) {
        let t = data.time
        let w = wording
        put(&v, "time_attempts", t.attempts)
        put(&v, "time_corroborated", t.corroborated)
        put(&v, "time_by_server", t.byServer)
        put(&v, "time_by_seals", t.bySealsOnly)
        put(&v, "time_agree_seconds", Int(t.serverAgreementSeconds ?? 0))
        put(&v, "time_uncorroborated", t.uncorroborated.total)
        put(&v, "time_contradicted", t.contradicted)
        v["time_all_by_server"] = t.byServer == t.attempts && t.attempts > 0
        v["time_tolerance"] = TimeText.duration(TimeRules.toleranceMs, language: language)
        v["time_reasons"] = UncorroboratedReason.allCases.compactMap { r -> String? in
            let n = t.uncorroborated[r]
            return n > 0 ? "\(templates.label("time_reason.\(r.rawValue)")) : \(w.number(n))" : nil
        }.joined(separator: language == .fr ? " ; " : "; ")
        func wall(_ utc: String?) -> String {
            utc.flatMap(TimeFormat.parseUTC).map { w.longDateTime($0, seconds: true) } ?? "—"
        }
        let contradicted = data.attempts.filter(\.timeContradicted)
        let lines = contradicted.map { a -> [String: Any] in
            let problems = (a.time?.problems ?? []).filter(\.code.contradicts)
            return [
                "seq": a.seq, "recorded": wall(a.time?.observedAt ?? a.time?.recordedAt),
                "problems": problems.map { ["text": $0.text(language)] },
                "has_server_time": a.time?.serverTime != nil, "server_time": wall(a.time?.serverTime),
                "outcome": outcomeLabel(a.outcome),
            ]
        }
        let shown = 5
        v["contradicted_lines"] = Array(lines.prefix(shown))
        v["contradicted_all"] = lines
        put(&v, "contradicted_more", max(0, lines.count - shown))
        // Seal windows: attempts between two seals, and those with none.
        let windows = data.attempts.compactMap { a -> [String: Any]? in
            guard let (lower, upper) = a.time?.window else { return nil }
            return ["seq": a.seq, "window": TimeText.window(lower, upper, language: language)]
        }
        let without = data.attempts.filter { $0.time?.window == nil }.map(\.seq)
        v["has_seal_windows"] = !data.seals.isEmpty
        put(&v, "time_windows", windows.count)
        put(&v, "time_without_window", without.count)
        v["time_window_lines"] = windows
        v["time_window_first_seq"] = windows.first?["seq"] ?? ""
        v["time_window_first_text"] = windows.first?["window"] ?? ""
        v["time_window_last_seq"] = windows.last?["seq"] ?? ""
        v["time_window_last_text"] = windows.last?["window"] ?? ""
        v["has_time_window_last"] = windows.count > 1
        v["time_without_list"] = Wording.ranges(without)
        v["has_time_section"] = t.attempts > 0
    }

    // MARK: technical box

    private func addTechnical(_ v: inout [String: Any]) {
        let t = data.technical
        let sep = language == .fr ? " ; " : "; "
        v["has_live"] = t.liveAttempts > 0
        v["tech_systems"] = t.systems.joined(separator: sep)
        v["tech_tools"] = t.tools.joined(separator: sep)
        v["tech_user_agents"] = t.userAgents.joined(separator: sep)
        v["tech_proxies"] = t.proxies.map { $0 == "none" ? templates.label("none") : $0 }.joined(separator: sep)
        v["tech_browsers"] = t.browsers.joined(separator: sep)
        v["has_browsers"] = !t.browsers.isEmpty
        put(&v, "tech_fresh", t.freshSessions)
        put(&v, "tech_live", t.liveAttempts)
        v["tech_servers"] = t.servers.prefix(6).joined(separator: ", ") + (t.servers.count > 6 ? ", …" : "")
        v["has_servers"] = !t.servers.isEmpty
        v["tech_certificates"] = t.certificates.prefix(3).map { c -> [String: Any] in
            [
                "subject": c.subject, "issuer": c.issuer,
                "not_after": c.notAfter.flatMap(TimeFormat.parseUTC).map { wording.longDate($0) }
                    ?? (c.notAfter ?? "—"),
                "sha": c.sha256.map { Wording.grouped($0, groups: 4) } ?? "—",
            ]
        }
        v["has_tls"] = t.tlsVerified + t.tlsUnverified > 0
        put(&v, "tech_tls_verified", t.tlsVerified)
        put(&v, "tech_tls_unverified", t.tlsUnverified)
        v["has_tls_unverified"] = t.tlsUnverified > 0
        v["has_clock"] = !t.clockOffsets.isEmpty
        put(&v, "tech_clock_count", t.clockOffsets.count)
        v["tech_clock_plural"] = wording.plural(t.clockOffsets.count)
        func seconds(_ ms: Int) -> String {
            let s = String(format: "%+.1f", Double(ms) / 1000)
            return language == .fr ? s.replacingOccurrences(of: ".", with: ",") : s
        }
        v["tech_clock_min"] = t.clockOffsets.min().map(seconds) ?? ""
        v["tech_clock_max"] = t.clockOffsets.max().map(seconds) ?? ""
        v["has_path"] = !t.path.isEmpty
        v["tech_path_seq"] = t.pathSeq ?? 0
        v["tech_path"] = t.path.map { ["line": $0] }
        v["tech_steps"] = t.stepDescriptions.map { ["line": $0] }
    }

    // MARK: per document

    func pj1() -> [String: Any] { common }

    func pj2(shown indices: [Int], part: (Int, Int)?) -> [String: Any] {
        let state = rendererInfo
        var v: [String: Any] = [
            "has_part": part != nil, "part": part?.0 ?? 1, "parts": part?.1 ?? 1,
            "show_index": part == nil || part?.0 == part?.1,
            "has_renderer": state.product != nil, "renderer_missing": state.unavailable != nil,
            "renderer": state.product ?? "",
            "renderer_unavailable": state.unavailable ?? "",
        ]
        v["shown"] = indices.compactMap { i in shown[safe: i].map(shownValues) }
        return merged(v)
    }

    private func shownValues(_ page: ShownPage) -> [String: Any] {
        let a = page.attempt
        var v: [String: Any] = [
            "index": page.index, "seq": a.seq, "reason": templates.label("shown.\(page.reason.rawValue)"),
            "url": a.url, "time": wording.longDateTime(a.observedAt, seconds: true),
            "declared": a.timeBasis != .witnessed, "provenance": templates.label("provenance.\(a.provenance.rawValue)"),
            "outcome": outcomeLabel(a.outcome), "digest": a.page.map { Wording.grouped($0.digest) } ?? "—",
        ]
        let words = isPageWords(a)
        v["has_message"] = words
        v["message"] = words ? (a.message ?? "") : ""
        v["has_description"] = !words && a.message != nil
        v["description"] = words ? "" : (a.message ?? "")
        v["has_uncertain"] = a.uncertain != nil
        v["uncertain"] = a.uncertain.map { templates.label("visibility.\($0.rawValue)") } ?? ""
        switch image(for: page.index) {
        case .rendered(_, let missing)?:
            v["is_rendered"] = true
            v["missing_text"] =
                missing == 0
                ? templates.label("missing.none") : "\(templates.label("missing.some")) \(wording.number(missing))"
        case .screenshot?:
            v["is_screenshot"] = true
        case .text(let reason)?:
            v["is_text"] = true
            v["no_image_reason"] = reason
        case nil:
            v["is_text"] = true
            v["no_image_reason"] = templates.label("no_image.no_browser")
        }
        return v
    }

    func journal() -> [String: Any] {
        merged([
            "urls": journalURLs.map { ["code": $0.code, "url": $0.url] },
            "messages": journalMessages.map { ["code": $0.code, "text": $0.text] },
        ])
    }

    /// The pièce lines of the inventory and the draft, and the file details.
    func pieceValues(_ files: [DossierFile]) -> [[String: Any]] {
        files.compactMap { f -> [String: Any]? in
            guard let number = f.piece, let p = pieces.first(where: { $0.number == number }) else { return nil }
            var v: [String: Any] = [
                "number": number, "label": p.label, "file": f.name, "sha256": Wording.grouped(f.sha256),
                "size": ByteCount.format(Int64(f.bytes)), "is_pj1": p.kind == .releve, "is_pj2": p.kind == .captures,
                "is_journal": p.kind == .journal, "line": bordereauLine(p, part: f.part, parts: f.parts),
                "has_part": f.part != nil, "part": f.part ?? 0, "parts": f.parts ?? 0,
            ]
            put(&v, "pages", f.pages ?? 0)
            v["has_pages"] = f.pages != nil
            if let proof = proofs.first(where: { $0.piece.number == number }) {
                v["is_proof"] = true
                v["proof_is_pdf"] = proof.form == .pdf
                v["proof_is_image"] = proof.form == .image
                v["proof_is_email"] = proof.form == .email
                v["proof_file"] = proof.proof.name ?? "—"
                v["proof_media"] = templates.label("media.\(proof.proof.mediaType ?? "")")
                v["proof_size"] = ByteCount.format(proof.proof.size)
                v["proof_sha256"] = Wording.grouped(proof.proof.digest)
                v["proof_seq"] = proof.seq
                v["proof_original"] = proof.originalFileName
                v["proof_same_bytes"] = proof.proof.digest == f.sha256
            }
            return v
        }
    }

    /// One line of the bordereau: `Pièce n° 1 : Relevé horodaté des tentatives…`.
    func bordereauLine(_ p: DossierPiece, part: Int?, parts: Int?) -> String {
        guard let part, let parts else { return p.title(language) }
        return p.title(language) + (language == .fr ? " (partie \(part) sur \(parts))" : " (part \(part) of \(parts))")
    }

    func inventory(files: [DossierFile]) -> [String: Any] { merged(["pieces": pieceValues(files)]) }

    func requete(files: [DossierFile]) -> [String: Any] { merged(["pieces": pieceValues(files)]) }

    func html(files: [DossierFile]) -> [String: Any] {
        var v: [String: Any] = ["pieces": pieceValues(files)]
        v["rows"] = data.attempts.map { a -> [String: Any] in
            [
                "seq": a.seq, "time": wording.shortDateTime(a.observedAt), "url": a.url,
                "provenance": provenanceLabel(a), "outcome": outcomeLabel(a.outcome), "outcome_key": a.outcome.rawValue,
                "has_message": isPageWords(a), "message": a.message ?? "",
                "description": isPageWords(a) ? "" : (a.message ?? a.failure ?? ""), "uncertain": a.uncertain != nil,
                "uncertain_label": templates.label("visibility.uncertain"),
                "digest": a.page.map { Wording.grouped($0.digest, groups: 4) } ?? "—",
            ]
        }
        v["weeks_rows"] = weekRows(limit: nil).map { r -> [String: Any] in
            [
                "label": r.label, "attempts": r.attempts, "days": r.days, "no_slot": r.count(.noSlot),
                "site_error": r.count(.siteError), "slot": r.count(.slot), "inconclusive": r.count(.inconclusive),
            ]
        }
        v["daily_rows"] = dailyRows().map { d -> [String: Any] in
            [
                "day": d.label, "count": d.items.count,
                "times": d.items.map { "\($0.time) \($0.code)" }.joined(separator: " · "),
                "seqs": Wording.ranges(d.seqs),
            ]
        }
        v["index_rows"] = indexRows().map { r -> [String: Any] in
            ["page": r.page, "digest": Wording.grouped(r.digest), "seqs": r.seqs, "outcomes": r.outcomes]
        }
        v["shown"] = shown.map { page -> [String: Any] in
            var s = shownValues(page)
            switch image(for: page.index) {
            case .rendered(let png, _)?, .screenshot(let png)?:
                s["image_data_uri"] = "data:image/png;base64," + png.base64EncodedString()
            default:
                if let markup = visibleMarkup(page.attempt, html: true) { s["visible_html"] = Trusted(markup: markup) }
            }
            return s
        }
        v["chart_per_day_svg"] = Trusted(
            markup: svg(height: 190, id: "per-day") { canvas in
                self.perDayChart().draw(on: canvas, x: 0, y: 0, width: PageGeometry.contentWidth, height: 190)
            })
        v["chart_heatmap_svg"] = Trusted(
            markup: svg(height: 200, id: "heatmap") { canvas in
                self.heatMapChart().draw(on: canvas, x: 0, y: 0, width: PageGeometry.contentWidth, height: 200)
            })
        return merged(v)
    }

    func perDayChart() -> PerDayChart {
        PerDayChart(
            days: data.statistics.everyDayTally, labels: { self.outcomeLabel($0) },
            title: templates.label("chart.per_day"),
            dayFormat: { iso in
                let p = iso.split(separator: "-")
                guard p.count == 3 else { return iso }
                return self.language == .fr ? "\(p[2])/\(p[1])" : "\(p[1])-\(p[2])"
            })
    }

    func heatMapChart() -> HeatMapChart {
        HeatMapChart(
            grid: data.statistics.weekdayHour, weekdays: (0..<7).map { templates.label("weekday.\($0)") },
            title: templates.label("chart.heatmap"), legendText: templates.label("chart.heatmap_legend"))
    }

    /// A chart as inline SVG whose ids (cairo's glyphs, clips, surfaces) are its own: two charts in one
    /// HTML page must not share an id, or the second draws the first one's glyphs (a count of 1 read "N").
    private func svg(height: Double, id: String, _ draw: (CairoCanvas) -> Void) -> String {
        guard let canvas = try? CairoCanvas(svgWidth: PageGeometry.contentWidth, height: height) else { return "" }
        draw(canvas)
        var text = canvas.svgText()
        // Inline in HTML: drop the XML declaration.
        if let r = text.range(of: "<svg") { text = String(text[r.lowerBound...]) }
        return SVGIDs.prefixed(text, with: "chart-\(id)-").replacingOccurrences(of: "\n", with: " ")
    }

    // MARK: tables drawn by code

    struct WeekRow {
        var label: String
        var attempts: Int
        var days: Int
        var byCategory: [OutcomeCategory: Int]
        var isSummary = false
        func count(_ c: OutcomeCategory) -> Int { byCategory[c] ?? 0 }
    }

    /// Attempts per ISO week (Paris), oldest first. With `limit`, the oldest weeks beyond it are summed in
    /// one row, so that page 1 stays one page; a total row closes the table.
    func weekRows(limit: Int?) -> [WeekRow] {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeFormat.paris
        var order: [Date] = []
        var rows: [Date: (Int, Set<String>, [OutcomeCategory: Int])] = [:]
        // A contradicted time is in no week (it is listed apart, with its figures).
        let counted = data.attempts.filter { !$0.timeContradicted }
        for a in counted {
            guard let monday = calendar.dateInterval(of: .weekOfYear, for: a.observedAt)?.start else { continue }
            if rows[monday] == nil { order.append(monday) }
            let p = wording.parts(a.observedAt)
            var r = rows[monday] ?? (0, [], [:])
            r.0 += 1
            r.1.insert(String(format: "%04d-%02d-%02d", p.year, p.month, p.day))
            r.2[a.category, default: 0] += 1
            rows[monday] = r
        }
        order.sort()
        var out = order.map { m -> WeekRow in
            let r = rows[m]!
            return WeekRow(label: wording.shortWeekRange(monday: m), attempts: r.0, days: r.1.count, byCategory: r.2)
        }
        if let limit, out.count > limit {
            let older = out.prefix(out.count - limit + 1)
            var sum = WeekRow(label: "", attempts: 0, days: 0, byCategory: [:], isSummary: true)
            for r in older {
                sum.attempts += r.attempts
                sum.days += r.days
                for (k, n) in r.byCategory { sum.byCategory[k, default: 0] += n }
            }
            let first = order.first!
            sum.label =
                "\(templates.label("week.earlier")) (\(language == .fr ? "depuis le" : "from") \(wording.shortDate(first)))"
            out = [sum] + out.suffix(limit - 1)
        }
        var total = WeekRow(
            label: templates.label("week.total"), attempts: counted.count, days: data.statistics.days.count,
            byCategory: Dictionary(grouping: counted, by: \.category).mapValues(\.count), isSummary: true)
        total.isSummary = true
        return out + [total]
    }

    struct DayRow {
        var year: Int
        var month: Int
        var label: String
        var items: [(time: String, code: String, declared: Bool)]
        var seqs: [Int64]
    }

    /// One row per Paris day with attempts, in time order.
    func dailyRows() -> [DayRow] {
        var rows: [DayRow] = []
        var index: [String: Int] = [:]
        // A contradicted time is on no day: it is listed apart (« Heures contredites »).
        for a in data.attempts.filter({ !$0.timeContradicted }).sorted(by: {
            ($0.observedAt, $0.seq) < ($1.observedAt, $1.seq)
        }) {
            let p = wording.parts(a.observedAt)
            let key = String(format: "%04d-%02d-%02d", p.year, p.month, p.day)
            if index[key] == nil {
                index[key] = rows.count
                rows.append(
                    DayRow(year: p.year, month: p.month, label: wording.shortDate(a.observedAt), items: [], seqs: []))
            }
            let i = index[key]!
            // In italics: a time nothing confirms (declared, unreachable site, no server date, no exchange).
            rows[i].items.append(
                (
                    wording.time(a.observedAt), outcomeCode(a.outcome),
                    a.timeBasis != .witnessed || a.timeUncorroborated
                ))
            rows[i].seqs.append(a.seq)
        }
        return rows
    }

    /// The journal's address and message codes: each distinct value once, in order of first use.
    lazy var journalURLs: [(code: String, url: String)] = {
        var out: [(String, String)] = []
        for a in data.attempts where !out.contains(where: { $0.1 == a.url }) {
            out.append(("U\(out.count + 1)", a.url))
        }
        return out
    }()

    lazy var journalMessages: [(code: String, text: String, words: Bool)] = {
        var out: [(String, String, Bool)] = []
        for a in data.attempts {
            guard let m = a.message ?? a.failure, !out.contains(where: { $0.1 == m }) else { continue }
            out.append(("M\(out.count + 1)", m, a.message != nil && isPageWords(a)))
        }
        return out
    }()

    struct IndexRow {
        var page: String
        var digest: String
        var seqs: String
        var outcomes: String
        var mixed: Bool
    }

    func indexRows() -> [IndexRow] {
        groups.enumerated().map { i, g in
            var outcomes: [Outcome] = []
            for a in g.attempts where !outcomes.contains(a.outcome) { outcomes.append(a.outcome) }
            let seqs = Wording.ranges(g.attempts.map(\.seq))
            return IndexRow(
                page: "P\(i + 1)", digest: g.page.digest,
                seqs:
                    "\(wording.count(g.attempts.count, language == .fr ? "fois" : "time", language == .fr ? "fois" : "times")) : n°\u{00A0}\(seqs)",
                outcomes: outcomes.map(outcomeLabel).joined(separator: " / "), mixed: outcomes.count > 1)
        }
    }

    // MARK: page text

    /// The page's visible text (as the analysis sees it), escaped, with the recorded message highlighted
    /// when it is the page's own words. Nil when the capture's bytes were withheld.
    func visibleMarkup(_ a: DossierAttempt, html: Bool = false) -> String? {
        guard let text = visibleText(of: a).map({ String($0.prefix(6000)) }) else { return nil }
        let open = html ? "<mark>" : "<span background=\"#ffe680\"><b>"
        let close = html ? "</mark>" : "</b></span>"
        guard isPageWords(a), let message = a.message,
            let r = text.range(of: message, options: [.caseInsensitive, .diacriticInsensitive])
        else { return Markup.escape(text) }
        return Markup.escape(String(text[..<r.lowerBound])) + open + Markup.escape(String(text[r])) + close
            + Markup.escape(String(text[r.upperBound...]))
    }

    /// The image bytes of a shown page's witnessed screenshot, when it has one.
    func screenshotBytes(_ a: DossierAttempt) -> Data? {
        guard let shot = a.screenshot else { return nil }
        return try? store.captureBytes(digest: shot.digest)
    }
}

/// Gives every `id` of an SVG document (and every reference to one) a prefix of its own.
enum SVGIDs {
    static func prefixed(_ svg: String, with prefix: String) -> String {
        var out = svg
        for (pattern, template) in [
            (#"(\sid=")"#, "$1\(prefix)"), (##"(href="#)"##, "$1\(prefix)"), (#"(url\(#)"#, "$1\(prefix)"),
        ] {
            out = out.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        return out
    }
}
