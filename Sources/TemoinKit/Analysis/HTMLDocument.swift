import CLibXML2
import Foundation

/// A parsed HTML page. Owns the libxml2 document; no libxml2 pointer leaves this class.
///
/// Pages are decoded to Swift strings first (see `Charset`) and handed to libxml2 as UTF-8 with
/// `HTML_PARSE_IGNORE_ENC`, so a page's own `<meta charset>` cannot make libxml2 decode it twice.
final class HTMLDocument {
    private let doc: htmlDocPtr

    /// The most markup parsed: libxml2's tree costs up to ~50 times the page's size (a page of
    /// `<p>x</p>` elements), so a hostile page could otherwise take gigabytes. Real booking pages are
    /// under 300 KB; the bytes received are always stored whole, only the analysis stops here.
    static let analysisLimit = 2 * 1024 * 1024

    /// Whether the page was longer than `analysisLimit` and only its beginning was parsed.
    private(set) var truncated = false

    /// Parses in recover mode: hostile or broken markup yields a best-effort tree, never a crash.
    init?(text: String, url: String? = nil) {
        Self.silenceErrors()
        var utf8 = Array(text.utf8)
        if utf8.count > Self.analysisLimit {
            // Cut at a character boundary, never inside a UTF-8 sequence.
            var end = Self.analysisLimit
            while end > 0 && utf8[end] & 0xC0 == 0x80 { end -= 1 }
            utf8.removeSubrange(end...)
            truncated = true
        }
        if utf8.isEmpty { utf8 = Array("<html></html>".utf8) }
        let options =
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_NOBLANKS.rawValue
        let parsed = utf8.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                htmlReadMemory(chars, Int32(clamping: buffer.count), url, "UTF-8", Int32(bitPattern: options))
            }
        }
        guard let parsed else { return nil }
        doc = parsed
    }

    deinit { xmlFreeDoc(doc) }

    /// libxml2 reports XPath and parser errors through a per-thread handler; a no-op one keeps
    /// hostile pages and bad rule files from writing to the terminal (we report errors ourselves).
    private static func silenceErrors() {
        xmlSetStructuredErrorFunc(nil) { _, _ in }
    }

    /// Checks that an XPath expression compiles (rule files are validated when loaded).
    static func isValidXPath(_ expression: String) -> Bool {
        silenceErrors()
        guard let compiled = xmlXPathCompile(expression) else { return false }
        xmlXPathFreeCompExpr(compiled)
        return true
    }

    /// Removes what a person never sees (scripts, styles, `hidden` and `display:none` elements), so
    /// that neither the visible text nor an XPath rule can be fooled by it.
    func pruneInvisible() {
        guard let root = xmlDocGetRootElement(doc) else { return }
        var doomed: [xmlNodePtr] = []
        var stack: [xmlNodePtr] = [root]
        while let node = stack.popLast() {
            var child = node.pointee.children
            while let c = child {
                child = c.pointee.next
                guard c.pointee.type == XML_ELEMENT_NODE else { continue }
                let name = c.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                if ["script", "style", "template", "noscript"].contains(name)
                    || Self.isHidden(c)
                {
                    doomed.append(c)
                } else {
                    stack.append(c)
                }
            }
        }
        for node in doomed {
            xmlUnlinkNode(node)
            xmlFreeNode(node)
        }
    }

    // MARK: Queries

    /// What an XPath expression selected: node count and the text of the first node (or the value).
    struct XPathResult {
        var count: Int
        var firstText: String?
        var matched: Bool { count > 0 }
    }

    func evaluate(_ expression: String) -> XPathResult {
        Self.silenceErrors()
        guard let context = xmlXPathNewContext(doc) else { return XPathResult(count: 0) }
        defer { xmlXPathFreeContext(context) }
        guard let object = xmlXPathEvalExpression(expression, context) else { return XPathResult(count: 0) }
        defer { xmlXPathFreeObject(object) }
        switch object.pointee.type {
        case XPATH_NODESET:
            guard let set = object.pointee.nodesetval, set.pointee.nodeNr > 0, let nodes = set.pointee.nodeTab,
                let first = nodes[0]
            else { return XPathResult(count: 0) }
            return XPathResult(count: Int(set.pointee.nodeNr), firstText: Self.collapsedText(of: first))
        case XPATH_BOOLEAN:
            return XPathResult(count: object.pointee.boolval != 0 ? 1 : 0)
        case XPATH_NUMBER:
            let v = object.pointee.floatval
            return XPathResult(count: v.isFinite && v > 0 ? Int(min(v, 1e9)) : 0)
        case XPATH_STRING:
            let s = object.pointee.stringval.map { String(cString: $0) } ?? ""
            return XPathResult(count: s.isEmpty ? 0 : 1, firstText: s.isEmpty ? nil : s)
        default:
            return XPathResult(count: 0)
        }
    }

    /// An element selected by XPath: its name, attributes and text.
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
    }

    /// The elements an XPath expression selects, in document order (at most `limit`).
    func elements(_ expression: String, limit: Int = 500) -> [Element] {
        Self.silenceErrors()
        guard let context = xmlXPathNewContext(doc) else { return [] }
        defer { xmlXPathFreeContext(context) }
        guard let object = xmlXPathEvalExpression(expression, context) else { return [] }
        defer { xmlXPathFreeObject(object) }
        guard object.pointee.type == XPATH_NODESET, let set = object.pointee.nodesetval, let nodes = set.pointee.nodeTab
        else { return [] }
        var out: [Element] = []
        for i in 0..<min(Int(set.pointee.nodeNr), limit) {
            guard let node = nodes[i], node.pointee.type == XML_ELEMENT_NODE else { continue }
            var attributes: [String: String] = [:]
            var attribute = node.pointee.properties
            while let a = attribute {
                if let name = a.pointee.name {
                    let value = xmlNodeGetContent(UnsafeMutableRawPointer(a).assumingMemoryBound(to: xmlNode.self))
                    attributes[String(cString: name).lowercased()] = value.map { String(cString: $0) } ?? ""
                    if let value { temoin_xml_free(value) }
                }
                attribute = a.pointee.next
            }
            out.append(
                Element(
                    name: node.pointee.name.map { String(cString: $0).lowercased() } ?? "", attributes: attributes,
                    text: Self.collapsedText(of: node)))
        }
        return out
    }

    /// The string value of an XPath expression (e.g. `string(//link[@rel='canonical']/@href)`).
    func string(_ expression: String) -> String? {
        let r = evaluate(expression)
        guard let t = r.firstText?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }

    var title: String? { string("string(/html/head/title)") ?? string("string(//title)") }

    private static func collapsedText(of node: xmlNodePtr) -> String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { temoin_xml_free(content) }
        return TextNormalizer.collapseWhitespace(String(cString: content))
    }

    // MARK: Visible text

    private static let skipped: Set<String> = [
        "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "title",
    ]
    private static let blockLevel: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "html", "legend", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "label", "button", "select", "textarea",
    ]

    /// The text a person sees, one string per block (paragraph, heading, list item, cell...), in page
    /// order, whitespace collapsed. Call `pruneInvisible()` first: hidden elements (`hidden`,
    /// `display:none`) are removed there. Scripts are left out; the labels of submit buttons are kept
    /// because people read them.
    func visibleBlocks(limit: Int = 20_000) -> [String] {
        guard let root = xmlDocGetRootElement(doc) else { return [] }
        var blocks: [String] = []
        // The block being read, as the UTF-8 bytes libxml2 holds (no string per text node).
        var current: [UInt8] = []
        func flush() {
            guard !current.isEmpty else { return }
            let collapsed = TextNormalizer.collapseWhitespace(String(decoding: current, as: UTF8.self))
            if !collapsed.isEmpty, blocks.count < limit { blocks.append(collapsed) }
            current.removeAll(keepingCapacity: true)
        }
        // Iterative walk: deep nesting in a hostile page cannot overflow the stack. An element is
        // visited on the way in; block-level ones are visited again on the way out (`entering` false).
        var stack: [(xmlNodePtr, Bool)] = [(root, true)]
        while let (node, entering) = stack.popLast() {
            let type = node.pointee.type
            if type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE {
                if let content = node.pointee.content {
                    current.append(contentsOf: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                }
                continue
            }
            guard type == XML_ELEMENT_NODE else { continue }
            if !entering {
                flush()
                continue
            }
            let name = node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
            // Hidden elements were pruned already (`pruneInvisible`); only skipped kinds remain to pass over.
            if Self.skipped.contains(name) { continue }
            if name == "br" {
                current.append(0x0A)
                continue
            }
            if name == "input" {
                let kind = (attribute(node, "type") ?? "").lowercased()
                if kind == "submit" || kind == "button", let value = attribute(node, "value") {
                    flush()
                    current.append(contentsOf: value.utf8)
                    flush()
                }
                continue
            }
            if Self.blockLevel.contains(name) {
                flush()
                stack.append((node, false))
            }
            var child = node.pointee.last
            while let c = child {
                stack.append((c, true))
                child = c.pointee.prev
            }
        }
        flush()
        return blocks
    }

    private func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { temoin_xml_free(value) }
        return String(cString: value)
    }

    /// Hidden from people: the `hidden` attribute, or an inline `display:none` / `visibility:hidden`.
    private static func isHidden(_ node: xmlNodePtr) -> Bool {
        if xmlHasProp(node, "hidden") != nil { return true }
        guard let style = xmlGetProp(node, "style") else { return false }
        defer { temoin_xml_free(style) }
        let s = String(cString: style).lowercased().replacingOccurrences(of: " ", with: "")
        return s.contains("display:none") || s.contains("visibility:hidden")
    }
}
