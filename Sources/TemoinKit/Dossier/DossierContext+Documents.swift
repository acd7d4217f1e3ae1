import Foundation
import Synchronization
import TemoinPDF

/// The values of each document (PJ1, PJ2, the journal, the bordereau, the draft).
extension DossierContext {
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
    func svg(height: Double, id: String, _ draw: (CairoCanvas) -> Void) -> String {
        guard let canvas = try? CairoCanvas(svgWidth: PageGeometry.contentWidth, height: height) else { return "" }
        draw(canvas)
        var text = canvas.svgText()
        // Inline in HTML: drop the XML declaration.
        if let r = text.range(of: "<svg") { text = String(text[r.lowerBound...]) }
        return SVGIDs.prefixed(text, with: "chart-\(id)-").replacingOccurrences(of: "\n", with: " ")
    }
}
