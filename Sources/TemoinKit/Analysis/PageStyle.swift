// Over 450 lines on purpose: the CSS subset that decides visibility (selectors, scanner, sheet) is one parser.
import Foundation
import Synchronization

// The part of CSS that decides whether text is shown: the rules of a page's own `<style>` elements
// and `style` attributes, for the properties that can hide text. No maintained CSS cascade library
// is available to us (libcroco left Debian; none in the Swift package set), and a browser engine is
// out of reach for captured pages, so this reads a deliberate subset and says "uncertain" for the
// rest: a selector it cannot evaluate (`:hover`, `:checked`...), an `@media` condition, a value it
// cannot compute (`var(--x)`). Linked stylesheets are not read (docs/PROFILES.md says so).

/// A three-valued answer: whether a selector matches, or whether a property hides.
enum Tristate: Sendable, Equatable {
    case yes, no, maybe

    static func && (a: Tristate, b: @autoclosure () -> Tristate) -> Tristate {
        if a == .no { return .no }
        let r = b()
        if r == .no { return .no }
        return a == .yes && r == .yes ? .yes : .maybe
    }
}

/// What the walk knows of one element when it matches selectors: no libxml2 pointer, only values.
struct StyledElement {
    var tag: String
    var id: String?
    var classes: [String]
    /// Attributes other than `class`, `id` and `style`, read only when a sheet tests attributes.
    var attributes: [String: String]
    /// Position among its parent's element children (0-based) and their count, when known.
    var index: Int
    var siblingCount: Int?
}

/// One declaration that bears on visibility.
struct StyleDeclaration: Sendable, Equatable {
    var property: String
    var value: String
    var important: Bool
}

/// Properties that can hide text; every other declaration is dropped when a sheet is read.
enum VisibilityProperty {
    static let names: Set<String> = [
        "display", "visibility", "opacity", "font-size", "color", "background", "background-color", "position",
        "left", "top", "right", "text-indent", "clip", "clip-path", "width", "height", "max-height", "overflow",
        "transform", "content-visibility",
    ]

    /// Reads `a: b; c: d !important` into the declarations that matter here.
    static func declarations(_ text: Substring) -> [StyleDeclaration] {
        var out: [StyleDeclaration] = []
        for part in splitOutside(text, separator: ";") {
            guard let colon = part.firstIndex(of: ":") else { continue }
            let name = part[..<colon].trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            guard names.contains(name) else { continue }
            var value = part[part.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            var important = false
            if let bang = value.range(of: "!important") {
                important = true
                value = value[..<bang.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            out.append(StyleDeclaration(property: name, value: value, important: important))
        }
        return out
    }

    /// Splits at `separator` outside parentheses and quotes (`rect(0, 0, 0, 0)`, `url("a;b")`).
    static func splitOutside(_ text: Substring, separator: Character) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var quote: Character?
        var start = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth = max(0, depth - 1)
            } else if c == separator, depth == 0 {
                parts.append(text[start..<i])
                start = text.index(after: i)
            }
            i = text.index(after: i)
        }
        parts.append(text[start...])
        return parts
    }
}

/// A selector of the supported subset: compound selectors (type, `*`, `.class`, `#id`, attribute
/// tests, `:not()`, structural pseudo-classes) joined by descendant, child and sibling combinators.
/// What it cannot evaluate (a dynamic pseudo-class) makes a match `maybe`, never a silent no.
struct Selector: Sendable {
    enum Combinator: Sendable { case descendant, child, adjacent, sibling }

    struct AttributeTest: Sendable {
        var name: String
        var op: String?
        var value: String
    }

    indirect enum Pseudo: Sendable {
        case firstChild, lastChild, onlyChild, root
        case not([Compound])
        /// State or context temoin cannot know without a browser (`:hover`, `:checked`, `:target`...).
        case unknown
    }

    struct Compound: Sendable {
        var tag: String?
        var id: String?
        var classes: [String] = []
        var attributes: [AttributeTest] = []
        var pseudos: [Pseudo] = []
    }

    /// Right to left: `parts[0]` is the subject; each part after it is joined to the one before by
    /// its combinator.
    var parts: [(compound: Compound, combinator: Combinator)]
    var specificity: Int

    var subject: Compound { parts[0].compound }

    /// Parses one complex selector; nil for what this subset does not read (a pseudo-element: the
    /// rule then styles generated content, not the element's own text).
    static func parse(_ text: String) -> Selector? {
        var scanner = SelectorScanner(Array(text.unicodeScalars))
        var compounds: [Compound] = []
        var combinators: [Combinator] = []
        scanner.skipSpaces()
        while !scanner.atEnd {
            guard let compound = scanner.compound() else { return nil }
            compounds.append(compound)
            let hadSpace = scanner.skipSpaces()
            if scanner.atEnd { break }
            switch scanner.peek {
            case ">":
                scanner.advance()
                combinators.append(.child)
            case "+":
                scanner.advance()
                combinators.append(.adjacent)
            case "~":
                scanner.advance()
                combinators.append(.sibling)
            default:
                guard hadSpace else { return nil }
                combinators.append(.descendant)
            }
            scanner.skipSpaces()
        }
        guard !compounds.isEmpty, combinators.count == compounds.count - 1 else { return nil }
        var parts: [(Compound, Combinator)] = []
        for (i, compound) in compounds.enumerated().reversed() {
            parts.append((compound, i > 0 ? combinators[i - 1] : .descendant))
        }
        var a = 0
        var b = 0
        var c = 0
        func count(_ compound: Compound) {
            if compound.id != nil { a += 1 }
            b += compound.classes.count + compound.attributes.count
            if compound.tag != nil { c += 1 }
            for p in compound.pseudos {
                if case .not(let inner) = p { inner.forEach(count) } else { b += 1 }
            }
        }
        compounds.forEach(count)
        return Selector(parts: parts.map { (compound: $0.0, combinator: $0.1) }, specificity: a * 10_000 + b * 100 + c)
    }

    /// Whether the selector matches the last element of `path` (the root first). `siblings[depth]`
    /// holds the element children of `path[depth - 1]` up to and including `path[depth]`.
    func matches(path: [StyledElement], siblings: [[StyledElement]]) -> Tristate {
        guard let last = path.indices.last else { return .no }
        return match(part: 0, at: last, siblingIndex: nil, path: path, siblings: siblings)
    }

    /// Matches `parts[part]` against the element at `depth` (or, when `siblingIndex` is set, the
    /// preceding sibling of that index at that depth), then the rest of the selector.
    private func match(
        part: Int, at depth: Int, siblingIndex: Int?, path: [StyledElement], siblings: [[StyledElement]]
    ) -> Tristate {
        let element = siblingIndex.map { siblings[depth][$0] } ?? path[depth]
        let here = Self.matches(parts[part].compound, element, isRoot: depth == 0 && siblingIndex == nil)
        if here == .no || part + 1 == parts.count { return here }
        let next = part + 1
        switch parts[part].combinator {
        case .child:
            guard depth > 0 else { return .no }
            return here && match(part: next, at: depth - 1, siblingIndex: nil, path: path, siblings: siblings)
        case .descendant:
            var best = Tristate.no
            var d = depth - 1
            while d >= 0 {
                let r = match(part: next, at: d, siblingIndex: nil, path: path, siblings: siblings)
                if r == .yes { return here }
                if r == .maybe { best = .maybe }
                d -= 1
            }
            return best == .no ? .no : (here && best)
        case .adjacent:
            // `siblings[depth]` ends with the element of `path[depth]` itself.
            let previous = (siblingIndex ?? siblings[depth].count - 1) - 1
            guard previous >= 0 else { return .no }
            return here && match(part: next, at: depth, siblingIndex: previous, path: path, siblings: siblings)
        case .sibling:
            var best = Tristate.no
            var i = (siblingIndex ?? siblings[depth].count - 1) - 1
            while i >= 0 {
                let r = match(part: next, at: depth, siblingIndex: i, path: path, siblings: siblings)
                if r == .yes { return here }
                if r == .maybe { best = .maybe }
                i -= 1
            }
            return best == .no ? .no : (here && best)
        }
    }

    static func matches(_ c: Compound, _ e: StyledElement, isRoot: Bool) -> Tristate {
        if let tag = c.tag, tag != e.tag { return .no }
        if let id = c.id, id != e.id { return .no }
        for cls in c.classes where !e.classes.contains(cls) { return .no }
        for test in c.attributes {
            let value: String?
            switch test.name {
            case "class": value = e.classes.isEmpty ? nil : e.classes.joined(separator: " ")
            case "id": value = e.id
            default: value = e.attributes[test.name]
            }
            guard let value else { return .no }
            guard let op = test.op else { continue }
            let ok: Bool
            switch op {
            case "=": ok = value == test.value
            case "~=": ok = value.split(separator: " ").contains { $0 == test.value }
            case "|=": ok = value == test.value || value.hasPrefix(test.value + "-")
            case "^=": ok = !test.value.isEmpty && value.hasPrefix(test.value)
            case "$=": ok = !test.value.isEmpty && value.hasSuffix(test.value)
            case "*=": ok = !test.value.isEmpty && value.contains(test.value)
            default: return .maybe
            }
            if !ok { return .no }
        }
        var result = Tristate.yes
        for p in c.pseudos {
            switch p {
            case .root: if !isRoot { return .no }
            case .firstChild: if e.index != 0 { return .no }
            case .lastChild:
                guard let n = e.siblingCount else {
                    result = result && .maybe
                    continue
                }
                if e.index != n - 1 { return .no }
            case .onlyChild:
                guard let n = e.siblingCount else {
                    result = result && .maybe
                    continue
                }
                if n != 1 { return .no }
            case .not(let inner):
                var any = Tristate.no
                for compound in inner {
                    let r = matches(compound, e, isRoot: isRoot)
                    if r == .yes { return .no }
                    if r == .maybe { any = .maybe }
                }
                if any == .maybe { result = result && .maybe }
            case .unknown:
                result = result && .maybe
            }
        }
        return result
    }
}

/// Reads selectors character by character (ASCII identifiers; CSS escapes are rare in class names
/// and make the selector unreadable, hence skipped).
private struct SelectorScanner {
    let chars: [Unicode.Scalar]
    var i = 0

    init(_ chars: [Unicode.Scalar]) { self.chars = chars }

    var atEnd: Bool { i >= chars.count }
    var peek: Unicode.Scalar { chars[i] }
    mutating func advance() { i += 1 }

    @discardableResult mutating func skipSpaces() -> Bool {
        let start = i
        while i < chars.count, chars[i].properties.isWhitespace { i += 1 }
        return i > start
    }

    static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        c == "-" || c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9")
            || c.value >= 0x80
    }

    mutating func name() -> String? {
        let start = i
        while i < chars.count, Self.isNameChar(chars[i]) { i += 1 }
        guard i > start else { return nil }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: chars[start..<i])
        return String(s)
    }

    mutating func compound() -> Selector.Compound? {
        var c = Selector.Compound()
        var any = false
        if !atEnd, peek == "*" {
            advance()
            any = true
        } else if !atEnd, Self.isNameChar(peek), let tag = name() {
            c.tag = tag.lowercased()
            any = true
        }
        while !atEnd {
            switch peek {
            case ".":
                advance()
                guard let n = name() else { return nil }
                c.classes.append(n)
            case "#":
                advance()
                guard let n = name() else { return nil }
                c.id = n
            case "[":
                advance()
                guard let test = attribute() else { return nil }
                c.attributes.append(test)
            case ":":
                advance()
                if !atEnd, peek == ":" { return nil }  // a pseudo-element: generated content
                guard let n = name()?.lowercased() else { return nil }
                if ["before", "after", "first-line", "first-letter", "placeholder", "marker", "selection"]
                    .contains(n)
                {
                    return nil
                }
                if !atEnd, peek == "(" {
                    guard let argument = parenthesised() else { return nil }
                    if n == "not" {
                        var inner: [Selector.Compound] = []
                        for piece in argument.split(separator: ",") {
                            var sub = SelectorScanner(Array(piece.trimmingCharacters(in: .whitespaces).unicodeScalars))
                            guard let compound = sub.compound(), sub.atEnd else {
                                c.pseudos.append(.unknown)
                                inner = []
                                break
                            }
                            inner.append(compound)
                        }
                        if !inner.isEmpty { c.pseudos.append(.not(inner)) }
                    } else {
                        c.pseudos.append(.unknown)  // :nth-child(), :is(), :has()... evaluated as "maybe"
                    }
                } else {
                    switch n {
                    case "first-child": c.pseudos.append(.firstChild)
                    case "last-child": c.pseudos.append(.lastChild)
                    case "only-child": c.pseudos.append(.onlyChild)
                    case "root": c.pseudos.append(.root)
                    case "link", "any-link": break  // an unvisited link looks like any link
                    default: c.pseudos.append(.unknown)
                    }
                }
            default:
                return any ? c : nil
            }
            any = true
        }
        return any ? c : nil
    }

    mutating func parenthesised() -> String? {
        guard !atEnd, peek == "(" else { return nil }
        advance()
        var depth = 1
        var s = String.UnicodeScalarView()
        while !atEnd {
            let ch = peek
            advance()
            if ch == "(" { depth += 1 }
            if ch == ")" {
                depth -= 1
                if depth == 0 { return String(s) }
            }
            s.append(ch)
        }
        return nil
    }

    mutating func attribute() -> Selector.AttributeTest? {
        skipSpaces()
        guard let n = name() else { return nil }
        skipSpaces()
        if !atEnd, peek == "]" {
            advance()
            return Selector.AttributeTest(name: n.lowercased(), op: nil, value: "")
        }
        var op = ""
        while !atEnd, "~|^$*=".unicodeScalars.contains(peek) {
            op.unicodeScalars.append(peek)
            advance()
        }
        guard ["=", "~=", "|=", "^=", "$=", "*="].contains(op) else { return nil }
        skipSpaces()
        var value = String.UnicodeScalarView()
        if !atEnd, peek == "\"" || peek == "'" {
            let q = peek
            advance()
            while !atEnd, peek != q {
                value.append(peek)
                advance()
            }
            guard !atEnd else { return nil }
            advance()
        } else {
            guard let v = name() else { return nil }
            value.append(contentsOf: v.unicodeScalars)
        }
        skipSpaces()
        if !atEnd, peek == "i" || peek == "s" {  // case-sensitivity flag
            advance()
            skipSpaces()
        }
        guard !atEnd, peek == "]" else { return nil }
        advance()
        return Selector.AttributeTest(name: n.lowercased(), op: op, value: String(value))
    }
}

/// The rules of a page's `<style>` elements that can hide text, indexed by their subject's id,
/// class or tag so that each element is tested against the few rules that could concern it.
struct StyleSheet: Sendable {
    struct Rule: Sendable {
        var selector: Selector
        var declarations: [StyleDeclaration]
        /// Position in the page's sheets, for the cascade.
        var order: Int
        /// Inside an `@media`/`@supports` condition temoin does not evaluate (a screen width...).
        var conditional: Bool
    }

    private(set) var rules: [Rule] = []
    private var byID: [String: [Int]] = [:]
    private var byClass: [String: [Int]] = [:]
    private var byTag: [String: [Int]] = [:]
    private var universal: [Int] = []
    /// Whether a rule tests an attribute other than class and id (the walk then reads them all).
    private(set) var testsAttributes = false
    /// Whether a rule has a sibling combinator (`+`, `~`): the walk then keeps each element's
    /// preceding siblings, not only their count.
    private(set) var matchesSiblings = false
    /// Whether a rule tests an element's position among its siblings (`:first-child`, `:last-child`,
    /// `:only-child`, also inside `:not()`): without one, the walk does not count siblings at all.
    private(set) var matchesPositions = false

    var isEmpty: Bool { rules.isEmpty }

    /// The declared styles worked out with this sheet, shared by its copies (the sheet of a site's
    /// pages is parsed once, see `parse`), so a site's pages reuse them.
    private let declaredCache = DeclaredCache()

    private final class DeclaredCache: Sendable {
        let entries = Mutex<[DeclaredKey: OwnStyle]>([:])
    }

    /// An element's `style` attribute and the rules it matched (index × 2, plus 1 when only perhaps).
    struct DeclaredKey: Hashable, Sendable {
        var style: String?
        var rules: [Int]
    }

    /// The declared style for `key`: `compute()` the first time, then the kept answer for every
    /// element and page with this sheet, since it depends on nothing else (`StyleCascade.declared`
    /// of the attribute's declarations and these rules). The cascade is the costly part of reading a
    /// page's style, and a site repeats the same few combinations on all its pages.
    func declared(_ key: DeclaredKey, _ compute: () -> OwnStyle) -> OwnStyle {
        if let known = declaredCache.entries.withLock({ $0[key] }) { return known }
        let style = compute()
        declaredCache.entries.withLock { cache in
            if cache.count >= 4096 { cache.removeAll() }
            cache[key] = style
        }
        return style
    }

    /// Reads the text of `<style>` elements. Only rules declaring a property that can hide text are
    /// kept; `@media print` is skipped; other conditional groups are kept as conditional. The pages of
    /// one site share their style text (`watch`, a folder of saved pages): the last sheets read are
    /// kept, by their text.
    static func parse(_ css: String) -> StyleSheet { parse(utf8: Array(css.utf8)) }

    /// `parse` of the sheet's text as UTF-8 bytes (as the page's tree holds it).
    static func parse(utf8 css: [UInt8]) -> StyleSheet {
        if css.isEmpty { return empty }
        let key = SheetText(bytes: css)
        if let known = recent.withLock({ $0[key] }) { return known }
        var sheet = StyleSheet()
        let text = stripComments(String(decoding: css, as: UTF8.self))
        sheet.read(Substring(text), conditional: false)
        recent.withLock { cache in
            if cache.count >= 16 { cache.removeAll() }
            cache[key] = sheet
        }
        return sheet
    }

    /// A sheet's text as the key of the sheets kept (a `String` key is hashed scalar by scalar,
    /// normalised, which cost as much as reading a small page's style).
    struct SheetText: Hashable, Sendable {
        var bytes: [UInt8]

        /// The length and at most 256 bytes of each end: equal texts hash alike, as `Hashable` asks;
        /// texts that differ only in the middle share a hash, and `==` (all the bytes) tells them apart.
        /// Hashing every byte of a site's sheet cost as much as the rest of finding it again.
        func hash(into hasher: inout Hasher) {
            hasher.combine(bytes.count)
            bytes.withUnsafeBytes { all in
                if all.count <= 512 {
                    hasher.combine(bytes: all)
                } else {
                    hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: all[..<256]))
                    hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: all[(all.count - 256)...]))
                }
            }
        }
    }

    private static let recent = Mutex<[SheetText: StyleSheet]>([:])
    /// The sheet of pages without `<style>`: one, so its declared styles (inline ones) are kept too.
    private static let empty = StyleSheet()

    private static func stripComments(_ css: String) -> String {
        guard css.contains("/*") else { return css }
        var out = ""
        var rest = Substring(css)
        while let open = rest.range(of: "/*") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "*/") else { return out }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    private mutating func read(_ text: Substring, conditional: Bool) {
        var i = text.startIndex
        while i < text.endIndex {
            guard let open = text[i...].firstIndex(of: "{") else { return }
            let prelude = text[i..<open].trimmingCharacters(in: .whitespacesAndNewlines)
            // Find the matching brace.
            var depth = 0
            var j = open
            var close: String.Index?
            while j < text.endIndex {
                if text[j] == "{" { depth += 1 }
                if text[j] == "}" {
                    depth -= 1
                    if depth == 0 {
                        close = j
                        break
                    }
                }
                j = text.index(after: j)
            }
            let bodyEnd = close ?? text.endIndex
            let body = text[text.index(after: open)..<bodyEnd]
            i = close.map { text.index(after: $0) } ?? text.endIndex
            // A statement at-rule before the block (`@import url(x);`) ends at its semicolon.
            var prelude2 = Substring(prelude)
            while prelude2.hasPrefix("@"), let semi = prelude2.firstIndex(of: ";") {
                prelude2 = prelude2[prelude2.index(after: semi)...].drop { $0.isWhitespace }
            }
            if prelude2.hasPrefix("@") {
                let lower = prelude2.lowercased()
                if lower.hasPrefix("@media") {
                    let query = lower.dropFirst(6).trimmingCharacters(in: .whitespaces)
                    let media = query.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    if media.allSatisfy({ $0 == "print" || $0.hasPrefix("print ") || $0 == "speech" }) { continue }
                    let plain = media.allSatisfy { $0 == "screen" || $0 == "all" || $0 == "print" }
                    read(body, conditional: conditional || !plain)
                } else if lower.hasPrefix("@supports") || lower.hasPrefix("@layer") || lower.hasPrefix("@container") {
                    read(body, conditional: true)
                }
                continue  // @font-face, @keyframes, @page: nothing that hides text
            }
            let declarations = VisibilityProperty.declarations(body)
            guard !declarations.isEmpty else { continue }
            for piece in VisibilityProperty.splitOutside(prelude2, separator: ",") {
                guard let selector = Selector.parse(piece.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                    continue
                }
                add(Rule(selector: selector, declarations: declarations, order: rules.count, conditional: conditional))
            }
        }
    }

    private mutating func add(_ rule: Rule) {
        let index = rules.count
        rules.append(rule)
        let subject = rule.selector.subject
        if let id = subject.id {
            byID[id, default: []].append(index)
        } else if let cls = subject.classes.first {
            byClass[cls, default: []].append(index)
        } else if let tag = subject.tag {
            byTag[tag, default: []].append(index)
        } else {
            universal.append(index)
        }
        let readsAttributes = rule.selector.parts.contains { part in
            part.compound.attributes.contains { $0.name != "class" && $0.name != "id" }
                || part.compound.pseudos.contains {
                    guard case .not(let inner) = $0 else { return false }
                    return inner.contains { $0.attributes.contains { $0.name != "class" && $0.name != "id" } }
                }
        }
        if readsAttributes { testsAttributes = true }
        if rule.selector.parts.contains(where: { $0.combinator == .adjacent || $0.combinator == .sibling }) {
            matchesSiblings = true
        }
        func positional(_ pseudo: Selector.Pseudo) -> Bool {
            switch pseudo {
            case .firstChild, .lastChild, .onlyChild: return true
            case .not(let inner): return inner.contains { $0.pseudos.contains(where: positional) }
            case .root, .unknown: return false
            }
        }
        if rule.selector.parts.contains(where: { $0.compound.pseudos.contains(where: positional) }) {
            matchesPositions = true
        }
    }

    /// The rules whose subject could be this element, in sheet order.
    func candidates(for e: StyledElement) -> [Int] {
        candidates(id: e.id, classes: e.classes, tagRules: rules(forTag: e.tag))
    }

    /// The rules whose subject is `tag` alone (a tag, no id or class), in sheet order. The tree walk
    /// asks once per distinct tag of a page and passes the answer to `candidates(id:classes:tagRules:)`.
    func rules(forTag tag: String) -> [Int] { byTag[tag] ?? [] }

    /// The rules whose subject could be an element with this id and these classes, whose tag's rules
    /// are `tagRules` (`rules(forTag:)`), in sheet order.
    func candidates(id: String?, classes: [String], tagRules: [Int]) -> [Int] {
        // Most elements have no id or class the sheet names: their candidates are one list as it
        // stands (shared, not copied), or none. Lists are joined only from the second one on.
        var lists: (first: [Int]?, rest: [Int]) = (universal.isEmpty ? nil : universal, [])
        var sources = lists.first == nil ? 0 : 1
        func add(_ r: [Int], to lists: inout (first: [Int]?, rest: [Int]), sources: inout Int) {
            sources += 1
            if sources == 1 { lists.first = r } else { lists.rest += r }
        }
        if let id, let r = byID[id] { add(r, to: &lists, sources: &sources) }
        for cls in classes {
            if let r = byClass[cls] { add(r, to: &lists, sources: &sources) }
        }
        if !tagRules.isEmpty { add(tagRules, to: &lists, sources: &sources) }
        if sources < 2 { return lists.first ?? [] }
        var out = (lists.first ?? []) + lists.rest
        // Each list is in sheet order already: only a merge of two or more needs sorting.
        out.sort()
        return out
    }
}
