import Foundation
import Mustache
import TemoinPDF

/// The dossier's wording: Mustache templates per language (Templates/fr, Templates/en), shipped with
/// the tool or taken from `--templates DIR` so an association can adapt them without touching code.
/// Templates/README.md documents the variables and the block lines below.
package struct DossierTemplates: Sendable {
    package static let names = ["PJ1", "PJ2", "journal", "inventaire", "labels", "dossier.html", "requete", "piece"]

    let folder: String
    let templates: [String: MustacheTemplate]
    /// Short texts the code places itself (outcome names, chart titles, weekdays): `labels.mustache`.
    let labels: [String: String]

    /// The shipped templates' folder (`Templates/` in the repository, bundled as a resource).
    package static var shippedFolder: String? {
        Installation.current.resource("Templates")?.path
    }

    /// Loads `<root>/<lang>/*.mustache`; every name in `names` must be there and parse.
    package static func load(root: String?, language: Language) throws -> DossierTemplates {
        guard let base = root ?? shippedFolder else {
            throw TemoinError.invalidTemplate(path: "Templates", detail: tr("dossier.templates_missing"))
        }
        let folder = (base as NSString).appendingPathComponent(language.rawValue)
        var templates: [String: MustacheTemplate] = [:]
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name + ".mustache")
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TemoinError.invalidTemplate(path: path, detail: tr("dossier.template_missing"))
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw TemoinError.invalidTemplate(path: path, detail: tr("dossier.template_not_utf8"))
            }
            do {
                templates[name] = try MustacheTemplate(string: Self.withoutEscaping(text))
            } catch {
                throw TemoinError.invalidTemplate(path: path, detail: "\(error)")
            }
        }
        var labels: [String: String] = [:]
        let labelText = templates["labels"]!.render([String: Any]())
        for line in labelText.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            labels[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        return DossierTemplates(folder: folder, templates: templates, labels: labels)
    }

    /// Mustache escapes nothing here: every value arrives marked (``TemplateValue``) and is escaped
    /// for its output, one Unicode scalar at a time, once the template has run. A content-type pragma
    /// in an adapted template is dropped for the same reason.
    static func withoutEscaping(_ text: String) -> String {
        let pragma = #"\{\{%\s*CONTENT_TYPE\s*:[^}]*\}\}"#
        return "{{% CONTENT_TYPE: TEXT}}" + text.replacingOccurrences(of: pragma, with: "", options: .regularExpression)
    }

    /// Renders a template with every value of `context` marked as data (``TemplateValue/marked(_:)``):
    /// the result still holds the marks, resolved by whoever writes the output.
    func render(_ name: String, _ context: [String: Any]) -> String {
        guard let template = templates[name] else { return "" }
        return template.render(context.mapValues(TemplateValue.marked))
    }

    /// A label, or its key when the template lacks it (so a gap shows instead of vanishing).
    func label(_ key: String) -> String { labels[key] ?? key }

    /// A label with its `{name}` placeholders filled from `args` (values from the store: a date, a name).
    func label(_ key: String, _ args: [String: String]) -> String {
        // French spacing on the label's own words (« n° 5 », « : »), never on the values put in it.
        var out = folder.hasSuffix("/fr") ? FrenchSpacing.fix(label(key)) : label(key)
        for (name, value) in args { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        return out
    }

    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name + ".mustache") }
}

/// The lines a PDF template renders to. One block per line; the kind of block is read in the
/// template's own text only, never in a value from the store (``MarkedText``):
///
///     @meta title: ...         PDF metadata (title, subject, keywords)
///     @header-left ...         running header and footer; {page} and {pages} are filled in
///     @header-right ...
///     @footer ...
///     @title ... / @subtitle   the document's title lines (@cover-title, @cover-subtitle: the same)
///     # / ## / ###             headings (bookmarked); `{#name}` at the end names it for {ref:name}
///     Label :: value           a labelled line
///     - text                   a bullet
///     > text                   a shaded note
///     @chart per-day|heatmap   the charts
///     @weeks A | B | ...       tables filled by temoin, with these column titles: the week-by-week
///     @daily A | B | ...       summary, the day-by-day relevé, the journal of every attempt, the index
///     @journal A | B | ...     of distinct pages
///     @page-index A | B | ...
///     @page-image N            PJ2: the image of shown page N (or its text when no image could be made)
///     @visible-text N          PJ2: the visible text of shown page N, the message highlighted
///     @proof-image             a step's proof pièce: the photo or scan on the page
///     @email-text              a step's proof pièce: the e-mail's text
///     @pagebreak, @space
///     @compact                 the blocks up to the next @pagebreak set tighter (PJ1's page 1)
///     anything else            a paragraph (Pango markup: <b>, <i>, <span>...)
///
/// `{ref:name}` in the template's text becomes the page number of heading `name`.
enum Block: Equatable {
    case meta(key: String, value: String)
    case running(key: String, value: MarkedText)
    case title(String)
    case subtitle(String)
    case heading(level: Int, markup: String, title: String, anchor: String?)
    case labelled(label: String, value: String)
    case bullet(String)
    case note(String)
    case chart(String)
    case table(kind: String, columns: [String])
    case pageImage(Int)
    case visibleText(Int)
    /// A proof pièce: its photo or scan, turned upright and fitted to the page.
    case proofImage
    /// A proof pièce: the e-mail's text, its line breaks kept.
    case emailText
    case pageBreak
    case space
    /// The blocks up to the next page break are set tighter: a page that must hold on one page.
    case compact
    case paragraph(String)

    static let tableKinds: Set<String> = ["weeks", "daily", "journal", "page-index"]

    /// Parses rendered template text; `line` numbers in errors are 1-based lines of the rendered text.
    /// `refs` gives the page of each named heading (nil on the first, measuring pass).
    static func parse(_ text: String, template: String, language: Language, refs: [String: Int]? = nil) throws
        -> [Block]
    {
        var blocks: [Block] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = MarkedText(String(raw)).trimmed
            if line.isEmpty { continue }
            line = line.mapTemplate { fillRefs($0, refs) }
            let context = ParseContext(template: template, line: index + 1, raw: line, language: language)
            blocks.append(try parseLine(line, context))
        }
        return blocks
    }

    struct ParseContext {
        var template: String
        var line: Int
        var raw: MarkedText
        var language: Language
    }

    /// `{ref:name}` to the page number (or a stand-in of the same width while measuring).
    static func fillRefs(_ text: String, _ refs: [String: Int]?) -> String {
        guard text.contains("{ref:") else { return text }
        var out = ""
        var rest = Substring(text)
        while let r = rest.range(of: "{ref:") {
            out += rest[..<r.lowerBound]
            guard let end = rest[r.upperBound...].firstIndex(of: "}") else {
                out += rest[r.lowerBound...]
                return out
            }
            let name = String(rest[r.upperBound..<end])
            out += refs.map { $0[name].map(String.init) ?? "?" } ?? "00"
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    private static func parseLine(_ line: MarkedText, _ c: ParseContext) throws -> Block {
        func markup(_ m: MarkedText) throws -> String { try resolve(m, c) }
        if line.hasPrefix("@") {
            let skeleton = line.skeleton()
            let word = String(skeleton.prefix { !$0.isWhitespace && $0 != "\u{FFFC}" })
            let value = line.droppingPrefix(word.count)
            switch word {
            case "@meta":
                guard let (key, v) = value.split(atFirst: ":") else { return .meta(key: value.plainText, value: "") }
                return .meta(key: key.plainText, value: v.plainText)
            case "@header-left", "@header-right", "@footer", "@footer-first":
                return .running(key: String(word.dropFirst()), value: spaced(value, c))
            case "@title", "@cover-title": return .title(try markup(value))
            case "@subtitle", "@cover-subtitle": return .subtitle(try markup(value))
            case "@chart": return .chart(value.plainText)
            case "@page-image": return .pageImage(Int(value.plainText) ?? 0)
            case "@visible-text": return .visibleText(Int(value.plainText) ?? 0)
            case "@proof-image": return .proofImage
            case "@email-text": return .emailText
            case "@pagebreak": return .pageBreak
            case "@space": return .space
            case "@compact": return .compact
            default:
                let kind = String(word.dropFirst())
                if tableKinds.contains(kind) {
                    return .table(kind: kind, columns: try value.split(every: "|").map { try markup($0) })
                }
                return .paragraph(try markup(line))
            }
        }
        for (prefix, level) in [("### ", 3), ("## ", 2), ("# ", 1)] where line.hasPrefix(prefix) {
            var rest = line.droppingPrefix(prefix.count)
            var anchor: String?
            if case .template(let t)? = rest.segments.last,
                let r = t.range(of: #"\{#[A-Za-z0-9_-]+\}\s*$"#, options: .regularExpression)
            {
                anchor = String(t[r].dropFirst(2).prefix { $0 != "}" })
                var segments = rest.segments
                let kept = String(t[..<r.lowerBound])
                if kept.isEmpty { segments.removeLast() } else { segments[segments.count - 1] = .template(kept) }
                rest = MarkedText(segments: segments).trimmed
            }
            let spacedRest = spaced(rest, c)
            return .heading(
                level: level, markup: try resolve(spacedRest, c, spacedAlready: true), title: spacedRest.plainText,
                anchor: anchor)
        }
        if line.hasPrefix("- ") { return .bullet(try markup(line.droppingPrefix(2))) }
        if line.hasPrefix("> ") { return .note(try markup(line.droppingPrefix(2))) }
        if let (label, value) = line.split(atFirst: " :: ") {
            return .labelled(label: try markup(label), value: try markup(value))
        }
        return .paragraph(try markup(line))
    }

    private static func spaced(_ m: MarkedText, _ c: ParseContext) -> MarkedText {
        c.language == .fr ? FrenchSpacing.apply(m) : m
    }

    /// The block's markup: template text with French spacing, values escaped per scalar. Markup that
    /// does not parse is the template's fault when the line holds no value from the store (the dossier
    /// stops and names the line); on a line with values, the text is set as escaped plain text instead,
    /// so that no page, name or URL can stop a dossier.
    static func resolve(_ m: MarkedText, _ c: ParseContext, spacedAlready: Bool = false) throws -> String {
        let text = spacedAlready ? m : spaced(m, c)
        let markup = text.markup
        if Markup.isValid(markup) { return markup }
        let holdsData = text.segments.contains {
            if case .value = $0 { return true }
            return false
        }
        if holdsData { return text.escapedPlainText }
        throw TemoinError.invalidTemplate(
            path: c.template,
            detail: tr("dossier.bad_markup", ["line": String(c.line), "text": c.raw.plainText]))
    }
}

extension String {
    /// Plain text of a bit of markup (for bookmarks and metadata, which take no markup).
    var strippingMarkup: String {
        var out = ""
        var inTag = false
        for ch in self {
            if ch == "<" { inTag = true } else if ch == ">" { inTag = false } else if !inTag { out.append(ch) }
        }
        return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
