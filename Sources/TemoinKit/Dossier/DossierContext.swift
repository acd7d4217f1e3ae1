import Foundation
import Synchronization

/// What the templates see: the dossier's data as Mustache values (Templates/README.md lists them),
/// with dates written the way the chosen language writes them.
/// Read-only once built (`prepare()` fills the shared values before PJ1 and PJ2 are drawn on two threads).
final class DossierContext: @unchecked Sendable {
    let data: DossierData
    let templates: DossierTemplates
    let store: Store
    let language: Language
    let groups: [GroupInfo]
    /// Visible text of each page group, by index, once analysed.
    private let visibleTexts = Mutex<[Int: String]>([:])
    private var calendar: Calendar

    struct GroupInfo {
        var group: CaptureGroup
        var screenshotBytes: Int
    }

    init(data: DossierData, templates: DossierTemplates, store: Store, language: Language) {
        self.data = data
        self.templates = templates
        self.store = store
        self.language = language
        calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeFormat.paris
        groups = data.captureGroups.map { g in
            GroupInfo(group: g, screenshotBytes: Int(g.attempts.compactMap(\.screenshot).first?.size ?? 0))
        }
    }

    // MARK: formats

    private func parts(_ date: Date) -> DateComponents {
        calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }

    /// `22/11/2026 à 14:05:09` (fr) or `2026-11-22 at 14:05:09` (en), Paris time.
    func dateTime(_ date: Date) -> String {
        let c = parts(date)
        let time = String(format: "%02d:%02d:%02d", c.hour!, c.minute!, c.second!)
        return "\(day(date)) \(templates.label("at")) \(time)"
    }

    func day(_ date: Date) -> String {
        let c = parts(date)
        return language == .fr
            ? String(format: "%02d/%02d/%04d", c.day!, c.month!, c.year!)
            : String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// `YYYY-MM-DD` to the chart's short form (`22/11` or `11-22`).
    func shortDay(_ iso: String) -> String {
        let p = iso.split(separator: "-")
        guard p.count == 3 else { return iso }
        return language == .fr ? "\(p[2])/\(p[1])" : "\(p[1])-\(p[2])"
    }

    func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    func outcomeLabel(_ o: Outcome) -> String { templates.label("outcome.\(o.rawValue)") }

    func provenanceLabel(_ a: DossierAttempt) -> String {
        let p = templates.label("provenance.\(a.provenance.rawValue)")
        return a.timeBasis == .witnessed ? p : p + " (" + templates.label("time_basis.\(a.timeBasis.rawValue)") + ")"
    }

    // MARK: shared values

    /// Computes the shared values now, before several threads read them.
    func prepare() { _ = common }

    private lazy var common: [String: Any] = {
        let f = data.caseRecord.fields
        let s = data.statistics
        let v = data.verification
        let total = max(1, s.attempts)
        var values: [String: Any] = [
            "applicant": f.applicant, "prefecture": f.prefecture, "procedure": f.procedure,
            "booking_url": f.bookingURL, "profile": f.profile,
            "facts_lines": f.facts.split(separator: "\n").map { ["line": String($0)] },
            "has_facts": !f.facts.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
            "opened_at": TimeFormat.parseUTC(data.caseRecord.openedAt).map(dateTime) ?? data.caseRecord.openedAt,
            "generated_at": dateTime(data.generatedAt), "generated_day": day(data.generatedAt),
            "period_from": (data.from ?? s.first).map(day) ?? "", "period_to": (data.to ?? s.last).map(day) ?? "",
            "head_display": data.head.display,
            "head_short": "#\(data.head.seq) · "
                + data.head.groupedHash.split(separator: " ").prefix(2).joined(separator: " ")
                + " …", "head_seq": data.head.seq, "head_hash": data.head.hash,
            "store_id": data.storeID, "tool_version": Temoin.version,
            "attempts": s.attempts, "days_count": s.days.count, "weeks_count": s.weeks.count,
            "hours_count": s.hoursCovered.count, "hours_list": s.hoursCovered.map { "\($0) h" }.joined(separator: ", "),
            "weeks_list": s.weeks.joined(separator: ", "),
            "first": s.first.map(dateTime) ?? "", "last": s.last.map(dateTime) ?? "",
            "outcomes": OutcomePalette.order.compactMap { o -> [String: Any]? in
                guard let n = s.byOutcome[o], n > 0 else { return nil }
                return [
                    "label": outcomeLabel(o), "count": n,
                    "percent": String(format: "%.0f", 100 * Double(n) / Double(total)),
                    "color": OutcomePalette.color(o).hex,
                ]
            },
            "slots_count": s.slotsSeen.count, "has_slots": !s.slotsSeen.isEmpty, "one_slot": s.slotsSeen.count == 1,
            "slot_attempts": s.slotsSeen.map { ["seq": $0.seq, "time": dateTime($0.at)] as [String: Any] },
            "publications": s.publications.map {
                ["text": $0.fact.text, "first_seq": $0.firstSeq, "times_seen": $0.timesSeen] as [String: Any]
            },
            "has_publications": !s.publications.isEmpty,
            "count_captured": s.byProvenance[.captured] ?? 0, "count_witnessed": s.byProvenance[.witnessed] ?? 0,
            "count_imported": s.byProvenance[.imported] ?? 0,
            "has_captured": (s.byProvenance[.captured] ?? 0) > 0,
            "has_witnessed": (s.byProvenance[.witnessed] ?? 0) > 0,
            "has_imported": (s.byProvenance[.imported] ?? 0) > 0,
            "declared_count": data.attempts.filter { $0.timeBasis != .witnessed }.count,
            "uncertain_count": data.attempts.filter { $0.uncertain != nil }.count,
            "has_uncertain": data.attempts.contains { $0.uncertain != nil },
            "one_uncertain": data.attempts.filter { $0.uncertain != nil }.count == 1,
            "browser_checked_count": data.attempts.filter { $0.visibilityBasis == VisibilityRecord.browserBasis }.count,
            "has_browser_checked": data.attempts.contains { $0.visibilityBasis == VisibilityRecord.browserBasis },
            "earlier_analysis_count": data.attempts.filter { $0.earlierAnalysis }.count,
            "has_earlier_analysis": data.attempts.contains { $0.earlierAnalysis },
            "one_earlier_analysis": data.attempts.filter { $0.earlierAnalysis }.count == 1,
            "one_browser_checked": data.attempts.filter { $0.visibilityBasis == VisibilityRecord.browserBasis }.count
                == 1,
            "verify_intact": v.verdict == .intact, "verify_problems": v.problems.count,
            "verify_first_bad": v.firstBadSeq.map { String($0) } ?? "",
            "verify_withheld": v.withheld.count, "has_withheld": !v.withheld.isEmpty,
            "verify_captures": v.captures.checked,
            "verify_entries": v.entries,
            "verified_at": TimeFormat.parseUTC(v.verifiedAt).map(dateTime) ?? v.verifiedAt,
            "groups_count": groups.count,
        ]
        values["single_week"] = s.weeks.count == 1
        values["has_seals"] = !data.seals.isEmpty
        values["seals"] = data.seals.map { seal -> [String: Any] in
            [
                "seq": seal.seq, "tsa": seal.tsaName ?? seal.tsaURL, "tsa_url": seal.tsaURL,
                "gen_time": seal.genTime.flatMap(TimeFormat.parseUTC).map(dateTime) ?? "—",
                "state_label": templates.label("trust.\(seal.state.rawValue)"), "detail": seal.detail ?? "",
            ]
        }
        values["has_attestations"] = !data.attestations.isEmpty
        values["attestations"] = data.attestations.map { a -> [String: Any] in
            [
                "seq": a.seq, "name": a.name, "organisation": a.organisation,
                "time": TimeFormat.parseUTC(a.attestedAt).map(dateTime) ?? a.attestedAt,
                "verdict_label": templates.label("verdict.\(a.verdict)"),
                "state_label": templates.label("trust.\(a.state.rawValue)"),
                "fingerprint": String(a.keyFingerprint.prefix(16)),
            ]
        }
        return values
    }()

    private func merged(_ extra: [String: Any]) -> [String: Any] {
        common.merging(extra) { _, new in new }
    }

    func pj1() -> [String: Any] { common }

    /// A message of several blocks (a heading and its body) as one template line: the templates render
    /// one block per line, so the page's line breaks become Unicode line separators, which Pango
    /// breaks on.
    static func oneBlock(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\u{2028}") }

    private func groupValues(_ index: Int) -> [String: Any] {
        let g = groups[index].group
        let first = g.attempts.first!
        return [
            "index": index, "number": index + 1, "url": first.url, "digest": g.page.digest,
            "size": g.page.size, "count": g.attempts.count, "outcome_label": outcomeLabel(first.outcome),
            "message": Self.oneBlock(first.message ?? ""), "has_message": first.message != nil,
            "description": first.description ?? "", "has_description": first.description != nil,
            "uncertain": first.uncertain.map { templates.label("visibility.\($0.rawValue)") } ?? "",
            "has_uncertain": first.uncertain != nil,
            "first_time": dateTime(first.observedAt), "last_time": dateTime(g.attempts.last!.observedAt),
            "attempts_list": g.attempts.map { "n° \($0.seq) (\(dateTime($0.observedAt)))" }.joined(separator: ", "),
            "has_screenshot": g.attempts.contains { $0.screenshot != nil },
            "provenance_label": provenanceLabel(first),
        ]
    }

    func pj2(groups indices: [Int], part: (Int, Int)?) -> [String: Any] {
        merged([
            "groups": indices.map(groupValues), "has_part": part != nil, "part": part?.0 ?? 1,
            "parts": part?.1 ?? 1,
        ])
    }

    func inventory(pieces: [DossierFile]) -> [String: Any] {
        merged(["pieces": pieceValues(pieces)])
    }

    private func pieceValues(_ pieces: [DossierFile]) -> [[String: Any]] {
        pieces.map { f in
            let isPJ1 = f.piece == 1
            return [
                "number": f.piece ?? 0, "file": f.name, "pages": f.pages ?? 0, "sha256": f.sha256,
                "size_kb": (f.bytes + 1023) / 1024, "is_pj1": isPJ1, "is_pj2": f.piece == 2,
                "part": f.name.hasPrefix("PJ2-") ? String(f.name.dropFirst(4).prefix { $0 != "_" }) : "",
                "has_part": f.name.hasPrefix("PJ2-"),
            ]
        }
    }

    func requete(pieces: [DossierFile]) -> [String: Any] {
        merged(["pieces": pieceValues(pieces)])
    }

    func html(pieces: [DossierFile]) -> [String: Any] {
        let rows: [[String: Any]] = data.attempts.map { a in
            [
                "seq": a.seq, "time": dateTime(a.observedAt), "url": a.url, "provenance": provenanceLabel(a),
                "outcome": outcomeLabel(a.outcome), "outcome_key": a.outcome.rawValue,
                "message": Self.oneBlock(a.message ?? ""), "has_message": a.message != nil,
                "description": a.description ?? a.failure ?? "", "uncertain": a.uncertain != nil,
                "uncertain_label": templates.label("visibility.uncertain"),
                "digest": a.page.map { String($0.digest.prefix(16)) } ?? "—",
                "hash": a.hash,
            ]
        }
        var g: [[String: Any]] = []
        for i in groups.indices {
            var values = groupValues(i)
            values["visible_html"] = visibleMarkup(group: i, html: true) ?? ""
            if let shot = groups[i].group.attempts.compactMap(\.screenshot).first,
                let bytes = try? store.captureBytes(digest: shot.digest)
            {
                values["screenshot_data_uri"] = "data:image/png;base64," + bytes.base64EncodedString()
            }
            g.append(values)
        }
        return merged([
            "rows": rows, "groups": g, "pieces": pieceValues(pieces),
            "chart_per_day_svg": svg(height: 190) { canvas in
                PerDayChart(
                    days: data.statistics.everyDayTally, labels: { self.outcomeLabel($0) },
                    title: templates.label("chart.per_day"), dayFormat: shortDay
                ).draw(on: canvas, x: 0, y: 0, width: PageGeometry.contentWidth, height: 190)
            },
            "chart_heatmap_svg": svg(height: 200) { canvas in
                HeatMapChart(
                    grid: data.statistics.weekdayHour, weekdays: (0..<7).map { templates.label("weekday.\($0)") },
                    title: templates.label("chart.heatmap"), legendText: templates.label("chart.heatmap_legend")
                ).draw(on: canvas, x: 0, y: 0, width: PageGeometry.contentWidth, height: 200)
            },
        ])
    }

    private func svg(height: Double, _ draw: (CairoCanvas) -> Void) -> String {
        guard let canvas = try? CairoCanvas(svgWidth: PageGeometry.contentWidth, height: height) else { return "" }
        draw(canvas)
        let text = canvas.svgText()
        // Inline in HTML: drop the XML declaration.
        if let r = text.range(of: "<svg") { return String(text[r.lowerBound...]) }
        return text
    }

    // MARK: captures

    /// The page's visible text (as the analysis sees it), escaped, with the recorded message highlighted.
    /// Nil when the capture's bytes were withheld.
    func visibleMarkup(group index: Int, html: Bool = false) -> String? {
        guard let g = groups[safe: index]?.group else { return nil }
        let first = g.attempts.first!
        // PJ2 (whole, then its parts) and the HTML copy all show it: each page is read and analysed once.
        let cached = visibleTexts.withLock { $0[index] }
        guard let text = cached ?? analysedText(g) else {
            let note = Markup.escape(templates.label("capture.withheld"))
            return html ? note : "<i>\(note)</i>"
        }
        if cached == nil { visibleTexts.withLock { $0[index] = text } }
        let open = html ? "<mark>" : "<span background=\"#ffe680\"><b>"
        let close = html ? "</mark>" : "</b></span>"
        guard let message = first.message, !message.isEmpty,
            let r = text.range(of: message, options: [.caseInsensitive, .diacriticInsensitive])
        else { return Markup.escape(text) }
        return Markup.escape(String(text[..<r.lowerBound])) + open + Markup.escape(String(text[r])) + close
            + Markup.escape(String(text[r.upperBound...]))
    }

    /// The visible text of a group's page as the analysis sees it (hidden text excluded); nil when the
    /// capture's bytes were withheld.
    private func analysedText(_ g: CaptureGroup) -> String? {
        guard let bytes = try? store.captureBytes(digest: g.page.digest) else { return nil }
        let first = g.attempts.first!
        let ruleSet =
            (try? RuleSet.loadBuiltIn(first.profile ?? "generic")) ?? (try? RuleSet.loadBuiltIn("generic"))
            ?? RuleSet.common
        let analysis = PageAnalyzer(ruleSet: ruleSet).analyze(bytes, contentType: g.page.mediaType, url: first.url)
        return clip(analysis.visibleText, 6000)
    }

    func screenshot(group index: Int) -> PNGImage? {
        guard let g = groups[safe: index]?.group, let shot = g.attempts.compactMap(\.screenshot).first,
            let bytes = try? store.captureBytes(digest: shot.digest)
        else { return nil }
        return PNGImage(data: bytes)
    }
}
