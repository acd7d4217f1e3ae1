import Foundation
import Synchronization

/// File names as Télérecours requires them (CJA R.414-3): `PJn_` prefix for pièces, at most 80
/// characters, ASCII letters, digits, `-` and `_`, no dot but the extension's.
public enum TelerecoursName {
    public static let pj1 = "PJ1_Releve_horodate_des_tentatives_de_rendez-vous.pdf"
    public static let pj2 = "PJ2_Captures_des_pages_de_la_prefecture.pdf"
    public static let inventory = "Inventaire_detaille_des_pieces.pdf"

    /// `PJ2-1_...`, `PJ2-2_...` when the captures are split.
    public static func pj2(part: Int) -> String { "PJ2-\(part)_Captures_des_pages_de_la_prefecture.pdf" }

    /// Whether `name` follows the rules (the test suite checks every file the dossier writes).
    public static func isValid(_ name: String) -> Bool {
        guard name.count <= 80, name.hasSuffix(".pdf") else { return false }
        let stem = name.dropLast(4)
        return !stem.isEmpty
            && stem.unicodeScalars.allSatisfy {
                ($0.value < 128) && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_")
            }
    }
}

/// Options of one dossier.
public struct DossierOptions: Sendable {
    public var outputFolder: String
    public var language: Language
    public var templatesFolder: String?
    public var from: Date?
    public var to: Date?
    public var requete: Bool
    /// Largest pièce file (Télérecours citoyens: 32 MB); PJ2 is split above it.
    public var maxFileBytes: Int

    public init(
        outputFolder: String, language: Language, templatesFolder: String? = nil, from: Date? = nil, to: Date? = nil,
        requete: Bool = false, maxFileBytes: Int = 32 * 1024 * 1024
    ) {
        self.outputFolder = outputFolder
        self.language = language
        self.templatesFolder = templatesFolder
        self.from = from
        self.to = to
        self.requete = requete
        self.maxFileBytes = maxFileBytes
    }
}

/// A file the dossier wrote.
public struct DossierFile: Codable, Sendable, Equatable {
    public var name: String
    public var path: String
    /// Pièce number in the inventory (nil for the inventory, the HTML and the draft).
    public var piece: Int?
    public var pages: Int?
    public var bytes: Int
    public var sha256: String
}

public struct DossierResult: Codable, Sendable {
    public var folder: String
    public var files: [DossierFile]
    public var attempts: Int
    public var head: ChainHead
    public var verdict: VerificationReport.Verdict
}

/// Writes the court dossier: PJ1 (synthesis, charts, chronology, method), PJ2 (captures), the detailed
/// inventory, a self-contained HTML copy, and on request the draft "Faits et procédure".
public struct DossierWriter: Sendable {
    public let data: DossierData
    public let options: DossierOptions
    let templates: DossierTemplates
    let store: Store

    public init(store: Store, data: DossierData, options: DossierOptions) throws {
        self.store = store
        self.data = data
        self.options = options
        templates = try DossierTemplates.load(root: options.templatesFolder, language: options.language)
    }

    /// Writes every file; `progress` is called with each file's name once it is written (from two
    /// threads while PJ1 and PJ2 are drawn).
    public func write(progress: (@Sendable (String) -> Void)? = nil) throws -> DossierResult {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: options.outputFolder, withIntermediateDirectories: true)
        } catch {
            throw TemoinError.outputUnwritable(path: options.outputFolder, detail: error.localizedDescription)
        }
        let context = DossierContext(data: data, templates: templates, store: store, language: options.language)
        var files: [DossierFile] = []

        // PJ1 and PJ2 are independent documents: drawn on two threads (cairo surfaces and Pango's
        // per-thread font maps share nothing), which halves the wait on a two-core laptop.
        context.prepare()
        let results = Mutex<[Int: Result<[DossierFile], Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { job in
            let outcome = Result<[DossierFile], Error> {
                if job == 0 {
                    let pages = try renderPDF(
                        template: "PJ1", context: context.pj1(), to: path(TelerecoursName.pj1), context: context)
                    let written = [try file(TelerecoursName.pj1, piece: 1, pages: pages)]
                    progress?(TelerecoursName.pj1)
                    return written
                }
                let written = try writeCaptures(context: context)
                progress?(TelerecoursName.pj2)
                return written
            }
            results.withLock { $0[job] = outcome }
        }
        let done = results.withLock { $0 }
        files += try done[0]!.get()
        files += try done[1]!.get()

        let pieces = files
        let inventoryPages = try renderPDF(
            template: "inventaire", context: context.inventory(pieces: pieces), to: path(TelerecoursName.inventory),
            context: context)
        files.append(try file(TelerecoursName.inventory, piece: nil, pages: inventoryPages))
        progress?(TelerecoursName.inventory)

        try writeText(templates.render("dossier.html", context.html(pieces: pieces)), name: "dossier.html")
        files.append(try file("dossier.html", piece: nil, pages: nil))
        progress?("dossier.html")

        if options.requete {
            let name = "Requete_Faits_et_procedure_PROJET.txt"
            try writeText(templates.render("requete", context.requete(pieces: pieces)), name: name)
            files.append(try file(name, piece: nil, pages: nil))
            progress?(name)
        }
        return DossierResult(
            folder: options.outputFolder, files: files, attempts: data.attempts.count, head: data.head,
            verdict: data.verification.verdict)
    }

    /// PJ2 in one file when it fits the size limit, else in parts PJ2-1, PJ2-2... each under it.
    private func writeCaptures(context: DossierContext) throws -> [DossierFile] {
        let groups = context.groups
        let whole = path(TelerecoursName.pj2)
        let pages = try renderPDF(
            template: "PJ2", context: context.pj2(groups: Array(groups.indices), part: nil), to: whole,
            context: context)
        let size = (try? FileManager.default.attributesOfItem(atPath: whole)[.size] as? Int) ?? 0
        if size <= options.maxFileBytes || groups.count < 2 {
            return [try file(TelerecoursName.pj2, piece: 2, pages: pages)]
        }
        try? FileManager.default.removeItem(atPath: whole)
        // Split by an estimate of each group's share of the whole file (its screenshot, plus an even share
        // of the rest), keeping room for what every file repeats (fonts, cover); then check: a part still
        // over the limit makes the budget smaller and the split is done again.
        let shots = groups.map(\.screenshotBytes)
        let textShare = max(0, size - shots.reduce(0, +)) / groups.count
        let perGroup = shots.map { textShare + $0 * 11 / 10 }
        var budget = max(options.maxFileBytes * 85 / 100 - 60_000, options.maxFileBytes * 3 / 10)
        for _ in 0..<6 {
            var parts: [[Int]] = [[]]
            var used = 0
            for (i, cost) in perGroup.enumerated() {
                if used + cost > budget && !parts[parts.count - 1].isEmpty {
                    parts.append([])
                    used = 0
                }
                parts[parts.count - 1].append(i)
                used += cost
            }
            var out: [DossierFile] = []
            var tooBig = false
            for (n, indices) in parts.enumerated() {
                let name = TelerecoursName.pj2(part: n + 1)
                let pages = try renderPDF(
                    template: "PJ2", context: context.pj2(groups: indices, part: (n + 1, parts.count)),
                    to: path(name), context: context)
                let f = try file(name, piece: 2, pages: pages)
                if f.bytes > options.maxFileBytes && indices.count > 1 { tooBig = true }
                out.append(f)
            }
            if !tooBig { return out }
            for f in out { try? FileManager.default.removeItem(atPath: f.path) }
            budget = budget * 2 / 3
        }
        throw TemoinError.outputUnwritable(path: whole, detail: tr("dossier.cannot_split"))
    }

    private func path(_ name: String) -> String { (options.outputFolder as NSString).appendingPathComponent(name) }

    private func writeText(_ text: String, name: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)), options: .atomic)
        } catch {
            throw TemoinError.outputUnwritable(path: path(name), detail: error.localizedDescription)
        }
    }

    private func file(_ name: String, piece: Int?, pages: Int?) throws -> DossierFile {
        let p = path(name)
        guard let bytes = FileManager.default.contents(atPath: p) else {
            throw TemoinError.outputUnwritable(path: p, detail: "")
        }
        return DossierFile(
            name: name, path: p, piece: piece, pages: pages, bytes: bytes.count,
            sha256: sha256Hex(bytes))
    }

    /// Renders a PDF template to `path`; returns its page count.
    private func renderPDF(template: String, context values: [String: Any], to path: String, context: DossierContext)
        throws -> Int
    {
        let text = templates.render(template, values)
        var blocks = try Block.parse(text, template: templates.path(template))
        if options.language == .fr { blocks = blocks.map { $0.withFrenchSpacing } }
        let canvas = try CairoCanvas(pdfAt: path)
        let renderer = BlockRenderer(canvas: canvas, context: context, templates: templates)
        let running = renderer.compose(blocks)
        canvas.setMetadata(
            title: running["title"] ?? template, author: data.caseRecord.fields.applicant,
            subject: running["subject"] ?? "", keywords: running["keywords"] ?? "", created: data.generatedAt)
        renderer.composer.render { page, pages in
            func fill(_ s: String?) -> String {
                (s ?? "").replacingOccurrences(of: "{page}", with: String(page))
                    .replacingOccurrences(of: "{pages}", with: String(pages))
            }
            return (fill(running["header-left"]), fill(running["header-right"]), fill(running["footer"]))
        }
        try canvas.finish(path: path)
        return renderer.composer.pageNumber
    }
}

/// Lays a template's blocks out with the page composer.
final class BlockRenderer {
    let composer: PageComposer
    let context: DossierContext
    let templates: DossierTemplates

    static let body = TextStyle(font: "DejaVu Serif 10", spaceAfter: 5)
    static let bodySans = TextStyle(font: "DejaVu Sans 9", spaceAfter: 3)
    static let h1 = TextStyle(font: "DejaVu Sans Bold 16", color: RGB(0.10, 0.20, 0.40), spaceAfter: 10)
    static let h2 = TextStyle(font: "DejaVu Sans Bold 12.5", color: RGB(0.10, 0.20, 0.40), spaceAfter: 6)
    static let h3 = TextStyle(font: "DejaVu Sans Bold 10.5", color: RGB(0.15, 0.15, 0.25), spaceAfter: 4)
    static let cover = TextStyle(
        font: "DejaVu Serif Bold 22", color: RGB(0.10, 0.20, 0.40), alignment: .center,
        spaceAfter: 14)
    static let coverSub = TextStyle(font: "DejaVu Serif 13", alignment: .center, spaceAfter: 8)
    static let label = TextStyle(font: "DejaVu Sans Bold 9", color: RGB(0.25, 0.25, 0.32))
    static let cell = TextStyle(font: "DejaVu Sans 7")
    static let cellMono = TextStyle(font: "DejaVu Sans Mono 6.5")
    static let cellHeader = TextStyle(font: "DejaVu Sans Bold 7")
    static let capture = TextStyle(font: "DejaVu Sans Mono 7.5", spaceAfter: 4)

    init(canvas: CairoCanvas, context: DossierContext, templates: DossierTemplates) {
        composer = PageComposer(canvas: canvas)
        self.context = context
        self.templates = templates
    }

    /// Lays out every block; returns the running texts and metadata the template declared.
    func compose(_ blocks: [Block]) -> [String: String] {
        var running: [String: String] = [:]
        for (index, block) in blocks.enumerated() {
            switch block {
            case .meta(let key, let value): running[key] = value.strippingMarkup
            case .running(let key, let value): running[key] = value
            case .coverTitle(let m):
                if composer.atTopOfPage { composer.space(0) }
                composer.paragraph(m, style: Self.cover)
            case .coverSubtitle(let m): composer.paragraph(m, style: Self.coverSub)
            case .heading(let level, let m):
                if level == 1 && !composer.atTopOfPage { composer.newPage() }
                if level > 1 { composer.space(level == 2 ? 8 : 4) }
                // A heading never ends a page: it keeps the start of what follows with it.
                let next = blocks[safe: index + 1].map(Self.minimumHeight) ?? 0
                composer.ensure(30 + next)
                composer.outline(level: level, title: m.strippingMarkup)
                composer.paragraph(m, style: level == 1 ? Self.h1 : level == 2 ? Self.h2 : Self.h3, keepWithNext: 0)
            case .labelled(let l, let v):
                let widths = [150.0, PageGeometry.contentWidth - 150]
                let cells = [
                    PageComposer.TableCell(markup: l, style: Self.label),
                    PageComposer.TableCell(markup: v, style: Self.bodySans),
                ]
                if composer.rowHeight(cells, widths: widths) < 240 {
                    composer.row(cells, widths: widths, ruled: false)
                } else {
                    // A long value (the case facts) flows over pages under its label.
                    composer.paragraph(l, style: Self.label, keepWithNext: 30)
                    composer.paragraph(v, style: Self.bodySans)
                }
            case .bullet(let m):
                composer.paragraph(
                    "•  " + m, style: Self.body, x: PageGeometry.marginLeft + 10,
                    width: PageGeometry.contentWidth - 10)
            case .note(let m):
                composer.space(4)
                composer.paragraph(m, style: Self.bodySans, background: RGB(0.98, 0.95, 0.82))
                composer.space(6)
            case .chart(let kind): chart(kind)
            case .chronology(let columns): chronology(columns)
            case .visibleText(let index): visibleText(index)
            case .screenshot(let index): screenshot(index)
            case .pageBreak: if !composer.atTopOfPage { composer.newPage() }
            case .space: composer.space(12)
            case .paragraph(let m): composer.paragraph(m, style: Self.body)
            }
        }
        return running
    }

    /// Room the start of a block needs, so that a heading is not left alone above it.
    static func minimumHeight(_ block: Block) -> Double {
        switch block {
        case .chart(let kind): return kind == "heatmap" ? 200 : 190
        case .chronology: return 60
        case .visibleText: return 50
        case .screenshot: return 120
        default: return 30
        }
    }

    private func chart(_ kind: String) {
        switch kind {
        case "per-day":
            let chart = PerDayChart(
                days: context.data.statistics.everyDayTally, labels: { self.context.outcomeLabel($0) },
                title: templates.label("chart.per_day"), dayFormat: context.shortDay)
            composer.box(chart, height: 190)
        case "heatmap":
            let chart = HeatMapChart(
                grid: context.data.statistics.weekdayHour,
                weekdays: (0..<7).map { templates.label("weekday.\($0)") },
                title: templates.label("chart.heatmap"), legendText: templates.label("chart.heatmap_legend"))
            composer.box(chart, height: 200)
        default:
            composer.paragraph(Markup.escape("@chart \(kind)?"), style: Self.body)
        }
        composer.space(8)
    }

    private func chronology(_ columns: [String]) {
        // seq, date, URL, provenance, outcome, message, capture digest: widths in points (sum = content width).
        let widths = [22.0, 68, 108, 56, 62, 104, 61.9]
        let header = columns.prefix(widths.count).map { PageComposer.TableCell(markup: $0, style: Self.cellHeader) }
        composer.beginTable(header: Array(header), widths: widths)
        for (i, a) in context.data.attempts.enumerated() {
            let cells: [PageComposer.TableCell] = [
                .init(markup: String(a.seq), style: Self.cell),
                .init(markup: Markup.escape(context.dateTime(a.observedAt)), style: Self.cell),
                .init(markup: Markup.escape(a.url), style: Self.cellMono),
                .init(markup: Markup.escape(context.provenanceLabel(a)), style: Self.cell),
                .init(
                    markup: "<b>\(Markup.escape(context.outcomeLabel(a.outcome)))</b>"
                        + (a.uncertain == nil
                            ? "" : " <i>(\(Markup.escape(context.templates.label("visibility.uncertain"))))</i>"),
                    style: Self.cell),
                // The page's words as shown; temoin's own description in italics, never as the page's.
                .init(
                    markup: a.message.map { Markup.escape(context.clip(DossierContext.oneBlock($0), 220)) }
                        ?? "<i>\(Markup.escape(context.clip(a.description ?? a.failure ?? "", 220)))</i>",
                    style: Self.cell),
                .init(
                    markup: Markup.escape(a.page.map { String($0.digest.prefix(16)) } ?? "—"), style: Self.cellMono),
            ]
            composer.row(cells, widths: widths, shaded: i % 2 == 1)
        }
        composer.endTable()
    }

    private func visibleText(_ index: Int) {
        guard let text = context.visibleMarkup(group: index) else { return }
        composer.paragraph(text, style: Self.capture, background: RGB(0.97, 0.97, 0.98))
        composer.space(6)
    }

    private func screenshot(_ index: Int) {
        guard let png = context.screenshot(group: index) else { return }
        composer.image(png, maxHeight: PageGeometry.contentBottom - PageGeometry.marginTop - 40)
    }
}
