import Foundation
import Synchronization
import TemoinPDF

/// File names as Télérecours requires them (CJA R.414-3): `PJn_` prefix for pièces, at most 80
/// characters, ASCII letters, digits, `-` and `_`, no dot but the extension's. Pièce names come from
/// their label (``DossierPiece/fileName(part:)``).
public enum TelerecoursName {
    public static let inventory = "Inventaire_detaille_des_pieces.pdf"

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
    /// Whether PJ2 shows pages as images drawn by a browser (when one is found) or as text only.
    public enum PageImages: String, Sendable {
        case auto
        case off
    }

    public var outputFolder: String
    public var language: Language
    public var templatesFolder: String?
    public var from: Date?
    public var to: Date?
    /// Also write the draft requête (OpenDocument text, in the working folder).
    public var requete: Bool
    /// Largest pièce file (Télérecours citoyens: 32 MB); PJ2 is split above it.
    public var maxFileBytes: Int
    /// The number of the first pièce (the lawyer's own pièces may come first).
    public var firstPiece: Int
    /// Also write the journal of every attempt, as a pièce of its own.
    public var journal: Bool
    public var pageImages: PageImages
    /// The browser that draws the pages (else the first one found, as for `attempt --browser`).
    public var browserPath: String?

    public init(
        outputFolder: String, language: Language, templatesFolder: String? = nil, from: Date? = nil, to: Date? = nil,
        requete: Bool = false, maxFileBytes: Int = 32 * 1024 * 1024, firstPiece: Int = 1, journal: Bool = false,
        pageImages: PageImages = .auto, browserPath: String? = nil
    ) {
        self.outputFolder = outputFolder
        self.language = language
        self.templatesFolder = templatesFolder
        self.from = from
        self.to = to
        self.requete = requete
        self.maxFileBytes = maxFileBytes
        self.firstPiece = firstPiece
        self.journal = journal
        self.pageImages = pageImages
        self.browserPath = browserPath
    }
}

/// A file the dossier wrote.
public struct DossierFile: Codable, Sendable, Equatable {
    public var name: String
    public var path: String
    /// Pièce number in the inventory (nil for the inventory and the working files).
    public var piece: Int?
    /// Part number and count when a pièce is split to stay under the size limit.
    public var part: Int?
    public var parts: Int?
    public var pages: Int?
    public var bytes: Int
    public var sha256: String
    /// A file to file with the court (the pièces and the inventory), not a working file.
    public var filing: Bool
}

public struct DossierResult: Codable, Sendable {
    public var folder: String
    /// Where the working files (HTML copy, draft, bordereau) are: never to be uploaded.
    public var workingFolder: String
    public var files: [DossierFile]
    public var attempts: Int
    public var head: ChainHead
    public var verdict: VerificationReport.Verdict
    /// The browser that drew the pages of PJ2, or nil.
    public var pageRenderer: String?
    /// Why no page could be drawn, when a browser was needed and none could be used.
    public var pageImagesUnavailable: String?
    /// Days between the last attempt of the period and today, when more than
    /// ``ConsistencyCheck/staleAfterDays`` (the dossier's first page says so too).
    public var staleDays: Int?
    /// Proof files of steps whose pièce could not show them (a photo format with no decoder here, a
    /// damaged file, bytes withheld): the pièce says why; the original is with the working files.
    public var proofsNotShown: [ProofNotShown] = []

    enum CodingKeys: String, CodingKey {
        case folder, files, attempts, head, verdict
        case proofsNotShown = "proofs_not_shown"
        case workingFolder = "working_folder"
        case pageRenderer = "page_renderer"
        case pageImagesUnavailable = "page_images_unavailable"
        case staleDays = "stale_days"
    }
}

/// A step's proof file that its pièce could not reproduce, and why.
public struct ProofNotShown: Codable, Sendable, Equatable {
    public var piece: Int
    /// The file's name as recorded.
    public var file: String
    /// Why, in the dossier's language (the pièce says the same).
    public var reason: String
    /// The original's copy in the working folder, when its bytes are in the store.
    public var original: String?
}

/// Writes the court dossier: the pièces (PJ1 relevé, PJ2 pages received, optionally the journal) and
/// the detailed inventory in the output folder; the working files (HTML copy, draft requête, bordereau
/// lines) in a sub-folder that is not to be filed.
public struct DossierWriter: Sendable {
    public let data: DossierData
    public let options: DossierOptions
    let templates: DossierTemplates
    let store: Store

    /// The sub-folder of working files: its name says it is not to be filed.
    public static let workingFolderName = "Documents_de_travail_a_ne_pas_deposer"
    public static let htmlName = "dossier.html"
    public static let bordereauName = "Bordereau_des_pieces.txt"
    public static let requeteName = "Requete_refere_mesures_utiles_PROJET.odt"

    public init(store: Store, data: DossierData, options: DossierOptions) throws {
        self.store = store
        self.data = data
        self.options = options
        templates = try DossierTemplates.load(root: options.templatesFolder, language: options.language)
    }

    var workingFolder: String { (options.outputFolder as NSString).appendingPathComponent(Self.workingFolderName) }

    /// Writes every file; `progress` is called with each file's name once it is written (from several
    /// threads while the pièces are drawn).
    public func write(progress: (@Sendable (String) -> Void)? = nil) throws -> DossierResult {
        let fm = FileManager.default
        for folder in [options.outputFolder, workingFolder] {
            do {
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw TemoinError.outputUnwritable(path: folder, detail: error.localizedDescription)
            }
        }
        let context = DossierContext(
            data: data, templates: templates, store: store, language: options.language,
            firstPiece: options.firstPiece, journal: options.journal)
        // An earlier dossier in this folder may have split the captures into more parts than this one
        // will: its parts would pass for this dossier's pièces.
        if let captures = context.piece(.captures) {
            for name in (try? fm.contentsOfDirectory(atPath: options.outputFolder)) ?? []
            where Self.isPart(name, of: captures) {
                try? fm.removeItem(atPath: path(name))
            }
        }
        context.prepare()

        // The pièces are independent documents: drawn on separate threads (cairo surfaces and Pango's
        // per-thread font maps share nothing); PJ2 first has its pages drawn by the browser.
        let fixed = options.journal ? 3 : 2
        let jobs = fixed + context.proofs.count
        let results = Mutex<[Int: Result<[DossierFile], Error>]>([:])
        let notShown = Mutex<[Int: ProofNotShown]>([:])
        DispatchQueue.concurrentPerform(iterations: jobs) { job in
            let outcome = Result<[DossierFile], Error> {
                switch job {
                case fixed...:
                    let proof = context.proofs[job - fixed]
                    let (written, missing) = try writeProof(proof, context)
                    if let missing { notShown.withLock { $0[job] = missing } }
                    progress?(proof.piece.fileName())
                    return written
                case 0:
                    let p = context.piece(.releve)!
                    let pages = try renderPDF(template: "PJ1", values: context.pj1(), to: path(p.fileName()), context)
                    let written = [try file(p.fileName(), piece: p.number, pages: pages)]
                    progress?(p.fileName())
                    return written
                case 1:
                    makeImages(context)
                    let written = try writeCaptures(context: context)
                    progress?(context.piece(.captures)!.fileName())
                    return written
                default:
                    let p = context.piece(.journal)!
                    let pages = try renderPDF(
                        template: "journal", values: context.journal(), to: path(p.fileName()), context)
                    let written = [try file(p.fileName(), piece: p.number, pages: pages)]
                    progress?(p.fileName())
                    return written
                }
            }
            results.withLock { $0[job] = outcome }
        }
        let done = results.withLock { $0 }
        var files: [DossierFile] = []
        for job in 0..<jobs { files += try done[job]!.get() }

        let pieces = files.filter(\.filing)
        let inventoryPages = try renderPDF(
            template: "inventaire", values: context.inventory(files: pieces), to: path(TelerecoursName.inventory),
            context)
        files.append(try file(TelerecoursName.inventory, piece: nil, pages: inventoryPages))
        progress?(TelerecoursName.inventory)

        // Working files.
        let html = templates.render("dossier.html", context.html(files: pieces)).resolvingMarksAsMarkup
        try writeText(html, to: working(Self.htmlName))
        files.append(try file(Self.htmlName, folder: workingFolder, piece: nil, pages: nil, filing: false))
        progress?(Self.htmlName)

        let bordereau = context.pieceValues(pieces).compactMap { $0["line"] as? String }.joined(separator: "\n") + "\n"
        try writeText(bordereau, to: working(Self.bordereauName))
        files.append(try file(Self.bordereauName, folder: workingFolder, piece: nil, pages: nil, filing: false))

        if options.requete {
            let text = templates.render("requete", context.requete(files: pieces))
            let blocks = try Block.parse(text, template: templates.path("requete"), language: options.language)
            let title =
                blocks.compactMap { b -> String? in
                    if case .meta("title", let v) = b { return v }
                    return nil
                }.first ?? "requete"
            try OpenDocumentText.write(
                blocks: blocks, title: title, author: data.caseRecord.fields.applicant, language: options.language,
                created: data.generatedAt, to: working(Self.requeteName))
            files.append(try file(Self.requeteName, folder: workingFolder, piece: nil, pages: nil, filing: false))
            progress?(Self.requeteName)
        }
        let renderer = context.rendererInfo
        return DossierResult(
            folder: options.outputFolder, workingFolder: workingFolder, files: files, attempts: data.attempts.count,
            head: data.head, verdict: data.verification.verdict, pageRenderer: renderer.product,
            pageImagesUnavailable: renderer.unavailable,
            staleDays: ConsistencyCheck.staleDays(last: data.statistics.last, now: data.generatedAt),
            proofsNotShown: notShown.withLock { $0 }.sorted { $0.key < $1.key }.map(\.value))
    }

    /// Expected calls of `write`'s progress: the pièces, the inventory, the HTML copy and the draft.
    public var progressSteps: Int {
        4 + (options.requete ? 1 : 0) + (options.journal ? 1 : 0) + proofCount
    }

    /// How many proof pièces the steps give (files whose bytes were not withheld).
    public var proofCount: Int {
        let withheld = Set(data.verification.withheld.map(\.digest))
        return data.steps.flatMap { $0.proofs + $0.followUps.flatMap(\.proofs) }.filter {
            !withheld.contains($0.digest)
        }
        .count
    }

    // MARK: proof pièces

    /// One proof file as its pièce: a PDF copied as it is; a photo or scan drawn on A4; an e-mail as a
    /// readable page with its `.eml` beside the working files. When the pièce cannot show the file
    /// (no decoder here, damaged, withheld), it says so plainly and why, and the original goes to the
    /// working folder: never a blank page.
    func writeProof(_ p: ProofPiece, _ context: DossierContext) throws -> ([DossierFile], ProofNotShown?) {
        let name = p.piece.fileName()
        let bytes = try? store.captureBytes(digest: p.proof.digest)
        if p.form == .pdf, let bytes {
            // A PDF is filed as it is: the very bytes the store holds, whose SHA-256 the chain records.
            do {
                try bytes.write(to: URL(fileURLWithPath: path(name)), options: .atomic)
            } catch {
                throw TemoinError.outputUnwritable(path: path(name), detail: error.localizedDescription)
            }
            return ([try file(name, piece: p.piece.number, pages: nil)], nil)
        }
        let content = ProofContent(piece: p, bytes: bytes)
        let pages = try renderPDF(
            template: "piece", values: context.proofValues(p, content: content), to: path(name), context,
            proof: content)
        var files = [try file(name, piece: p.piece.number, pages: pages)]
        var missing: ProofNotShown?
        // The original beside the working files: every e-mail (to open in a mail program), and any file
        // the pièce could not show.
        let undrawn = p.form == .image && content.image == nil
        if let bytes, p.form == .email || undrawn {
            let copy = working(p.originalFileName)
            do {
                try bytes.write(to: URL(fileURLWithPath: copy), options: .atomic)
            } catch {
                throw TemoinError.outputUnwritable(path: copy, detail: error.localizedDescription)
            }
            files.append(
                try file(p.originalFileName, folder: workingFolder, piece: nil, pages: nil, filing: false))
        }
        if content.bytesMissing {
            missing = ProofNotShown(
                piece: p.piece.number, file: p.proof.name ?? p.proof.digest,
                reason: templates.label("proof.missing_bytes"), original: nil)
        } else if undrawn {
            missing = ProofNotShown(
                piece: p.piece.number, file: p.proof.name ?? p.proof.digest,
                reason: context.undrawnReason(content.failure, mediaType: p.proof.mediaType),
                original: working(p.originalFileName))
        }
        return (files, missing)
    }

    // MARK: PJ2

    /// Decides how each page PJ2 shows is reproduced: the witnessed screenshot when there is one, else
    /// an image drawn by the browser from the stored bytes, else the page's text (and why).
    func makeImages(_ context: DossierContext) {
        var renderer: PageRenderer?
        var unavailable: String?
        let needsBrowser = context.shown.contains { $0.attempt.screenshot == nil }
        if needsBrowser {
            if options.pageImages == .off {
                unavailable = templates.label("no_image.disabled")
            } else {
                do {
                    renderer = try PageRenderer.start(browserPath: options.browserPath)
                } catch TemoinError.browserNotFound {
                    // A path given with --browser-path that holds no browser is named, so it can be fixed.
                    unavailable =
                        templates.label("no_image.no_browser") + (options.browserPath.map { " (\($0))" } ?? "")
                } catch {
                    unavailable = templates.label("no_image.failed") + " (\(error))"
                }
            }
        }
        defer { renderer?.close() }
        var used = false
        for page in context.shown {
            let a = page.attempt
            if let png = context.screenshotBytes(a), PNGImage(data: png) != nil {
                context.setImage(.screenshot(png: png), for: page.index)
                continue
            }
            guard let ref = a.page, let html = try? store.captureBytes(digest: ref.digest) else {
                context.setImage(.text(reason: templates.label("no_image.withheld")), for: page.index)
                continue
            }
            guard let renderer else {
                context.setImage(.text(reason: unavailable ?? templates.label("no_image.no_browser")), for: page.index)
                continue
            }
            let resources = a.resources.compactMap { r -> (name: String, bytes: Data)? in
                guard let name = r.name, let bytes = try? store.captureBytes(digest: r.digest) else { return nil }
                return (name, bytes)
            }
            do {
                let rendered = try renderer.render(
                    PageRenderRequest(url: a.url, html: html, mediaType: ref.mediaType, resources: resources))
                if PNGImage(data: rendered.png) != nil {
                    context.setImage(.rendered(png: rendered.png, missing: rendered.missingResources), for: page.index)
                    used = true
                } else {
                    context.setImage(.text(reason: templates.label("no_image.failed")), for: page.index)
                }
            } catch {
                context.setImage(.text(reason: templates.label("no_image.failed")), for: page.index)
            }
        }
        context.setRenderer(product: used ? renderer?.product : nil, unavailable: used ? nil : unavailable)
    }

    /// PJ2 in one file when it fits the size limit, else in parts PJ2-1, PJ2-2... each under it (the
    /// shown pages spread over the parts, the index in the last one).
    private func writeCaptures(context: DossierContext) throws -> [DossierFile] {
        let piece = context.piece(.captures)!
        let whole = path(piece.fileName())
        let indices = Array(context.shown.indices)
        let pages = try renderPDF(
            template: "PJ2", values: context.pj2(shown: indices, part: nil), to: whole, context)
        let size = (try? FileManager.default.attributesOfItem(atPath: whole)[.size] as? Int) ?? 0
        if size <= options.maxFileBytes || indices.count < 2 {
            return [try file(piece.fileName(), piece: piece.number, pages: pages)]
        }
        try? FileManager.default.removeItem(atPath: whole)
        // Split by an estimate of each page's share of the whole file (its image, plus an even share of
        // the rest), keeping room for what every file repeats (fonts, title); a part still over the limit
        // makes the budget smaller and the split is done again.
        let imageBytes = indices.map { i -> Int in
            switch context.image(for: i) {
            case .rendered(let png, _)?, .screenshot(let png)?: return png.count
            default: return 0
            }
        }
        let textShare = max(0, size - imageBytes.reduce(0, +)) / (indices.count + 1)
        let perPage = imageBytes.map { textShare + $0 * 11 / 10 }
        var budget = max(options.maxFileBytes * 85 / 100 - 60_000, options.maxFileBytes * 3 / 10)
        for _ in 0..<6 {
            var parts: [[Int]] = [[]]
            var used = textShare
            for (i, cost) in perPage.enumerated() {
                if used + cost > budget && !parts[parts.count - 1].isEmpty {
                    parts.append([])
                    used = 0
                }
                parts[parts.count - 1].append(i)
                used += cost
            }
            var out: [DossierFile] = []
            var tooBig = false
            for (n, shown) in parts.enumerated() {
                let name = piece.fileName(part: n + 1)
                let pages = try renderPDF(
                    template: "PJ2", values: context.pj2(shown: shown, part: (n + 1, parts.count)), to: path(name),
                    context)
                var f = try file(name, piece: piece.number, pages: pages)
                f.part = n + 1
                f.parts = parts.count
                if f.bytes > options.maxFileBytes && shown.count > 1 { tooBig = true }
                out.append(f)
            }
            if !tooBig { return out }
            for f in out { try? FileManager.default.removeItem(atPath: f.path) }
            budget = budget * 2 / 3
        }
        throw TemoinError.outputUnwritable(path: whole, detail: tr("dossier.cannot_split"))
    }

    // MARK: files

    /// Whether `name` is one of the parts ``DossierPiece/fileName(part:)`` names for `piece`.
    static func isPart(_ name: String, of piece: DossierPiece) -> Bool {
        let prefix = "PJ\(piece.number)-"
        guard name.hasPrefix(prefix) else { return false }
        let digits = name.dropFirst(prefix.count).prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count < 6, let part = Int(digits) else { return false }
        return name == piece.fileName(part: part)
    }

    private func path(_ name: String) -> String { (options.outputFolder as NSString).appendingPathComponent(name) }
    private func working(_ name: String) -> String { (workingFolder as NSString).appendingPathComponent(name) }

    private func writeText(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TemoinError.outputUnwritable(path: path, detail: error.localizedDescription)
        }
    }

    private func file(_ name: String, folder: String? = nil, piece: Int?, pages: Int?, filing: Bool = true) throws
        -> DossierFile
    {
        let p = ((folder ?? options.outputFolder) as NSString).appendingPathComponent(name)
        guard let bytes = FileManager.default.contents(atPath: p) else {
            throw TemoinError.outputUnwritable(path: p, detail: "")
        }
        return DossierFile(
            name: name, path: p, piece: piece, pages: pages, bytes: bytes.count, sha256: sha256Hex(bytes),
            filing: filing)
    }

    /// Renders a PDF template to `path`; returns its page count. A template that refers to its own
    /// pages (`{ref:name}`) is laid out twice: once to learn where each named heading falls.
    private func renderPDF(
        template: String, values: [String: Any], to path: String, _ context: DossierContext,
        proof: ProofContent? = nil
    ) throws -> Int {
        let text = templates.render(template, values)
        let source = templates.path(template)
        var refs: [String: Int]?
        OutputFile.removeLink(path)  // a link at that name is replaced, its target never written
        let canvas = try Self.surface { try CairoCanvas(pdfAt: path) }
        if text.contains("{ref:") {
            let blocks = try Block.parse(text, template: source, language: options.language, refs: nil)
            let measuring = BlockRenderer(canvas: canvas, context: context, templates: templates, proof: proof)
            _ = measuring.compose(blocks)
            refs = measuring.anchors
        }
        let blocks = try Block.parse(text, template: source, language: options.language, refs: refs ?? [:])
        let renderer = BlockRenderer(canvas: canvas, context: context, templates: templates, proof: proof)
        let running = renderer.compose(blocks)
        canvas.setMetadata(
            title: renderer.metadata["title"] ?? template, author: data.caseRecord.fields.applicant,
            subject: renderer.metadata["subject"] ?? "", keywords: renderer.metadata["keywords"] ?? "",
            creator: "\(Temoin.name) \(Temoin.version)", created: TimeFormat.utc(data.generatedAt).prefix(19) + "Z")
        renderer.composer.render { page, pages in
            func fill(_ m: MarkedText?) -> String {
                guard let m else { return "" }
                let filled = m.mapTemplate {
                    $0.replacingOccurrences(of: "{page}", with: String(page))
                        .replacingOccurrences(of: "{pages}", with: String(pages))
                }
                let markup = filled.markup
                return Markup.isValid(markup) ? markup : filled.escapedPlainText
            }
            let footer = page == 1 ? running["footer-first"] ?? running["footer"] : running["footer"]
            return (fill(running["header-left"]), fill(running["header-right"]), fill(footer))
        }
        try Self.surface { try canvas.finish(path: path) }
        return renderer.composer.pageNumber
    }

    /// The drawing layer's failure as the error every output file reports (exit 7).
    private static func surface<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PDFSurfaceError {
            throw TemoinError.outputUnwritable(path: error.path, detail: error.detail)
        }
    }
}

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
