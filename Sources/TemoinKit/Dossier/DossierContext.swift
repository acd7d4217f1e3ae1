import Foundation
import Synchronization
import TemoinPDF

/// A pièce the dossier writes: its number in the inventory and its label, used identically in the
/// file name, the inventory, the bordereau and the PDF's title.
package struct DossierPiece: Sendable, Equatable {
    package enum Kind: String, Sendable {
        case releve
        case captures
        case journal
        /// A proof file of one of the applicant's steps (``ProofPiece``).
        case proof
    }
    package var kind: Kind
    package var number: Int
    package var label: String

    /// `Pièce n° 3 : Relevé horodaté des tentatives de prise de rendez-vous`.
    package func title(_ language: Language) -> String {
        language == .fr ? "Pièce n°\u{00A0}\(number) : \(label)" : "Exhibit no. \(number): \(label)"
    }

    /// `PJ3_Releve_horodate_des_tentatives_de_prise_de_rendez-vous.pdf`, `PJ4-2_...` for a part; at most
    /// 80 characters (Télérecours), the label cut at a word if needed.
    package func fileName(part: Int? = nil) -> String {
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
    /// Every document's shared values, computed once (`prepare()`).
    private(set) lazy var common: [String: Any] = makeCommon()

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
