import Foundation
import Synchronization
import TemoinPDF

/// Writes the court dossier: the pièces (PJ1 relevé, PJ2 pages received, optionally the journal) and
/// the detailed inventory in the output folder; the working files (HTML copy, draft requête, bordereau
/// lines) in a sub-folder that is not to be filed.
package struct DossierWriter: Sendable {
    package let data: DossierData
    package let options: DossierOptions
    let templates: DossierTemplates
    let store: Store

    /// The sub-folder of working files: its name says it is not to be filed.
    package static let workingFolderName = "Documents_de_travail_a_ne_pas_deposer"
    package static let htmlName = "dossier.html"
    package static let bordereauName = "Bordereau_des_pieces.txt"
    package static let requeteName = "Requete_refere_mesures_utiles_PROJET.odt"

    package init(store: Store, data: DossierData, options: DossierOptions) throws {
        self.store = store
        self.data = data
        self.options = options
        templates = try DossierTemplates.load(root: options.templatesFolder, language: options.language)
    }

    var workingFolder: String { (options.outputFolder as NSString).appendingPathComponent(Self.workingFolderName) }

    /// Writes every file; `progress` is called with each file's name once it is written (from several
    /// threads while the pièces are drawn).
    package func write(progress: (@Sendable (String) -> Void)? = nil) throws -> DossierResult {
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
    package var progressSteps: Int {
        4 + (options.requete ? 1 : 0) + (options.journal ? 1 : 0) + proofCount
    }

    /// How many proof pièces the steps give (files whose bytes were not withheld).
    package var proofCount: Int {
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
