import Foundation
import Mustache

/// The dossier's wording: Mustache templates per language (Templates/fr, Templates/en), shipped with
/// the tool or taken from `--templates DIR` so an association can adapt them without touching code.
/// Templates/README.md documents the variables and the block lines below.
public struct DossierTemplates: Sendable {
    public static let names = ["PJ1", "PJ2", "inventaire", "labels", "dossier.html", "requete"]

    let folder: String
    let templates: [String: MustacheTemplate]
    /// Short texts the code places itself (outcome names, chart titles, weekdays): `labels.mustache`.
    let labels: [String: String]

    /// The shipped templates' folder (`Templates/` in the repository, bundled as a resource).
    public static var shippedFolder: String? {
        Installation.current.resource("Templates")?.path
    }

    /// Loads `<root>/<lang>/*.mustache`; every name in `names` must be there and parse.
    public static func load(root: String?, language: Language) throws -> DossierTemplates {
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
                templates[name] = try MustacheTemplate(string: text)
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

    func render(_ name: String, _ context: [String: Any]) -> String {
        templates[name]?.render(context) ?? ""
    }

    /// A label, or its key when the template lacks it (so a gap shows instead of vanishing).
    func label(_ key: String) -> String { labels[key] ?? key }

    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name + ".mustache") }
}

/// The lines a PDF template renders to. One block per line:
///
///     @meta title: ...         PDF metadata (title, subject, keywords)
///     @header-left ...         running header and footer; {page} and {pages} are filled in
///     @header-right ...
///     @footer ...
///     @cover-title ...         large centred title, @cover-subtitle likewise
///     # / ## / ###             headings (bookmarked); # starts a new page
///     Label :: value           a labelled line
///     - text                   a bullet
///     > text                   a shaded note
///     @chart per-day|heatmap   the charts
///     @chronology A | B | ...  the chronology table, with these column titles
///     @visible-text N          PJ2: the visible text of capture group N, the message highlighted
///     @screenshot N            PJ2: the screenshot of group N, when it has one
///     @pagebreak, @space
///     anything else            a paragraph (Pango markup: <b>, <i>, <span>...)
enum Block: Equatable {
    case meta(key: String, value: String)
    case running(key: String, value: String)
    case coverTitle(String)
    case coverSubtitle(String)
    case heading(level: Int, markup: String)
    case labelled(label: String, value: String)
    case bullet(String)
    case note(String)
    case chart(String)
    case chronology(columns: [String])
    case visibleText(Int)
    case screenshot(Int)
    case pageBreak
    case space
    case paragraph(String)

    /// Parses rendered template text; `line` numbers in errors are 1-based lines of the rendered text.
    static func parse(_ text: String, template: String) throws -> [Block] {
        var blocks: [Block] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let block = try parseLine(line)
            for markup in block.markups where !Markup.isValid(markup) {
                throw TemoinError.invalidTemplate(
                    path: template, detail: tr("dossier.bad_markup", ["line": String(index + 1), "text": line]))
            }
            blocks.append(block)
        }
        return blocks
    }

    private static func parseLine(_ line: String) throws -> Block {
        func rest(_ prefix: String) -> String {
            String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        if line.hasPrefix("@") {
            let word = String(line.prefix { !$0.isWhitespace })
            let value = rest(word)
            switch word {
            case "@meta":
                let parts = value.split(separator: ":", maxSplits: 1)
                return .meta(
                    key: parts.first.map(String.init) ?? "",
                    value: parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
            case "@header-left", "@header-right", "@footer":
                return .running(key: String(word.dropFirst()), value: value)
            case "@cover-title": return .coverTitle(value)
            case "@cover-subtitle": return .coverSubtitle(value)
            case "@chart": return .chart(value)
            case "@chronology":
                return .chronology(columns: value.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) })
            case "@visible-text": return .visibleText(Int(value) ?? 0)
            case "@screenshot": return .screenshot(Int(value) ?? 0)
            case "@pagebreak": return .pageBreak
            case "@space": return .space
            default: return .paragraph(line)
            }
        }
        if line.hasPrefix("### ") { return .heading(level: 3, markup: rest("### ")) }
        if line.hasPrefix("## ") { return .heading(level: 2, markup: rest("## ")) }
        if line.hasPrefix("# ") { return .heading(level: 1, markup: rest("# ")) }
        if line.hasPrefix("- ") { return .bullet(rest("- ")) }
        if line.hasPrefix("> ") { return .note(rest("> ")) }
        if let r = line.range(of: " :: ") {
            return .labelled(
                label: String(line[..<r.lowerBound]), value: String(line[r.upperBound...]))
        }
        return .paragraph(line)
    }

    /// The Pango markup this block will set, for validation.
    var markups: [String] {
        switch self {
        case .coverTitle(let m), .coverSubtitle(let m), .heading(_, let m), .bullet(let m), .note(let m),
            .paragraph(let m):
            return [m]
        case .labelled(let l, let v): return [l, v]
        case .running(_, let v): return [v]
        case .chronology(let columns): return columns
        default: return []
        }
    }
}

extension Block {
    /// French typography: a narrow no-break space before « ; : ! ? », no-break spaces inside « »
    /// guillemets and after « n° », so that no line starts with a colon or a closing guillemet.
    var withFrenchSpacing: Block {
        func fix(_ s: String) -> String {
            var out = s
            for mark in [":", ";", "!", "?"] { out = out.replacingOccurrences(of: " " + mark, with: "\u{202F}" + mark) }
            return out.replacingOccurrences(of: "« ", with: "«\u{00A0}").replacingOccurrences(
                of: " »", with: "\u{00A0}»"
            )
            .replacingOccurrences(of: "n° ", with: "n°\u{00A0}")
        }
        switch self {
        case .coverTitle(let m): return .coverTitle(fix(m))
        case .coverSubtitle(let m): return .coverSubtitle(fix(m))
        case .heading(let level, let m): return .heading(level: level, markup: fix(m))
        case .labelled(let l, let v): return .labelled(label: fix(l), value: fix(v))
        case .bullet(let m): return .bullet(fix(m))
        case .note(let m): return .note(fix(m))
        case .paragraph(let m): return .paragraph(fix(m))
        case .running(let key, let value): return .running(key: key, value: fix(value))
        default: return self
        }
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
