// Over 450 lines on purpose: what hides text on a captured page (colours, styles, classes, cascade) is one rule.
import Foundation
import Synchronization

/// Why temoin cannot tell whether the text an outcome rests on was shown (entry member
/// `visibility.uncertain`, docs/FORMAT.md). A typed set: renderers and the dossier name each one.
package struct VisibilityDoubt: RawRepresentable, Codable, Hashable, Sendable, CaseIterable {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }

    /// A class sites toggle by script or by screen width (`collapse`, `modal`, `d-md-none`...).
    package static let classToggled = VisibilityDoubt(rawValue: "class_toggled")
    /// A rule of the page's `<style>` that could hide or show it and that temoin cannot evaluate
    /// without a browser: an `@media` condition, `:hover`/`:checked`..., a value such as `var(--x)`.
    package static let styleRule = VisibilityDoubt(rawValue: "style_rule")
    /// Witnessed attempt: the browser was asked and did not find the text in the page it showed.
    package static let notFoundInBrowser = VisibilityDoubt(rawValue: "not_found_in_browser")

    package static let allCases: [VisibilityDoubt] = [.classToggled, .styleRule, .notFoundInBrowser]
}

/// How text was hidden, for the record of a marker found but not counted.
enum HidingReason: String, Sendable {
    case hiddenAttribute = "hidden attribute"
    case displayNone = "display:none"
    case visibilityHidden = "visibility:hidden"
    case opacityZero = "opacity:0"
    case fontSizeZero = "font-size:0"
    case sameColour = "text colour equal to its background"
    case offScreen = "positioned off-screen"
    case clipped = "clipped to nothing (screen-reader only)"
    case hidingClass = "class"
    case closedElement = "inside a closed <details> or <dialog>"
}

/// Trimming of CSS values without Foundation's bridging (the values of every matched rule pass here).
enum CSSText {
    /// Tab and the Unicode space separators (what `CharacterSet.whitespaces` holds).
    @inline(__always) static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// `text` without spaces at either end, as `trimmingCharacters(in: .whitespaces)` gives it.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isSpace(first) || isSpace(last) else { return text }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }),
            let end = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[start...end])
    }
}

/// An sRGB colour with alpha, from the CSS forms pages use for text and backgrounds.
struct RGBA: Sendable, Equatable {
    var r: Double
    var g: Double
    var b: Double
    var a: Double

    static let white = RGBA(r: 1, g: 1, b: 1, a: 1)

    static let named: [String: RGBA] = [
        "white": .white, "black": RGBA(r: 0, g: 0, b: 0, a: 1), "transparent": RGBA(r: 0, g: 0, b: 0, a: 0),
        "red": RGBA(r: 1, g: 0, b: 0, a: 1), "green": RGBA(r: 0, g: 0.5, b: 0, a: 1),
        "blue": RGBA(r: 0, g: 0, b: 1, a: 1), "gray": RGBA(r: 0.5, g: 0.5, b: 0.5, a: 1),
        "grey": RGBA(r: 0.5, g: 0.5, b: 0.5, a: 1), "silver": RGBA(r: 0.75, g: 0.75, b: 0.75, a: 1),
        "whitesmoke": RGBA(r: 0.96, g: 0.96, b: 0.96, a: 1), "snow": RGBA(r: 1, g: 0.98, b: 0.98, a: 1),
        "ivory": RGBA(r: 1, g: 1, b: 0.94, a: 1), "navy": RGBA(r: 0, g: 0, b: 0.5, a: 1),
        "yellow": RGBA(r: 1, g: 1, b: 0, a: 1), "orange": RGBA(r: 1, g: 0.65, b: 0, a: 1),
    ]

    /// Parses `#fff`, `#ffffff`, `#ffffffff`, `rgb(255,255,255)`, `rgba(0 0 0 / 0)` and common names;
    /// nil for anything else (`var(--x)`, `hsl()`, `currentcolor`): that colour is then not compared.
    static func parse(_ text: String) -> RGBA? {
        let t = CSSText.trimmed(text)
        if let c = named[t] { return c }
        if t.utf8.first == UInt8(ascii: "#") { return hex(Array(t.utf8.dropFirst())) }
        if t.hasPrefix("rgb"), let open = t.firstIndex(of: "("), let close = t.lastIndex(of: ")") {
            let parts = t[t.index(after: open)..<close].split(whereSeparator: { $0 == "," || $0 == " " || $0 == "/" })
                .map(String.init)
            guard parts.count == 3 || parts.count == 4 else { return nil }
            func channel(_ s: String) -> Double? {
                s.hasSuffix("%") ? Double(s.dropLast()).map { $0 / 100 } : Double(s).map { $0 / 255 }
            }
            guard let r = channel(parts[0]), let g = channel(parts[1]), let b = channel(parts[2]) else { return nil }
            var a = 1.0
            if parts.count == 4 {
                guard let v = parts[3].hasSuffix("%") ? Double(parts[3].dropLast()).map({ $0 / 100 }) : Double(parts[3])
                else { return nil }
                a = v
            }
            return RGBA(r: r, g: g, b: b, a: a)
        }
        return nil
    }

    /// `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa` (the digits after `#`), read byte by byte: a page's
    /// rules repeat colours on hundreds of elements.
    private static func hex(_ digits: [UInt8]) -> RGBA? {
        var values: [Double] = []
        values.reserveCapacity(4)
        func digit(_ b: UInt8) -> Int? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(b - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(b - UInt8(ascii: "A")) + 10
            default: return nil
            }
        }
        switch digits.count {
        case 3, 4:
            for b in digits {
                guard let d = digit(b) else { return nil }
                values.append(Double(d * 17) / 255)  // `f` is `ff`
            }
        case 6, 8:
            for i in stride(from: 0, to: digits.count, by: 2) {
                guard let high = digit(digits[i]), let low = digit(digits[i + 1]) else { return nil }
                values.append(Double(high * 16 + low) / 255)
            }
        default:
            return nil
        }
        return RGBA(r: values[0], g: values[1], b: values[2], a: values.count == 4 ? values[3] : 1)
    }

    /// WCAG relative luminance.
    var luminance: Double {
        func lin(_ c: Double) -> Double { c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    /// Text this colour on `background` cannot be read: transparent, or a contrast ratio under 1.1
    /// (white on white, #fafafa on #fff).
    func isInvisible(on background: RGBA) -> Bool {
        if a < 0.05 { return true }
        let l1 = luminance
        let l2 = background.luminance
        return (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05) < 1.1
    }
}

/// What an element's own classes, attributes and style say about its visibility, before inheritance.
struct OwnStyle: Sendable {
    /// The whole subtree is hidden (display:none, opacity:0, off-screen, clipped, `hidden`...).
    var hidesSubtree: (HidingReason, String)?
    /// A doubt about this element (a toggled class, a rule temoin cannot evaluate).
    var doubt: (VisibilityDoubt, String)?
    /// `visibility`: true hidden, false visible again, nil inherited.
    var visibilityHidden: Bool?
    /// `font-size`: true zero, false a size of its own, nil inherited (relative sizes keep a zero).
    var fontSizeZero: Bool?
    var color: RGBA?
    /// A `color` of its own: `color` nil then means one temoin cannot read (the contrast is not checked).
    var colorDeclared = false
    /// Set when the element has an opaque background of its own; `backgroundUnknown` when it has an
    /// image or a colour temoin cannot read (the text colour is then not compared).
    var background: RGBA?
    var backgroundUnknown = false
}

/// Classes with a conventional meaning across CSS frameworks (Bootstrap, DSFR, Tailwind, Foundation,
/// WordPress, Drupal, HTML5 Boilerplate, jQuery UI): pages ship them with their linked stylesheets,
/// which temoin does not read, so the names themselves are the evidence.
enum HidingClasses {
    /// Hidden whatever the screen: display:none or visually hidden (screen readers only).
    static let hidden: Set<String> = [
        "hidden", "d-none", "hide", "is-hidden", "u-hidden", "invisible", "sr-only", "sr-only-focusable",
        "visually-hidden", "visually-hidden-focusable", "visuallyhidden", "fr-sr-only", "fr-hidden",
        "screen-reader-text", "element-invisible", "ui-helper-hidden", "ui-helper-hidden-accessible", "offscreen",
        "show-for-sr", "hidden-print-block",
    ]

    /// Classes hidden until a script adds one of the classes beside them.
    static let toggles: [String: [String]] = [
        "collapse": ["show", "in"], "fade": ["show", "in"], "modal": ["show", "in"], "tab-pane": ["active", "show"],
        "dropdown-menu": ["show"], "fr-collapse": ["fr-collapse--expanded"], "fr-modal": ["fr-modal--opened"],
        "offcanvas": ["show"], "accordion-collapse": ["show"],
    ]

    /// Shown or hidden by a script (a class added on click) or by the screen's width.
    static func toggled(_ classes: [String]) -> String? {
        for c in classes {
            if let shown = toggles[c], !shown.contains(where: classes.contains) { return c }
            if responsive(c) { return c }
        }
        return nil
    }

    /// `d-md-none`, `d-lg-block`, `hidden-xs`, `visible-sm`, `fr-hidden-lg`, `fr-unhidden-md`,
    /// `hide-for-small-only`, `show-for-large`: visible at some screen widths only.
    static func responsive(_ c: String) -> Bool {
        // Most class names start otherwise: decide on the first byte before any string work.
        guard let first = c.utf8.first,
            first == UInt8(ascii: "d") || first == UInt8(ascii: "h")
                || first == UInt8(ascii: "v") || first == UInt8(ascii: "f") || first == UInt8(ascii: "s")
        else { return false }
        let sizes = ["xs", "sm", "md", "lg", "xl", "xxl"]
        if c.hasPrefix("d-") {
            let parts = c.split(separator: "-")
            return parts.count == 3 && sizes.contains(String(parts[1]))
        }
        if c.hasPrefix("hidden-") || c.hasPrefix("visible-") {
            // `hidden-` alone has no second part.
            return c.split(separator: "-").dropFirst().first.map { sizes.contains(String($0)) } ?? false
        }
        if c.hasPrefix("fr-hidden-") || c.hasPrefix("fr-unhidden") { return true }
        if c.hasPrefix("hide-for-") || (c.hasPrefix("show-for-") && c != "show-for-sr") { return true }
        return false
    }
}

/// The cascade, for one element and the properties that can hide text.
enum StyleCascade {
    struct Candidate {
        var declaration: StyleDeclaration
        /// 0 normal rule, 1 inline, 2 important rule, 3 important inline.
        var priority: Int
        var specificity: Int
        var order: Int
        var certain: Bool

        func beats(_ other: Candidate) -> Bool {
            if priority != other.priority { return priority > other.priority }
            if specificity != other.specificity { return specificity > other.specificity }
            return order > other.order
        }
    }

    /// The element's own style from its tag, attributes, what its classes say and what its matched
    /// rules and inline style declare (`declared`, nil when it has neither).
    static func own(
        tag: String, classes: ClassVerdict?, hiddenAttribute: Bool, open: Bool, declared: DeclaredStyle?
    ) -> OwnStyle {
        var own = OwnStyle()
        if hiddenAttribute {
            own.hidesSubtree = (.hiddenAttribute, "hidden")
            return own
        }
        if tag == "dialog" && !open {
            own.hidesSubtree = (.closedElement, "<dialog>")
            return own
        }
        if let classes {
            if let hiding = classes.hides {
                own.hidesSubtree = (.hidingClass, hiding)
                return own
            }
            if let doubt = classes.doubt { own.doubt = (.classToggled, doubt) }
        }
        guard let declared else { return own }
        own.doubt = own.doubt ?? declared.doubt
        if let hides = declared.hidesSubtree {
            own.hidesSubtree = hides
            return own
        }
        var result = declared
        result.doubt = own.doubt
        return result
    }

    /// What an element's classes say, the same for every element with the same `class` attribute.
    struct ClassVerdict: Sendable {
        var classes: [String]
        /// `class X`: a hiding class hides the element and all it holds.
        var hides: String?
        /// `class X` or `class X Y`: shown or hidden by a script or the screen's width.
        var doubt: String?

        /// The verdict on a `class` attribute as written. It depends on the attribute alone, and a
        /// site's pages repeat the same attributes: the last ones are kept across pages (as the
        /// style sheets are, `StyleSheet.parse`).
        static func of(_ list: String) -> ClassVerdict {
            if let known = recent.withLock({ $0[list] }) { return known }
            let verdict = ClassVerdict(
                list.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init))
            recent.withLock { cache in
                if cache.count >= 4096 { cache.removeAll() }
                cache[list] = verdict
            }
            return verdict
        }

        private static let recent = Mutex<[String: ClassVerdict]>([:])

        init(_ classes: [String]) {
            self.classes = classes
            if let c = classes.first(where: HidingClasses.hidden.contains) {
                // `d-none d-md-block`: hidden on a phone, shown on a wide screen.
                if let r = classes.first(where: HidingClasses.responsive) {
                    doubt = "class \(c) \(r)"
                } else {
                    hides = "class \(c)"
                }
            } else if let t = HidingClasses.toggled(classes) {
                doubt = "class \(t)"
            }
        }
    }

    /// What an element's matched rules and inline declarations decide, the same for every element
    /// with the same rules and `style` attribute: an `OwnStyle` before its tag, attributes and classes.
    typealias DeclaredStyle = OwnStyle

    /// The cascade of `inline` and `matched` for the properties that can hide text.
    static func declared(inline: [StyleDeclaration], matched: [(StyleSheet.Rule, Tristate)]) -> DeclaredStyle {
        var own = DeclaredStyle()
        guard !inline.isEmpty || !matched.isEmpty else { return own }

        var certain: [String: Candidate] = [:]
        var possible: [String: Candidate] = [:]
        func offer(_ c: Candidate) {
            let p = c.declaration.property
            if c.certain {
                if certain[p].map({ c.beats($0) }) ?? true { certain[p] = c }
            } else if possible[p].map({ c.beats($0) }) ?? true {
                possible[p] = c
            }
        }
        for (rule, match) in matched {
            for d in rule.declarations {
                offer(
                    Candidate(
                        declaration: d, priority: d.important ? 2 : 0, specificity: rule.selector.specificity,
                        order: rule.order, certain: match == .yes && !rule.conditional))
            }
        }
        for (i, d) in inline.enumerated() {
            offer(
                Candidate(
                    declaration: d, priority: d.important ? 3 : 1, specificity: 0, order: Int.max - 1000 + i,
                    certain: true))
        }
        var sure: [String: String] = [:]
        var maybe: [String: String] = [:]
        for (p, c) in certain { sure[p] = c.declaration.value }
        maybe = sure
        var contested = false
        for (p, c) in possible where certain[p].map({ c.beats($0) }) ?? true {
            maybe[p] = c.declaration.value
            contested = true
        }
        let verdict = hiding(sure)
        if contested {
            let other = hiding(maybe)
            if (verdict == nil) != (other == nil) {
                let property = possible.keys.sorted().joined(separator: ", ")
                own.doubt = own.doubt ?? (.styleRule, "<style> rule on \(property)")
            }
        }
        if let verdict {
            own.hidesSubtree = verdict
            return own
        }
        // Values temoin cannot compute for a property that hides: say so rather than guess.
        for p in ["display", "visibility", "opacity"] where sure[p]?.contains("var(") == true {
            own.doubt = own.doubt ?? (.styleRule, "\(p): \(sure[p]!)")
        }
        if let v = sure["visibility"] {
            if v == "hidden" || v == "collapse" { own.visibilityHidden = true }
            if v == "visible" { own.visibilityHidden = false }
        }
        if let f = sure["font-size"] { own.fontSizeZero = fontSizeIsZero(f) }
        if let c = sure["color"], !["inherit", "currentcolor", "unset"].contains(c) {
            own.color = RGBA.parse(c)
            own.colorDeclared = true
        }
        if let bg = sure["background-color"] ?? sure["background"] {
            if bg.contains("url(") || bg.contains("gradient(") {
                own.backgroundUnknown = true
            } else if let colour = backgroundColour(bg) {
                if colour.a >= 0.9 { own.background = colour }
            } else if bg != "none" && bg != "transparent" && bg != "initial" && bg != "inherit" {
                own.backgroundUnknown = true
            }
        }
        return own
    }

    /// The first colour of a `background` shorthand.
    static func backgroundColour(_ value: String) -> RGBA? {
        if let c = RGBA.parse(value) { return c }
        for token in VisibilityProperty.splitOutside(Substring(value), separator: " ") {
            if let c = RGBA.parse(String(token)) { return c }
        }
        return nil
    }

    /// nil: the size is relative (em, %), so a zero inherited stays zero; true: zero.
    static func fontSizeIsZero(_ value: String) -> Bool? {
        let v = CSSText.trimmed(value)
        if let n = Double(v.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }), n <= 0 { return true }
        if v.hasSuffix("%") || (v.hasSuffix("em") && !v.hasSuffix("rem"))
            || ["inherit", "smaller", "larger"].contains(v)
        {
            return nil
        }
        return false
    }

    /// A length in CSS pixels (px, pt; rem and em counted as 16 px; vw and vh as 10 px); nil otherwise.
    static func length(_ value: String) -> Double? {
        let v = CSSText.trimmed(value)
        if v == "0" { return 0 }
        let units: [(String, Double)] = [("rem", 16), ("px", 1), ("pt", 4.0 / 3), ("em", 16), ("vw", 10), ("vh", 10)]
        for (unit, factor) in units where v.hasSuffix(unit) {
            return Double(v.dropLast(unit.count)).map { $0 * factor }
        }
        return nil
    }

    /// Whether these computed values hide the element and all it holds, and why.
    static func hiding(_ v: [String: String]) -> (HidingReason, String)? {
        if v["display"] == "none" { return (.displayNone, "display:none") }
        if v["content-visibility"] == "hidden" { return (.displayNone, "content-visibility:hidden") }
        if let o = v["opacity"] {
            let n = o.hasSuffix("%") ? Double(o.dropLast()).map { $0 / 100 } : Double(o)
            if let n, n <= 0.01 { return (.opacityZero, "opacity:\(o)") }
        }
        let positioned = v["position"] == "absolute" || v["position"] == "fixed"
        if positioned {
            for side in ["left", "top", "right"] {
                if let s = v[side], let n = length(s), n <= -999 { return (.offScreen, "\(side):\(s)") }
            }
            if let clip = v["clip"], clip.hasPrefix("rect(") {
                let numbers = clip.dropFirst(5).split(whereSeparator: { ", )".contains($0) }).compactMap {
                    length(String($0))
                }
                if numbers.count == 4, (numbers[1] - numbers[3]) * (numbers[2] - numbers[0]) <= 1 {
                    return (.clipped, "clip:\(clip)")
                }
            }
        }
        if let t = v["text-indent"], let n = length(t), n <= -999 { return (.offScreen, "text-indent:\(t)") }
        if let t = v["transform"] {
            if t.contains("scale(0") { return (.clipped, "transform:\(t)") }
            if let r = t.range(of: "translate") {
                let args = t[r.upperBound...].drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }
                if args.split(separator: ",").contains(where: { length(String($0)).map { $0 <= -999 } ?? false }) {
                    return (.offScreen, "transform:\(t)")
                }
            }
        }
        if let cp = v["clip-path"] {
            if cp.hasPrefix("inset(") {
                let n = cp.dropFirst(6).prefix { $0.isNumber || $0 == "." }
                if cp.contains("%"), let p = Double(n), p >= 50 { return (.clipped, "clip-path:\(cp)") }
            }
            if cp.hasPrefix("circle(0") || cp.hasPrefix("polygon(0 0, 0 0") { return (.clipped, "clip-path:\(cp)") }
        }
        let overflowHidden = v["overflow"] == "hidden" || v["overflow"] == "clip"
        if overflowHidden {
            let w = v["width"].flatMap(length)
            let h = v["height"].flatMap(length) ?? v["max-height"].flatMap(length)
            if let w, w <= 1 { return (.clipped, "width:\(v["width"]!);overflow:hidden") }
            if let h, h <= 1 { return (.clipped, "height:\(v["height"] ?? v["max-height"]!);overflow:hidden") }
        }
        return nil
    }
}
