// Over 450 lines on purpose: one walk down the tree and the visibility state it inherits are one algorithm.
import CLibXML2
import Foundation
import Synchronization

/// What is inherited down the tree and decides whether a piece of text is shown.
struct TextState {
    var visibilityHidden = false
    var fontSizeZero = false
    var color: RGBA?
    /// The nearest opaque background above (the canvas is white); nil when an image or an unreadable
    /// colour makes the contrast unknowable.
    var background: RGBA? = .white
    var doubt: (VisibilityDoubt, String)?
    /// Inside `<blockquote>`, `<q>`, `<cite>` or `<figcaption>`: someone quoting or describing, not
    /// the site speaking.
    var quoted = false
    /// A `<details>` element without `open`: only its `<summary>` shows.
    var closedDetails = false
    /// Inside a link (`<a href>`).
    var inLink = false

    /// Why text in this state is not shown, nil when it is.
    var hiddenBecause: String? {
        if visibilityHidden { return HidingReason.visibilityHidden.rawValue }
        if fontSizeZero { return HidingReason.fontSizeZero.rawValue }
        if let color, let background, color.isInvisible(on: background) { return HidingReason.sameColour.rawValue }
        return nil
    }
}

/// The text of a page as a person sees it, with what the rules need to judge each block.
struct PageText {
    struct Block {
        var text: String
        /// Index of the element the block belongs to (`HTMLDocument.blockNodes`).
        var node: Int
        /// Lowercase tag of that element (`p`, `h1`, `li`, `form`...).
        var tag: String
        /// Part of its text sits where visibility cannot be known.
        var doubt: (VisibilityDoubt, String)?
        /// Part of its text is inside `<blockquote>`, `<q>`, `<cite>` or `<figcaption>`.
        var quoted: Bool
        /// All its text is the text of links or of a button: navigation, not a statement.
        var linkOnly = false

        var isHeading: Bool { tag.count == 2 && tag.hasPrefix("h") && tag.last!.isNumber }
    }

    /// Text a person does not see, kept to say so when a marker is found only there.
    struct Hidden {
        var text: String
        var reason: String
    }

    var blocks: [Block] = []
    var hidden: [Hidden] = []
    var title: String?
    /// Where the page says it lives (`<link rel="canonical">`, `og:url`) and its site's name.
    var canonical: String?
    var ogURL: String?
    var siteName: String?
}

extension HTMLDocument {
    fileprivate static let skipped: Set<String> = [
        "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "title",
    ]
    /// Never shown as text whatever the style: removed from the tree with hidden elements, so that an
    /// XPath rule cannot select them either.
    fileprivate static let neverText: Set<String> = ["script", "style", "template", "noscript"]
    fileprivate static let blockLevel: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "html", "legend", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "label", "button", "select", "textarea",
    ]
    private static let hiddenTextLimit = 200

    /// Reads the page once, in order: which elements are hidden (the `hidden` attribute, the common
    /// hiding classes, inline styles and the rules of the page's own `<style>` elements: display,
    /// visibility, opacity, font size, text colour against its background, off-screen positions and
    /// clipping), the visible text as blocks (paragraph, heading, list item, cell...), the hidden
    /// text, and the head's title and canonical address. Hidden elements, scripts and styles are then
    /// removed from the tree, so that XPath rules see only what is shown. Call it once, before any
    /// XPath rule; the labels of submit buttons count as text because people read them.
    func read(blockLimit: Int = 20_000) -> PageText {
        var out = PageText()
        guard let root = xmlDocGetRootElement(doc) else { return out }
        let sheet = StyleSheet.parse(utf8: styleText())
        var doomed: [xmlNodePtr] = []
        var hiddenBytes = 0

        // The block being read, as the UTF-8 bytes libxml2 holds (no string per text node).
        var current: [UInt8] = []
        var currentDoubt: (VisibilityDoubt, String)?
        var currentQuoted = false
        var currentOnlyLinks = true
        var hiddenCurrent: [UInt8] = []
        var hiddenReason = ""
        var openBlocks: [(node: xmlNodePtr, tag: String)] = []
        func flush() {
            if !current.isEmpty {
                let collapsed = current.withUnsafeBufferPointer { TextNormalizer.collapseWhitespace(utf8: $0) }
                if !collapsed.isEmpty, out.blocks.count < blockLimit {
                    let (node, tag) = openBlocks.last ?? (root, "html")
                    blockNodes.append(node)
                    out.blocks.append(
                        PageText.Block(
                            text: collapsed, node: blockNodes.count - 1, tag: tag, doubt: currentDoubt,
                            quoted: currentQuoted, linkOnly: currentOnlyLinks || tag == "button" || tag == "input"))
                }
                current.removeAll(keepingCapacity: true)
            }
            currentDoubt = nil
            currentQuoted = false
            currentOnlyLinks = true
            if !hiddenCurrent.isEmpty {
                hiddenCurrent.withUnsafeBufferPointer { keepHidden($0, hiddenReason) }
                hiddenCurrent.removeAll(keepingCapacity: true)
            }
        }
        var keepsHidden: Bool { out.hidden.count < Self.hiddenTextLimit && hiddenBytes < 1_000_000 }
        func keepHidden(_ text: UnsafeBufferPointer<UInt8>, _ reason: String) {
            guard keepsHidden else { return }
            let collapsed = TextNormalizer.collapseWhitespace(utf8: text)
            guard !collapsed.isEmpty else { return }
            hiddenBytes += collapsed.utf8.count
            out.hidden.append(PageText.Hidden(text: collapsed, reason: reason))
        }

        // What each visibility state means for a text node, computed once per state, not per node.
        var facts = states.map(StateFacts.init)

        // What a tag name means, computed once per distinct name (a page repeats them on most of its
        // elements; `TagKind.of` keeps them across pages too, as `ClassVerdict.of` keeps class
        // verdicts and `StyleSheet.declared` the declared styles), with the sheet's rules for that tag:
        // no string is hashed per element to find them.
        var tags: [UInt64: (kind: TagKind, rules: [Int])] = [:]

        // Selector context, kept only when the page has rules to match.
        var path: [StyledElement] = []
        var siblings: [[StyledElement]] = []
        var siblingCounts: [Int] = []

        // Iterative walk: deep nesting in a hostile page cannot overflow the stack. An element is
        // visited on the way in; block-level ones are visited again on the way out (`entering` false).
        struct Frame {
            var node: xmlNodePtr
            var entering: Bool
            var state: Int
            var depth: Int
        }
        var stack = [Frame(node: root, entering: true, state: 0, depth: 0)]
        while let frame = stack.popLast() {
            let node = frame.node
            let type = node.pointee.type
            if type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE {
                guard let content = node.pointee.content else { continue }
                let bytes = UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content)))
                let fact = facts[frame.state]
                if let reason = fact.hidden {
                    if hiddenCurrent.isEmpty { hiddenReason = reason.rawValue }
                    hiddenCurrent.append(contentsOf: bytes)
                } else {
                    current.append(contentsOf: bytes)
                    let printable = bytes.contains(where: { $0 > 0x20 })
                    if fact.doubted, currentDoubt == nil, printable { currentDoubt = states[frame.state].doubt }
                    if fact.quoted { currentQuoted = true }
                    if !fact.inLink, printable { currentOnlyLinks = false }
                }
                continue
            }
            guard type == XML_ELEMENT_NODE else { continue }
            if !frame.entering {
                flush()
                openBlocks.removeLast()
                continue
            }
            // libxml2's HTML parser copies each element's name (no dictionary): tags are told apart by
            // their bytes, packed in an integer when they are 8 bytes or fewer (nearly all are).
            let kind: TagKind
            let tagRules: [Int]
            if let key = Self.packedName(node) {
                if let known = tags[key] {
                    (kind, tagRules) = known
                } else {
                    kind = TagKind.of(key, node)
                    tagRules = sheet.rules(forTag: kind.name)
                    tags[key] = (kind, tagRules)
                }
            } else {
                kind = TagKind(Self.lowercaseName(node))
                tagRules = sheet.rules(forTag: kind.name)
            }
            let name = kind.name
            if name == "head" {
                readHead(node, into: &out)
                continue
            }
            if kind.neverText {
                doomed.append(node)
                continue
            }
            if name == "title" {
                if out.title == nil { out.title = Self.collapsedText(of: node) }
                continue
            }
            if name == "br" {
                current.append(0x0A)
                continue
            }
            let parentFact = facts[frame.state]
            let attributes = Self.styleAttributes(node, all: sheet.testsAttributes)
            var verdict: StyleCascade.ClassVerdict?
            if let list = attributes.classList { verdict = StyleCascade.ClassVerdict.of(list) }
            let classes = verdict?.classes ?? []
            var matched: [(StyleSheet.Rule, Tristate)] = []
            var matchedKey: [Int] = []
            if !sheet.isEmpty {
                let depth = frame.depth
                // `removeLast(_:)`, not `removeSubrange`: the generic range replacement cost more than the
                // rest of keeping the path.
                if path.count > depth { path.removeLast(path.count - depth) }
                if siblings.count > depth + 1 { siblings.removeLast(siblings.count - depth - 1) }
                var e = StyledElement(
                    tag: name, id: attributes.id, classes: classes, attributes: attributes.others, index: 0,
                    siblingCount: nil)
                if sheet.matchesSiblings {
                    if siblings.count == depth + 1, !Self.isFirstElementChild(node) {
                        e.index = siblings[depth].count
                        siblings[depth].append(e)
                    } else {
                        if siblings.count == depth + 1 { siblings[depth] = [e] } else { siblings.append([e]) }
                    }
                } else if sheet.matchesPositions {
                    // No `+` or `~` in the sheet: only the position counts (`:first-child`), so a count per
                    // depth stands for the list of siblings, the same positions without copying elements.
                    if siblingCounts.count > depth + 1 { siblingCounts.removeLast(siblingCounts.count - depth - 1) }
                    if siblingCounts.count == depth + 1, !Self.isFirstElementChild(node) {
                        e.index = siblingCounts[depth]
                        siblingCounts[depth] += 1
                    } else {
                        if siblingCounts.count == depth + 1 {
                            siblingCounts[depth] = 1
                        } else {
                            siblingCounts.append(1)
                        }
                    }
                }
                // The candidates before `e` joins the path, so that it moves there rather than being copied.
                let candidates = sheet.candidates(id: e.id, classes: e.classes, tagRules: tagRules)
                path.append(e)
                for i in candidates {
                    let rule = sheet.rules[i]
                    let m = rule.selector.matches(path: path, siblings: siblings)
                    if m != .no {
                        matched.append((rule, m))
                        matchedKey.append(i * 2 + (m == .maybe ? 1 : 0))
                    }
                }
            }
            var declared: StyleCascade.DeclaredStyle?
            if attributes.style != nil || !matched.isEmpty {
                declared = sheet.declared(StyleSheet.DeclaredKey(style: attributes.style, rules: matchedKey)) {
                    StyleCascade.declared(
                        inline: attributes.style.map { VisibilityProperty.declarations(Substring($0)) } ?? [],
                        matched: matched)
                }
            }
            var own =
                verdict == nil && declared == nil && !attributes.hidden && name != "dialog"
                ? OwnStyle()
                : StyleCascade.own(
                    tag: name, classes: verdict, hiddenAttribute: attributes.hidden, open: attributes.open,
                    declared: declared)
            if parentFact.closedDetails, name != "summary", own.hidesSubtree == nil {
                own.hidesSubtree = (.closedElement, "<details>")
            }
            if let (_, detail) = own.hidesSubtree {
                flush()
                if name != "input" || attributes.type != "hidden", keepsHidden {
                    if let text = xmlNodeGetContent(node) {
                        keepHidden(UnsafeBufferPointer(start: text, count: Int(xmlStrlen(text))), detail)
                        temoin_xml_free(text)
                    }
                }
                doomed.append(node)
                continue
            }
            // The state below this element: a new one only when something changes.
            var stateIndex = frame.state
            let plain =
                !parentFact.closedDetails && !kind.changesState && own.doubt == nil && own.visibilityHidden == nil
                && own.fontSizeZero == nil && !own.colorDeclared && !own.backgroundUnknown && own.background == nil
            if !plain {
                let parentState = states[frame.state]
                var state = parentState
                state.closedDetails = name == "details" && !attributes.open
                if let v = own.visibilityHidden { state.visibilityHidden = v }
                if let f = own.fontSizeZero { state.fontSizeZero = f }
                if own.colorDeclared { state.color = own.color }
                if own.backgroundUnknown { state.background = nil }
                if let bg = own.background { state.background = bg }
                if let d = own.doubt, state.doubt == nil { state.doubt = d }
                // Someone quoting or describing: a quotation, a citation, the caption of a picture.
                if name == "blockquote" || name == "q" || name == "cite" || name == "figcaption" { state.quoted = true }
                if name == "a" { state.inLink = true }
                if !Self.same(state, parentState) {
                    states.append(state)
                    facts.append(StateFacts(state))
                    stateIndex = states.count - 1
                    stateOf[node] = stateIndex
                }
            }
            if name == "input" {
                let kind = attributes.type ?? ""
                if kind == "submit" || kind == "button", let value = Self.attribute(node, "value") {
                    flush()
                    if facts[stateIndex].hiddenBecause == nil {
                        current.append(contentsOf: value.utf8)
                        if let d = states[stateIndex].doubt { currentDoubt = d }
                    }
                    openBlocks.append((node, name))
                    flush()
                    openBlocks.removeLast()
                }
                continue
            }
            if kind.skipped { continue }
            if kind.block {
                flush()
                openBlocks.append((node, name))
                stack.append(Frame(node: node, entering: false, state: stateIndex, depth: frame.depth))
            }
            var child = node.pointee.last
            while let c = child {
                stack.append(Frame(node: c, entering: true, state: stateIndex, depth: frame.depth + 1))
                child = c.pointee.prev
            }
        }
        flush()
        for node in doomed {
            xmlUnlinkNode(node)
            xmlFreeNode(node)
        }
        return out
    }

    /// The element's name as an integer (its bytes, little end first), nil when longer than 8 bytes.
    private static func packedName(_ node: xmlNodePtr) -> UInt64? {
        guard let name = node.pointee.name else { return 0 }
        var key: UInt64 = 0
        for i in 0..<9 {
            let byte = name[i]
            if byte == 0 { return key }
            if i == 8 { return nil }
            key |= UInt64(byte) << (8 * UInt64(i))
        }
        return nil
    }

    /// What the walk needs of a tag name.
    private struct TagKind: Sendable {
        let name: String
        let neverText: Bool
        let skipped: Bool
        let block: Bool
        /// The state below it differs from its parent's whatever its style (`details`, quotations, links).
        let changesState: Bool

        /// The kind of the element whose packed name is `key`, kept across pages (the same few
        /// dozen tags make every page).
        static func of(_ key: UInt64, _ node: xmlNodePtr) -> TagKind {
            if let known = known.withLock({ $0[key] }) { return known }
            let kind = TagKind(HTMLDocument.lowercaseName(node))
            known.withLock { cache in
                if cache.count >= 1024 { cache.removeAll() }
                cache[key] = kind
            }
            return kind
        }

        private static let known = Mutex<[UInt64: TagKind]>([:])

        init(_ name: String) {
            self.name = name
            neverText = HTMLDocument.neverText.contains(name)
            skipped = HTMLDocument.skipped.contains(name)
            block = HTMLDocument.blockLevel.contains(name)
            changesState = ["details", "blockquote", "q", "cite", "figcaption", "a"].contains(name)
        }
    }

    /// What a visibility state means for the text under it.
    private struct StateFacts {
        /// Why its text is not shown (a closed `<details>` included), nil when it is.
        let hidden: HidingReason?
        /// Why its text is not shown by style alone (a submit button's label).
        let hiddenBecause: String?
        let doubted: Bool
        let quoted: Bool
        let inLink: Bool
        let closedDetails: Bool

        init(_ state: TextState) {
            hiddenBecause = state.hiddenBecause
            hidden = state.closedDetails ? .closedElement : hiddenBecause.flatMap(HidingReason.init(rawValue:))
            doubted = state.doubt != nil
            quoted = state.quoted
            inLink = state.inLink
            closedDetails = state.closedDetails
        }
    }

    /// The visible text, one string per block, in page order (what the dossier shows).
    func visibleBlocks(limit: Int = 20_000) -> [String] { read(blockLimit: limit).blocks.map(\.text) }

    /// Whether the element of `block` is inside (or is) one of the nodes `xpath` selects.
    func isInside(_ block: PageText.Block, anyOf xpath: String) -> Bool {
        guard block.node < blockNodes.count else { return false }
        let targets = Set(nodes(xpath).map { UnsafeMutableRawPointer($0) })
        guard !targets.isEmpty else { return false }
        var n: xmlNodePtr? = blockNodes[block.node]
        while let node = n {
            if targets.contains(UnsafeMutableRawPointer(node)) { return true }
            n = node.pointee.parent
        }
        return false
    }

    /// Whether the block is one item among several of a list or a table (`li`, `td`, `dd`...): a
    /// page listing messages, not a notice of its own.
    func isListItem(_ block: PageText.Block) -> Bool {
        guard ["li", "td", "th", "dd", "dt", "option"].contains(block.tag), block.node < blockNodes.count,
            let parent = blockNodes[block.node].pointee.parent
        else { return false }
        var items = 0
        var child = parent.pointee.children
        while let c = child {
            child = c.pointee.next
            if c.pointee.type == XML_ELEMENT_NODE, Self.lowercaseName(c) == block.tag,
                !Self.collapsedText(of: c).isEmpty
            {
                items += 1
                if items > 1 { return true }
            }
        }
        return false
    }

    /// The index of the first block whose element is inside a node `xpath` selects.
    func firstBlock(of blocks: [PageText.Block], inside xpath: String) -> Int? {
        let targets = Set(nodes(xpath).map { UnsafeMutableRawPointer($0) })
        guard !targets.isEmpty else { return nil }
        return blocks.firstIndex { block in
            guard block.node < blockNodes.count else { return false }
            var n: xmlNodePtr? = blockNodes[block.node]
            while let node = n {
                if targets.contains(UnsafeMutableRawPointer(node)) { return true }
                n = node.pointee.parent
            }
            return false
        }
    }

    /// What an XPath rule selects among shown elements: the nodes under text hidden by an inherited
    /// style (`visibility:hidden`, white on white) do not count; the first counted node's doubt, if any.
    func evaluateShown(_ expression: String) -> (count: Int, firstText: String?, doubt: (VisibilityDoubt, String)?) {
        // One evaluation for both readings of the result (most rules select nothing on most pages).
        let (selected, value) = withResult(of: expression) { object -> ([xmlNodePtr], XPathResult) in
            guard let object else { return ([], XPathResult(count: 0)) }
            let selected = Self.nodes(of: object, limit: 10_000)
            return (selected, selected.isEmpty ? Self.value(of: object) : XPathResult(count: 0))
        }
        if selected.isEmpty {
            // Nothing selected, or a boolean, number or string result.
            return (value.count, value.firstText, nil)
        }
        var count = 0
        var first: xmlNodePtr?
        for node in selected {
            let state = stateAt(node)
            if state.hiddenBecause != nil || state.closedDetails { continue }
            count += 1
            if first == nil { first = node }
        }
        guard let first else { return (0, nil, nil) }
        let text = Self.collapsedText(of: first)
        return (count, text.isEmpty ? nil : text, stateAt(first).doubt)
    }

    /// The visibility state in force at `node`: the nearest recorded one above it.
    private func stateAt(_ node: xmlNodePtr) -> TextState {
        var n: xmlNodePtr? = node
        while let current = n {
            if let i = stateOf[current] { return states[i] }
            n = current.pointee.parent
        }
        return states[0]
    }

    /// Element nodes an XPath expression selects, in document order.
    func nodes(_ expression: String, limit: Int = 10_000) -> [xmlNodePtr] {
        withResult(of: expression) { object in object.map { Self.nodes(of: $0, limit: limit) } ?? [] }
    }

    /// The nodes of a node-set result, in document order (none for another kind of result).
    static func nodes(of object: UnsafeMutablePointer<xmlXPathObject>, limit: Int) -> [xmlNodePtr] {
        guard object.pointee.type == XPATH_NODESET, let set = object.pointee.nodesetval, let tab = set.pointee.nodeTab
        else { return [] }
        return (0..<min(Int(set.pointee.nodeNr), limit)).compactMap { tab[$0] }
    }

    /// The text of every `<style>` element, in document order (they apply to the whole page wherever
    /// they sit). A walk of the tree: cheaper than the XPath `//style` on a page of thousands of nodes.
    private func styleText() -> [UInt8] {
        var text: [UInt8] = []
        var stack: [xmlNodePtr] = []
        var child = doc.pointee.children
        while let c = child {
            stack.append(c)
            child = c.pointee.next
        }
        stack.reverse()
        while let node = stack.popLast() {
            guard node.pointee.type == XML_ELEMENT_NODE else { continue }
            if let name = node.pointee.name, xmlStrEqual(name, "style") != 0 {
                let media = Self.attribute(node, "media")?.lowercased()
                if let media, media.contains("print"), !media.contains("screen"), !media.contains("all") {
                    // A print sheet: not what the screen shows.
                } else if let content = xmlNodeGetContent(node) {
                    // The texts joined by line feeds, as bytes: the sheets kept are found by them.
                    if !text.isEmpty { text.append(0x0A) }
                    text.append(contentsOf: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                    temoin_xml_free(content)
                }
            }
            var last = node.pointee.last
            while let c = last {
                stack.append(c)
                last = c.pointee.prev
            }
        }
        return text
    }

    /// Title, canonical link, `og:url` and `og:site_name`, from the head's elements.
    private func readHead(_ head: xmlNodePtr, into out: inout PageText) {
        var child = head.pointee.children
        while let c = child {
            child = c.pointee.next
            guard c.pointee.type == XML_ELEMENT_NODE else { continue }
            switch Self.lowercaseName(c) {
            case "title":
                if out.title == nil { out.title = Self.collapsedText(of: c) }
            case "link":
                let rel = Self.attribute(c, "rel")?.lowercased().split(separator: " ") ?? []
                if rel.contains("canonical"), out.canonical == nil { out.canonical = Self.attribute(c, "href") }
            case "meta":
                let property = Self.attribute(c, "property")?.lowercased()
                if property == "og:url", out.ogURL == nil { out.ogURL = Self.attribute(c, "content") }
                if property == "og:site_name", out.siteName == nil { out.siteName = Self.attribute(c, "content") }
            default:
                break
            }
        }
    }

    // MARK: Element helpers

    static func lowercaseName(_ node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        // Tag names from libxml2's HTML parser are already lowercase ASCII.
        return String(cString: name)
    }

    static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { temoin_xml_free(value) }
        return String(cString: value)
    }

    private static func isFirstElementChild(_ node: xmlNodePtr) -> Bool {
        var p = node.pointee.prev
        while let n = p {
            if n.pointee.type == XML_ELEMENT_NODE { return false }
            p = n.pointee.prev
        }
        return true
    }

    struct StyleAttributes {
        var id: String?
        /// The `class` attribute as written.
        var classList: String?
        var style: String?
        var hidden = false
        var open = false
        var type: String?
        var others: [String: String] = [:]
    }

    /// The attributes that bear on visibility, read in one pass over the element's attribute list;
    /// every attribute's value only when a `<style>` rule tests attributes (`all`).
    private static func styleAttributes(_ node: xmlNodePtr, all: Bool) -> StyleAttributes {
        var out = StyleAttributes()
        var attribute = node.pointee.properties
        while let a = attribute {
            attribute = a.pointee.next
            guard let rawName = a.pointee.name else { continue }
            func value() -> String {
                if let text = a.pointee.children, text.pointee.next == nil, let content = text.pointee.content {
                    return String(cString: content)
                }
                let asNode = UnsafeMutableRawPointer(a).assumingMemoryBound(to: xmlNode.self)
                guard let content = xmlNodeGetContent(asNode) else { return "" }
                defer { temoin_xml_free(content) }
                return String(cString: content)
            }
            // Most attributes are none of these: decide on the first letter before comparing names.
            var classOrID = false
            switch rawName[0] | 0x20 {
            case UInt8(ascii: "c") where xmlStrcasecmp(rawName, "class") == 0:
                out.classList = value()
                classOrID = true
            case UInt8(ascii: "i") where xmlStrcasecmp(rawName, "id") == 0:
                out.id = value()
                classOrID = true
            case UInt8(ascii: "s") where xmlStrcasecmp(rawName, "style") == 0: out.style = value()
            case UInt8(ascii: "h") where xmlStrcasecmp(rawName, "hidden") == 0: out.hidden = true
            case UInt8(ascii: "o") where xmlStrcasecmp(rawName, "open") == 0: out.open = true
            case UInt8(ascii: "t") where xmlStrcasecmp(rawName, "type") == 0: out.type = value().lowercased()
            default: break
            }
            // Every attribute but class and id, when a rule tests attributes.
            if all, !classOrID { out.others[String(cString: rawName).lowercased()] = value() }
        }
        return out
    }

    private static func same(_ a: TextState, _ b: TextState) -> Bool {
        a.visibilityHidden == b.visibilityHidden && a.fontSizeZero == b.fontSizeZero && a.color == b.color
            && a.background == b.background && a.quoted == b.quoted && a.closedDetails == b.closedDetails
            && a.inLink == b.inLink
            && a.doubt?.0 == b.doubt?.0 && a.doubt?.1 == b.doubt?.1
    }
}
