import Foundation
import TemoinPDF

/// Text from the store travels through the dossier's templates inside marks that only temoin writes,
/// so that the template alone decides the structure (issue 20, points 7 and 8):
///
/// - a value can never start a block (a heading, a running footer, a PDF title, a seal line): block
///   markers are read only in the template's own text, outside the marks;
/// - a value never holds a line break (flattened to a space), so it cannot end a block either;
/// - a value is escaped for its output (Pango markup, HTML, XML) one Unicode scalar at a time, after
///   Mustache has run: a `<`, `&` or `"` followed by a combining mark is one grapheme to Swift and to
///   Mustache's own escaping, but two scalars here, and the first is escaped.
///
/// Invariant: the marks are private-use scalars removed from every value before it is wrapped, so a
/// value cannot close its own span or open a trusted one.
enum TemplateValue {
    /// Opens and closes a value from the store (escaped at the end).
    static let open: Unicode.Scalar = "\u{E000}"
    static let close: Unicode.Scalar = "\u{E001}"
    /// Opens and closes markup temoin built itself (charts, a page's text with its message highlighted),
    /// inserted as it is.
    static let trustedOpen: Unicode.Scalar = "\u{E002}"
    static let trustedClose: Unicode.Scalar = "\u{E003}"

    static func isMark(_ s: Unicode.Scalar) -> Bool { (0xE000...0xE003).contains(s.value) }

    /// A value from the store, marked: line breaks become spaces, the marks are dropped from it.
    static func data(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.append(open)
        var lastWasBreak = false
        for s in text.unicodeScalars {
            if isMark(s) { continue }
            if isLineBreak(s) {
                // "\r\n" is one break: one space.
                if !lastWasBreak { out.append(" ") }
                lastWasBreak = true
                continue
            }
            lastWasBreak = false
            out.append(s)
        }
        out.append(close)
        return String(out)
    }

    /// Markup temoin built itself. It must hold no line break where a template line is expected (the
    /// caller's concern: charts are single SVG lines, page text uses `<br>`/`\n` inside `<pre>` only in HTML).
    static func trusted(_ markup: String) -> String {
        String(trustedOpen) + String(String.UnicodeScalarView(markup.unicodeScalars.filter { !isMark($0) }))
            + String(trustedClose)
    }

    /// Line separators of every kind: a value holding one would split a template line in two.
    static func isLineBreak(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// Every value of a template context marked: strings as data, ``Trusted`` as trusted markup, numbers
    /// and flags as they are, lists and dictionaries recursively.
    static func marked(_ value: Any) -> Any {
        switch value {
        case let s as String: return s.isEmpty ? s : data(s)
        case let t as Trusted: return trusted(t.markup)
        case let d as [String: Any]: return d.mapValues(marked)
        case let a as [[String: Any]]: return a.map { $0.mapValues(marked) }
        case let a as [Any]: return a.map(marked)
        default: return value
        }
    }
}

/// Markup temoin built (never text from the store as such): passed to a template unescaped.
struct Trusted {
    var markup: String
}

/// A line of rendered template text, cut into the template's own text, values from the store, and
/// markup temoin built.
struct MarkedText: Equatable {
    enum Segment: Equatable {
        case template(String)
        case value(String)
        case trusted(String)
    }

    var segments: [Segment]

    init(segments: [Segment]) { self.segments = segments }

    /// Splits text on the marks. An unbalanced mark (impossible from temoin's own values) ends the
    /// span at the end of the text.
    init(_ text: String) {
        var segments: [Segment] = []
        var current = String.UnicodeScalarView()
        var kind = 0  // 0 template, 1 value, 2 trusted
        func flush() {
            guard !current.isEmpty else { return }
            let s = String(current)
            segments.append(kind == 0 ? .template(s) : kind == 1 ? .value(s) : .trusted(s))
            current = String.UnicodeScalarView()
        }
        for s in text.unicodeScalars {
            switch s {
            case TemplateValue.open, TemplateValue.trustedOpen:
                flush()
                kind = s == TemplateValue.open ? 1 : 2
            case TemplateValue.close, TemplateValue.trustedClose:
                flush()
                kind = 0
            default:
                current.append(s)
            }
        }
        flush()
        self.segments = segments
    }

    var isEmpty: Bool { segments.allSatisfy { $0.text.isEmpty } }

    /// The template's own text, with every value replaced by `placeholder` (markers are looked for here).
    func skeleton(_ placeholder: String = "\u{FFFC}") -> String {
        segments.map {
            if case .template(let t) = $0 { return t }
            return placeholder
        }.joined()
    }

    /// Whether the template's own text starts the line with `prefix`.
    func hasPrefix(_ prefix: String) -> Bool {
        guard case .template(let t)? = segments.first else { return false }
        return t.hasPrefix(prefix)
    }

    /// Removes `count` characters of template text at the start (a block marker), and leading spaces.
    func droppingPrefix(_ count: Int) -> MarkedText {
        guard case .template(let t)? = segments.first else { return self }
        var rest = segments
        let remaining = String(t.dropFirst(count)).trimmingLeadingSpaces
        if remaining.isEmpty { rest.removeFirst() } else { rest[0] = .template(remaining) }
        return MarkedText(segments: rest).trimmed
    }

    /// Splits at the first occurrence of `separator` in the template's own text (never inside a value).
    func split(atFirst separator: String) -> (MarkedText, MarkedText)? {
        for (i, segment) in segments.enumerated() {
            guard case .template(let t) = segment, let r = t.range(of: separator) else { continue }
            var left = Array(segments[..<i])
            var right = Array(segments[(i + 1)...])
            let before = String(t[..<r.lowerBound])
            let after = String(t[r.upperBound...])
            if !before.isEmpty { left.append(.template(before)) }
            if !after.isEmpty { right.insert(.template(after), at: 0) }
            return (MarkedText(segments: left).trimmed, MarkedText(segments: right).trimmed)
        }
        return nil
    }

    /// Splits at every occurrence of `separator` in the template's own text.
    func split(every separator: String) -> [MarkedText] {
        var parts: [MarkedText] = []
        var rest = self
        while let (left, right) = rest.split(atFirst: separator) {
            parts.append(left)
            rest = right
        }
        parts.append(rest)
        return parts
    }

    /// Leading and trailing spaces of the template text removed.
    var trimmed: MarkedText {
        var s = segments
        if case .template(let t)? = s.first {
            let r = t.trimmingLeadingSpaces
            if r.isEmpty { s.removeFirst() } else { s[0] = .template(r) }
        }
        if case .template(let t)? = s.last {
            let r = t.trimmingTrailingSpaces
            if r.isEmpty { s.removeLast() } else { s[s.count - 1] = .template(r) }
        }
        return MarkedText(segments: s)
    }

    /// Applies `transform` to the template's own text only (French spacing, `{page}`): a value is never
    /// touched.
    func mapTemplate(_ transform: (String) -> String) -> MarkedText {
        MarkedText(
            segments: segments.map {
                if case .template(let t) = $0 { return .template(transform(t)) }
                return $0
            })
    }

    /// The text as Pango markup (or HTML/XML: the same five entities): template text and trusted
    /// markup as they are, values escaped one scalar at a time.
    var markup: String {
        segments.map {
            switch $0 {
            case .template(let t): return t
            case .value(let v): return Markup.escape(v)
            case .trusted(let m): return m
            }
        }.joined()
    }

    /// The markup with every value left out: when this parses and ``markup`` does not, the data is at
    /// fault, not the template.
    var templateOnlyMarkup: String {
        segments.map {
            switch $0 {
            case .template(let t): return t
            case .value: return ""
            case .trusted(let m): return m
            }
        }.joined()
    }

    /// Plain text: template markup removed, values as they are (bookmarks, PDF metadata). Tags are
    /// read over the whole line, so a value that sat inside a tag (an attribute) is left out with it.
    var plainText: String {
        var values: [String] = []
        var skeleton = String.UnicodeScalarView()
        for segment in segments {
            switch segment {
            case .template(let t), .trusted(let t): skeleton.append(contentsOf: t.unicodeScalars)
            case .value(let v):
                skeleton.append(Unicode.Scalar(0xF0000 + UInt32(values.count))!)
                values.append(v)
            }
        }
        var out = ""
        for s in String(skeleton).strippingMarkup.unicodeScalars {
            if (0xF0000..<0xF0000 + UInt32(values.count)).contains(s.value) {
                out += values[Int(s.value - 0xF0000)]
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    /// The fall-back when data made the markup invalid: everything as escaped plain text.
    var escapedPlainText: String { Markup.escape(plainText) }
}

extension MarkedText.Segment {
    var text: String {
        switch self {
        case .template(let t), .value(let t), .trusted(let t): return t
        }
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop { $0 == " " || $0 == "\t" }) }
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return String(s)
    }

    /// Rendered template text with its marks resolved for an output that takes the same five entities
    /// (HTML, XML): values escaped per scalar, trusted markup and template text as they are.
    var resolvingMarksAsMarkup: String { MarkedText(self).markup }

    /// Rendered template text for plain-text output: the marks removed, nothing escaped.
    var resolvingMarksAsPlainText: String {
        String(String.UnicodeScalarView(unicodeScalars.filter { !TemplateValue.isMark($0) }))
    }
}
