import CLibXML2
import Foundation

/// A parsed HTML page. Owns the libxml2 document; no libxml2 pointer leaves this class (and its
/// extension in HTMLDocument+Text.swift, which reads what a person sees).
///
/// Pages are decoded to Swift strings first (see `Charset`) and handed to libxml2 as UTF-8 with
/// `HTML_PARSE_IGNORE_ENC`, so a page's own `<meta charset>` cannot make libxml2 decode it twice.
final class HTMLDocument {
    let doc: htmlDocPtr
    /// Elements the text of blocks came from (`PageText.Block.node` indexes it), and the visibility
    /// state in force below each element whose state differs from its parent's (see `read()`).
    var blockNodes: [xmlNodePtr] = []
    var stateOf: [xmlNodePtr: Int] = [:]
    var states: [TextState] = [TextState()]

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
            // Short text stored inside its node (fewer allocations); nodes are only ever unlinked and
            // freed afterwards, never given new content, which is what this option forbids.
            | HTML_PARSE_COMPACT.rawValue
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
    static func silenceErrors() {
        xmlSetStructuredErrorFunc(nil) { _, _ in }
    }

    /// Checks that an XPath expression compiles (rule files are validated when loaded).
    static func isValidXPath(_ expression: String) -> Bool {
        silenceErrors()
        guard let compiled = xmlXPathCompile(expression) else { return false }
        xmlXPathFreeCompExpr(compiled)
        return true
    }

    // MARK: Queries

    /// What an XPath expression selected: node count and the text of the first node (or the value).
    struct XPathResult {
        var count: Int
        var firstText: String?
        var matched: Bool { count > 0 }
    }

    func evaluate(_ expression: String) -> XPathResult {
        withResult(of: expression) { object in object.map(Self.value) ?? XPathResult(count: 0) }
    }

    /// Evaluates `expression` once and hands `body` its result (nil when it does not compile or
    /// fails); the result is freed afterwards, so nothing of it may escape `body`.
    func withResult<T>(of expression: String, _ body: (UnsafeMutablePointer<xmlXPathObject>?) -> T) -> T {
        Self.silenceErrors()
        guard let context = xmlXPathNewContext(doc) else { return body(nil) }
        defer { xmlXPathFreeContext(context) }
        let object = xmlXPathEvalExpression(expression, context)
        defer { if let object { xmlXPathFreeObject(object) } }
        return body(object)
    }

    /// What an XPath result amounts to: node count and first node's text, or the value.
    static func value(of object: UnsafeMutablePointer<xmlXPathObject>) -> XPathResult {
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

    static func collapsedText(of node: xmlNodePtr) -> String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { temoin_xml_free(content) }
        return TextNormalizer.collapseWhitespace(String(cString: content))
    }

}
