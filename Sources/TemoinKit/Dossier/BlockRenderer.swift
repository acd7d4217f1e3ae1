import Foundation
import Synchronization
import TemoinPDF

/// Lays a template's blocks out with the page composer.
final class BlockRenderer {
    let composer: PageComposer
    let context: DossierContext
    let templates: DossierTemplates
    /// The page of each named heading (`# Title {#name}`).
    private(set) var anchors: [String: Int] = [:]
    private(set) var metadata: [String: String] = [:]

    // One serif (running text) and one sans (titles, headings, tables, labels); no monospace.
    static let body = TextStyle(font: "DejaVu Serif 10", spaceAfter: 3)
    static let bodySans = TextStyle(font: "DejaVu Sans 9", spaceAfter: 2)
    static let h1 = TextStyle(font: "DejaVu Sans Bold 16", color: RGB(0.10, 0.20, 0.40), spaceAfter: 6)
    static let h2 = TextStyle(font: "DejaVu Sans Bold 11.5", color: RGB(0.10, 0.20, 0.40), spaceAfter: 2)
    static let h3 = TextStyle(font: "DejaVu Sans Bold 10.5", color: RGB(0.15, 0.15, 0.25), spaceAfter: 2)
    static let title = TextStyle(font: "DejaVu Serif Bold 14", color: RGB(0.10, 0.20, 0.40), spaceAfter: 2)
    static let subtitle = TextStyle(font: "DejaVu Sans 10.5", color: RGB(0.25, 0.25, 0.32), spaceAfter: 4)
    static let label = TextStyle(font: "DejaVu Sans Bold 8.5", color: RGB(0.25, 0.25, 0.32))
    static let cell = TextStyle(font: "DejaVu Sans 8")
    static let cellRight = TextStyle(font: "DejaVu Sans 8", alignment: .right)
    static let cellBold = TextStyle(font: "DejaVu Sans Bold 8")
    static let cellBoldRight = TextStyle(font: "DejaVu Sans Bold 8", alignment: .right)
    static let cellHeader = TextStyle(font: "DejaVu Sans Bold 8")
    static let cellHeaderSmall = TextStyle(font: "DejaVu Sans Bold 7")
    static let pageText = TextStyle(font: "DejaVu Sans 8.5", spaceAfter: 4)

    /// The proof file a `piece` document shows (nil for the other documents).
    let proof: ProofContent?

    init(canvas: CairoCanvas, context: DossierContext, templates: DossierTemplates, proof: ProofContent? = nil) {
        composer = PageComposer(canvas: canvas)
        self.context = context
        self.templates = templates
        self.proof = proof
    }

    var wording: Wording { context.wording }

    /// The styles of running text, headings and labelled lines; `compact` after `@compact`, up to the
    /// next page break.
    struct Styles {
        var body: TextStyle
        var bodySans: TextStyle
        var label: TextStyle
        var h2: TextStyle
        var h3: TextStyle
        /// Space above a level-2 and a level-3 heading.
        var headingSpace: (Double, Double)
        /// Padding of a labelled line and of the week table's cells.
        var rowPadding: Double
        var tablePadding: Double
        /// Space between the table and what follows.
        var afterTable: Double

        static let regular = Styles(
            body: BlockRenderer.body, bodySans: BlockRenderer.bodySans, label: BlockRenderer.label,
            h2: BlockRenderer.h2, h3: BlockRenderer.h3, headingSpace: (4, 3), rowPadding: 1.5, tablePadding: 1.6,
            afterTable: 6)
        /// PJ1's page 1, which must hold on one page: the same fonts, half a point smaller, lines set at
        /// 1.08 em instead of DejaVu's 1.16, less space around headings and cells.
        static let compact = Styles(
            body: TextStyle(font: "DejaVu Serif 9.5", spaceAfter: 1.5, lineSpacing: 0.93),
            bodySans: TextStyle(font: "DejaVu Sans 8.5", spaceAfter: 1, lineSpacing: 0.93),
            label: TextStyle(font: "DejaVu Sans Bold 8", color: RGB(0.25, 0.25, 0.32), lineSpacing: 0.93),
            h2: TextStyle(font: "DejaVu Sans Bold 10.5", color: RGB(0.10, 0.20, 0.40), spaceAfter: 1),
            h3: TextStyle(font: "DejaVu Sans Bold 9.5", color: RGB(0.15, 0.15, 0.25), spaceAfter: 1),
            headingSpace: (3, 2), rowPadding: 0.8, tablePadding: 1.1, afterTable: 3)
    }

    private(set) var styles = Styles.regular

    /// Lays out every block; returns the running texts the template declared.
    func compose(_ blocks: [Block]) -> [String: MarkedText] {
        var running: [String: MarkedText] = [:]
        for (index, block) in blocks.enumerated() {
            switch block {
            case .meta(let key, let value): metadata[key] = value
            case .running(let key, let value): running[key] = value
            case .title(let m): composer.paragraph(m, style: Self.title)
            case .subtitle(let m): composer.paragraph(m, style: Self.subtitle)
            case .heading(let level, let m, let title, let anchor):
                if level == 1 {
                    composer.space(10)
                } else {
                    composer.space(level == 2 ? styles.headingSpace.0 : styles.headingSpace.1)
                }
                // A heading never ends a page: it keeps the start of what follows with it.
                let next = blocks[safe: index + 1].map(Self.minimumHeight) ?? 0
                composer.ensure(24 + next)
                if let anchor { anchors[anchor] = composer.pageNumber }
                if level < 3 { composer.outline(level: level, title: title) }
                composer.paragraph(m, style: level == 1 ? Self.h1 : level == 2 ? styles.h2 : styles.h3)
            case .labelled(let l, let v):
                let widths = [118.0, PageGeometry.contentWidth - 118]
                let cells = [
                    PageComposer.TableCell(markup: l, style: styles.label),
                    PageComposer.TableCell(markup: v, style: styles.bodySans),
                ]
                if composer.rowHeight(cells, widths: widths, padding: styles.rowPadding) < 240 {
                    composer.row(cells, widths: widths, ruled: false, padding: styles.rowPadding)
                } else {
                    // A long value flows over pages under its label.
                    composer.paragraph(l, style: styles.label, keepWithNext: 30)
                    composer.paragraph(v, style: styles.bodySans)
                }
            case .bullet(let m):
                composer.paragraph(
                    "•\u{2002}" + m, style: styles.body, x: PageGeometry.marginLeft + 8,
                    width: PageGeometry.contentWidth - 8)
            case .note(let m):
                composer.space(3)
                composer.paragraph(m, style: styles.bodySans, background: RGB(0.98, 0.95, 0.82))
                composer.space(5)
            case .chart(let kind): chart(kind)
            case .table(let kind, let columns): table(kind, columns)
            case .pageImage(let index): pageImage(index)
            case .visibleText(let index):
                if let a = context.shown[safe: index]?.attempt { visibleText(a) }
            case .proofImage:
                if let image = proof?.image { composer.proofImage(image) }
            case .emailText:
                if let text = proof?.emailText { emailText(text) }
            case .pageBreak:
                styles = .regular
                if !composer.atTopOfPage { composer.newPage() }
            case .space: composer.space(10)
            case .compact: styles = .compact
            case .paragraph(let m): composer.paragraph(m, style: styles.body)
            }
        }
        return running
    }

    /// Room the start of a block needs, so that a heading is not left alone above it.
    static func minimumHeight(_ block: Block) -> Double {
        switch block {
        case .chart(let kind): return kind == "heatmap" ? 200 : 190
        case .table: return 40
        case .pageImage: return 120
        default: return 24
        }
    }

    private func chart(_ kind: String) {
        switch kind {
        case "per-day": composer.box(context.perDayChart(), height: 190)
        case "heatmap": composer.box(context.heatMapChart(), height: 200)
        default: composer.paragraph(Markup.escape("@chart \(kind)?"), style: Self.body)
        }
        composer.space(6)
    }

    // MARK: tables

    private func header(_ columns: [String], count: Int, style: TextStyle) -> [PageComposer.TableCell] {
        (0..<count).map { PageComposer.TableCell(markup: columns[safe: $0] ?? "", style: style) }
    }

    private func table(_ kind: String, _ columns: [String]) {
        switch kind {
        case "weeks": weeks(columns)
        case "daily": daily(columns)
        case "journal": journal(columns)
        case "page-index": pageIndex(columns)
        default: break
        }
    }

    /// A cell of plain text; `whole` keeps it on one line (a date, a number, a code, a short hash).
    private func text(_ s: String, _ style: TextStyle = BlockRenderer.cell, whole: Bool = false)
        -> PageComposer.TableCell
    {
        PageComposer.TableCell(
            markup: Markup.escape(whole ? s.replacingOccurrences(of: " ", with: "\u{00A0}") : s), style: style)
    }

    private func number(_ n: Int, bold: Bool = false) -> PageComposer.TableCell {
        text(wording.number(n), bold ? Self.cellBoldRight : Self.cellRight, whole: true)
    }

    /// Column widths that hold each column's longest unbreakable piece (a date, a number, a code is
    /// never cut) and each column's title whole on one line, the room left shared out by `weights`; with
    /// the title row. Titles too wide together for the page are set 1 pt smaller; only if even then they
    /// do not fit do they break, between words, never inside one.
    private func fitted(
        header columns: [String], _ rows: [[PageComposer.TableCell]], weights: [Double], padding: Double
    )
        -> (header: [PageComposer.TableCell], widths: [Double])
    {
        let count = weights.count
        func width(_ markup: String, _ style: TextStyle) -> Double {
            composer.shapedLayout(markup, style: style, width: 10_000).naturalWidth * 1.03 + 2 * padding + 1.5
        }
        var needed = [Double](repeating: 0, count: count)
        for c in 0..<count {
            // Words of the same shape (digits alike) have the same width; measure the longest shapes
            // (a few dozen at most, whatever the row count), with a small margin for glyph differences.
            var shapes: [String: (word: String, style: TextStyle)] = [:]
            for row in rows {
                guard let cell = row[safe: c] else { continue }
                for w in cell.markup.split(separator: " ") {
                    let shape = String(w.map { $0.isNumber ? "0" : $0 })
                    if shapes[shape] == nil { shapes[shape] = (String(w), cell.style) }
                }
            }
            for (_, candidate) in shapes.sorted(by: { $0.key.count > $1.key.count }).prefix(24) {
                let w = candidate.word
                needed[c] = max(
                    needed[c], width(Markup.isValid(w) ? w : Markup.escape(w.strippingMarkup), candidate.style))
            }
        }
        let total = PageGeometry.contentWidth
        func share(_ needed: [Double]) -> [Double] {
            let spare = total - needed.reduce(0, +)
            guard spare > 0 else { return needed.map { $0 * total / needed.reduce(0, +) } }
            let sum = max(weights.reduce(0, +), 0.0001)
            return zip(needed, weights).map { $0 + spare * $1 / sum }
        }
        for style in [Self.cellHeader, Self.cellHeaderSmall] {
            let head = header(columns, count: count, style: style)
            let whole = zip(needed, head).map { max($0, width($1.markup, style)) }
            if whole.reduce(0, +) <= total { return (head, share(whole)) }
        }
        let head = header(columns, count: count, style: Self.cellHeaderSmall)
        let words = zip(needed, head).map { n, cell in
            cell.markup.split(separator: " ").reduce(n) { max($0, width(String($1), cell.style)) }
        }
        return (head, share(words))
    }

    private func weeks(_ columns: [String]) {
        let rows = context.weekRows(limit: 14)
        let total = templates.label("week.total")
        let cells = rows.map { r -> [PageComposer.TableCell] in
            let bold = r.isSummary && r.label == total
            return [
                text(r.label, bold ? Self.cellBold : Self.cell, whole: !r.isSummary), number(r.attempts, bold: bold),
                number(r.days, bold: bold), number(r.count(.noSlot), bold: bold),
                number(r.count(.siteError), bold: bold), number(r.count(.slot), bold: bold),
                number(r.count(.inconclusive), bold: bold),
            ]
        }
        let padding = styles.tablePadding
        let (head, widths) = fitted(
            header: columns, cells, weights: [1, 0.4, 0.4, 0.6, 0.6, 0.6, 0.6], padding: padding)
        composer.beginTable(header: head, widths: widths, padding: padding, firstRow: cells.first)
        for (i, row) in cells.enumerated() {
            composer.row(row, widths: widths, shaded: i % 2 == 1, padding: padding)
        }
        composer.endTable(spaceAfter: styles.afterTable)
    }

    /// One line per day, a heading (and bookmark) per month, the title row on every page.
    private func daily(_ columns: [String]) {
        let days = context.dailyRows()
        let cells = days.map { d -> [PageComposer.TableCell] in
            let times = d.items.map { item -> String in
                let t = item.declared ? "<i>\(Markup.escape(item.time))</i>" : Markup.escape(item.time)
                return "\(t)\u{00A0}\(Markup.escape(item.code))"
            }.joined(separator: "   ")
            return [
                text(d.label, whole: true), number(d.items.count),
                PageComposer.TableCell(markup: times, style: Self.cell), text(Wording.ranges(d.seqs)),
            ]
        }
        let (head, widths) = fitted(header: columns, cells, weights: [0, 0, 1, 0.25], padding: 2.5)
        var month: (Int, Int)?
        for (i, d) in days.enumerated() {
            if month == nil || month! != (d.year, d.month) {
                if month != nil { composer.endTable() }
                month = (d.year, d.month)
                monthHeading(year: d.year, month: d.month)
                composer.beginTable(header: head, widths: widths, padding: 2.5, firstRow: cells[i])
            }
            composer.row(cells[i], widths: widths, shaded: i % 2 == 1, padding: 2.5)
        }
        if month != nil { composer.endTable() }
    }

    private func monthHeading(year: Int, month: Int) {
        let title = wording.monthHeading(year: year, month: month)
        let capitalised = title.prefix(1).uppercased() + title.dropFirst()
        composer.space(4)
        composer.ensure(60)
        composer.outline(level: 2, title: capitalised)
        composer.paragraph(Markup.escape(capitalised), style: Self.h3)
    }

    private func journal(_ columns: [String]) {
        let urls = Dictionary(uniqueKeysWithValues: context.journalURLs.map { ($0.url, $0.code) })
        let messages = Dictionary(uniqueKeysWithValues: context.journalMessages.map { ($0.text, $0.code) })
        let attempts = context.data.attempts
        let cells = attempts.map { a -> [PageComposer.TableCell] in
            let when = wording.shortDateTime(a.observedAt)
            return [
                text(String(a.seq), whole: true),
                // « ‡ »: a time the evidence contradicts; « * »: one nothing confirms (FORMAT.md §8).
                text(
                    a.timeContradicted
                        ? when + " ‡" : a.timeBasis == .witnessed && !a.timeUncorroborated ? when : when + " *",
                    whole: true),
                text(templates.label("provenance_code.\(a.provenance.rawValue)"), whole: true),
                text(urls[a.url] ?? "", whole: true), text(context.outcomeLabel(a.outcome)),
                text((a.message ?? a.failure).flatMap { messages[$0] } ?? "", whole: true),
                text(a.page.map { Wording.grouped(String($0.digest.prefix(16))) } ?? "—", whole: true),
            ]
        }
        let (head, widths) = fitted(header: columns, cells, weights: [0, 0, 0, 0, 1, 0, 0.3], padding: 2)
        var month: (Int, Int)?
        for (i, a) in attempts.enumerated() {
            let p = wording.parts(a.observedAt)
            if month == nil || month! != (p.year, p.month) {
                if month != nil { composer.endTable() }
                month = (p.year, p.month)
                monthHeading(year: p.year, month: p.month)
                composer.beginTable(header: head, widths: widths, padding: 2, firstRow: cells[i])
            }
            composer.row(cells[i], widths: widths, shaded: i % 2 == 1, padding: 2)
        }
        if month != nil { composer.endTable() }
    }

    private func pageIndex(_ columns: [String]) {
        let rows = context.indexRows()
        let cells = rows.map { r -> [PageComposer.TableCell] in
            [
                text(r.page, whole: true), text(Wording.grouped(r.digest)), text(r.seqs),
                text(r.outcomes, r.mixed ? Self.cellBold : Self.cell),
            ]
        }
        let (head, widths) = fitted(header: columns, cells, weights: [0, 1, 1.2, 0.5], padding: 3)
        composer.beginTable(header: head, widths: widths, firstRow: cells.first)
        for (i, row) in cells.enumerated() { composer.row(row, widths: widths, shaded: i % 2 == 1) }
        composer.endTable()
    }

    // MARK: pages

    private func pageImage(_ index: Int) {
        guard let page = context.shown[safe: index] else { return }
        switch context.image(for: index) {
        case .rendered(let png, _)?, .screenshot(let png)?:
            if let image = PNGImage(data: png) {
                composer.slicedImage(image)
                return
            }
            visibleText(page.attempt)
        default:
            visibleText(page.attempt)
        }
    }

    /// An e-mail's text as its sender wrote it, line breaks kept; a very long one is cut, and says so.
    private func emailText(_ text: EmailText) {
        var body = text.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let cut = body.count > DossierContext.emailTextLimit
        if cut { body = String(body.prefix(DossierContext.emailTextLimit)) }
        composer.paragraph(Markup.escape(body), style: Self.emailBody, background: RGB(0.97, 0.97, 0.98))
        composer.space(4)
        if cut {
            composer.paragraph(
                "<i>\(Markup.escape(templates.label("email.text_cut")))</i>", style: Self.bodySans)
        }
    }

    static let emailBody = TextStyle(font: "DejaVu Sans 9", spaceAfter: 4)

    private func visibleText(_ a: DossierAttempt) {
        let markup =
            context.visibleMarkup(a)
            ?? "<i>\(Markup.escape(templates.label("capture.withheld")))</i>"
        composer.paragraph(markup, style: Self.pageText, background: RGB(0.97, 0.97, 0.98))
        composer.space(4)
    }
}
