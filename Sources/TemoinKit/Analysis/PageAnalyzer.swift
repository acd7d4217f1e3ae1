// Over 450 lines on purpose: the analysis result and the one decision procedure that fills it read together.
import Foundation

/// What the analysis of one page found.
package struct PageAnalysis: Sendable, Equatable {
    package var charset: DetectedCharset
    package var title: String?
    /// Visible text, one block per line.
    package var visibleText: String
    package var outcome: Outcome
    /// `profile/rule-id` of the rule that decided, nil when none did.
    package var rule: String?
    /// The page's own sentence(s) that carry the outcome, verbatim; blocks (a heading and its body)
    /// are separated by a line feed.
    package var message: String?
    /// temoin's own description of what the deciding rule recognises (never the page's words).
    package var description: String?
    /// How the visibility of the deciding text was established; nil when no rule decided.
    package var visibility: VisibilityRecord?
    /// Markers found but not counted (quoted, prose, hidden, another site).
    package var setAside: [SetAsideMarker]
    package var facts: PageFacts
    /// What a browser is asked about when it showed the page (witnessed attempts): the deciding text,
    /// or the XPath of a structural rule.
    package var deciding: DecidingPart?
}

/// What a browser that displayed the page reported as not displayed (witnessed attempts).
package struct NotShown: Sendable, Equatable {
    /// Markers of text rules (in the form `TextNormalizer.forMatching` gives) of which no occurrence
    /// was displayed.
    package var texts: Set<String> = []
    /// XPath expressions of structural rules none of whose nodes was displayed.
    package var xpaths: Set<String> = []

    package init() {}

    var isEmpty: Bool { texts.isEmpty && xpaths.isEmpty }
}

/// The part of a page an outcome rests on, as a browser can find it again.
package struct DecidingPart: Sendable, Equatable {
    /// The marker that matched (text rules), as `TextNormalizer.forMatching` gives it.
    package var marker: String?
    /// The rule's XPath (structural rules).
    package var xpath: String?
}

/// Every visible block in the form `TextNormalizer.forMatching` gives, one after another in one
/// buffer, each followed by a line feed. One buffer rather than a string per block, for speed: a page
/// has hundreds of blocks, and a marker is searched once over all of them, then looked at only in the
/// blocks where it occurs. A normalised marker holds no line feed, so no occurrence spans two blocks.
struct NormalizedBlocks {
    private(set) var bytes: [UInt8] = []
    /// `starts[i]` is where block `i` begins; the last entry is the end of the buffer.
    private(set) var starts: [Int] = [0]

    /// How often each byte occurs in `bytes`: a marker is searched from its rarest byte on this page,
    /// and a marker with a byte the page lacks is not searched at all.
    private(set) var counts = [Int](repeating: 0, count: 256)

    init(_ blocks: [String]) {
        bytes.reserveCapacity(blocks.reduce(0) { $0 + $1.utf8.count + 1 })
        for block in blocks {
            TextNormalizer.appendForMatching(block, to: &bytes)
            bytes.append(0x0A)
            starts.append(bytes.count)
        }
        var counts = [Int](repeating: 0, count: 256)
        counts.withUnsafeMutableBufferPointer { c in for b in bytes { c[Int(b)] += 1 } }
        self.counts = counts
    }

    var count: Int { starts.count - 1 }

    /// Block `i`, normalised.
    func string(_ i: Int) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: $0[starts[i]..<starts[i + 1] - 1], as: UTF8.self) }
    }

    /// The blocks that hold `marker` (normalised), in page order, each once.
    func blocks(containing marker: String) -> [Int] {
        if marker.isEmpty { return Array(0..<count) }
        var out: [Int] = []
        var m = marker
        if m.utf8.contains(where: { counts[Int($0)] == 0 }) { return [] }
        m.withUTF8 { nb in
            bytes.withUnsafeBufferPointer { hb in
                var from = 0
                while let at = TextNormalizer.firstOffset(of: nb, in: hb, from: from, counts: counts) {
                    // The block whose range holds `at`: the last start at or before it.
                    var low = 0
                    var high = count - 1
                    while low < high {
                        let mid = (low + high + 1) / 2
                        if starts[mid] <= at { low = mid } else { high = mid - 1 }
                    }
                    out.append(low)
                    from = starts[low + 1]
                }
            }
        }
        return out
    }
}

/// Decides the outcome of a page with a profile's rules, then the common ones.
///
/// A rule states what the booking system shows, and its markers count only as the site's own notice:
/// text that is (nearly) the whole of a short block, or inside the structure the profile expects,
/// shown to a person, not between quotation marks, on a page that does not say it belongs to another
/// site. A marker found otherwise is set aside with its reason, so a page that only quotes or
/// discusses "Aucun créneau disponible" is `unexpected`, never `no_slot`.
package struct PageAnalyzer: Sendable {
    package let ruleSet: RuleSet

    package init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
    }

    /// Analyses page bytes. `contentType` is the HTTP header when there was one; `status` likewise.
    /// `notShown` is what a browser that displayed the page reported as not displayed: it decides
    /// nothing.
    package func analyze(
        _ bytes: Data, contentType: String? = nil, status: Int? = nil, url: String? = nil,
        notShown: NotShown = NotShown()
    ) -> PageAnalysis {
        let charset = Charset.detect(bytes, contentType: contentType)
        return analyze(
            text: Charset.decode(bytes, as: charset), charset: charset, document: nil, status: status, url: url,
            notShown: notShown)
    }

    /// Analyses a page already decoded (and perhaps already parsed: `document` is then pruned here and
    /// must not be used for anything else afterwards).
    func analyze(
        text: String, charset: DetectedCharset, document parsed: HTMLDocument?, status: Int?, url: String?,
        notShown: NotShown = NotShown()
    ) -> PageAnalysis {
        let document = parsed ?? HTMLDocument(text: text, url: url)
        let page = document?.read() ?? PageText()
        let blocks = page.blocks.map(\.text)
        let normalized = NormalizedBlocks(blocks)
        let title = page.title.map(TextNormalizer.collapseWhitespace).flatMap { $0.isEmpty ? nil : $0 }
        let otherSite = SiteCheck.otherSite(page: page, title: title, url: url, hosts: ruleSet.hosts)
        // The prefecture's publication dates, as the prefecture's page states them: not quoted by
        // someone, not on another site.
        var facts =
            otherSite == nil
            ? PublicationFacts.extract(blocks: blocks, normalized: normalized, quoted: page.blocks.map(\.quoted))
            : PageFacts()
        let context = MatchContext(
            document: document, page: page, normalized: normalized, status: status, url: url, notShown: notShown,
            otherSite: otherSite, ruleSet: ruleSet, hidden: HiddenText(page.hidden))

        var result = PageAnalysis(
            charset: charset, title: title, visibleText: Self.lines(blocks), outcome: .unexpected,
            rule: nil, message: nil, description: nil, visibility: nil, setAside: [], facts: facts, deciding: nil)
        var listing = false
        search: for set in [ruleSet, RuleSet.common] {
            for rule in set.rules {
                let id = "\(set.id)/\(rule.id)"
                if listing, rule.text != nil { continue }
                var aside: [SetAsideMarker] = []
                guard let found = Self.match(rule, id: id, context, setAside: &aside) else {
                    result.setAside += aside
                    continue
                }
                // A page that says it is another site decides nothing, except by the HTTP status of the
                // server temoin itself asked.
                if let other = context.otherSite, !rule.isStatusOnly {
                    result.setAside.append(
                        SetAsideMarker(rule: id, reason: .otherSite, text: found.message, detail: other))
                    continue
                }
                // A page that shows notices with different outcomes lists the sites' messages (a help
                // page): none of them is its answer.
                if rule.text != nil, let other = Self.contradiction(of: rule, context) {
                    result.setAside.append(
                        SetAsideMarker(rule: id, reason: .contradicted, text: found.message, detail: other))
                    listing = true
                    continue
                }
                result.outcome = rule.outcome
                result.rule = id
                result.message = found.message
                result.description = rule.description
                result.deciding = found.deciding
                // An outcome decided by the HTTP status alone rests on no text of the page.
                result.visibility =
                    rule.isStatusOnly
                    ? VisibilityRecord(basis: VisibilityRecord.statusBasis)
                    : VisibilityRecord(
                        basis: VisibilityRecord.markupBasis, uncertain: found.doubt?.0, detail: found.doubt?.1)
                if rule.countsSlots == true, found.count > 0 { facts.slotsListed = found.count }
                break search
            }
        }
        if result.rule == nil, blocks.isEmpty {
            result.description = tr("analysis.blank_page")
        }
        result.facts = facts
        result.message = result.message.map { Self.clip($0) }
        // A page of another site that holds markers: that is the first thing to say about it.
        if result.rule == nil, let other = otherSite, let first = result.setAside.first,
            first.reason != .otherSite
        {
            result.setAside.insert(SetAsideMarker(rule: first.rule, reason: .otherSite, detail: other), at: 0)
        }
        // Markers set aside explain an `unexpected` page; beside a decided outcome they are noise.
        result.setAside = result.rule == nil ? Array(Self.unique(result.setAside).prefix(10)) : []
        return result
    }

    /// `blocks.joined(separator: "\n")`, built as bytes and made a string once: one append per block
    /// costs more than the copy itself on a page of hundreds of blocks.
    static func lines(_ blocks: [String]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(blocks.reduce(0) { $0 + $1.utf8.count + 1 })
        for (i, block) in blocks.enumerated() {
            if i > 0 { bytes.append(0x0A) }
            var block = block
            block.withUTF8 { bytes.append(contentsOf: $0) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    struct MatchContext {
        var document: HTMLDocument?
        var page: PageText
        var normalized: NormalizedBlocks
        var status: Int?
        var url: String?
        var notShown: NotShown
        var otherSite: String?
        var ruleSet: RuleSet
        var hidden: HiddenText

        /// The blocks each marker occurs in: every text rule and the contradiction check ask again.
        var found = MarkerCache()

        /// The blocks holding `marker`, in page order.
        func blocks(containing marker: String) -> [Int] {
            let key = MarkerCache.Key(marker)
            if let known = found.blocks[key] { return known }
            let blocks = normalized.blocks(containing: marker)
            found.blocks[key] = blocks
            return blocks
        }

        func mentions(_ marker: String) -> Bool { !blocks(containing: marker).isEmpty }
    }

    final class MarkerCache {
        // Room for the markers of a profile and the common rules without growing.
        var blocks = [Key: [Int]](minimumCapacity: 128)

        /// A marker known by its bytes, as it is searched: hashing a `String` that is not ASCII goes
        /// through its NFC form, which cost more than the look-ups it served (markers are in NFC).
        struct Key: Hashable {
            let marker: String

            init(_ marker: String) { self.marker = marker }

            func hash(into hasher: inout Hasher) {
                var m = marker
                m.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            }

            static func == (a: Key, b: Key) -> Bool { a.marker.utf8.elementsEqual(b.marker.utf8) }
        }
    }

    /// The page's hidden text, normalised only when a rule looks there.
    final class HiddenText {
        let texts: [PageText.Hidden]
        private var cache: [String]?

        init(_ texts: [PageText.Hidden]) { self.texts = texts }

        var normalized: [String] {
            if let cache { return cache }
            let n = texts.map { TextNormalizer.forMatching($0.text) }
            cache = n
            return n
        }
    }

    struct Match {
        var message: String?
        var count: Int
        var doubt: (VisibilityDoubt, String)?
        var deciding: DecidingPart?
    }

    /// Whether `rule` holds. Markers found but not counted go to `setAside`.
    static func match(_ rule: OutcomeRule, id: String, _ c: MatchContext, setAside: inout [SetAsideMarker])
        -> Match?
    {
        var result = Match(message: nil, count: 0)
        if let statuses = rule.status {
            guard let status = c.status, statuses.contains(status) else { return nil }
        }
        if let fragment = rule.urlContains {
            guard let url = c.url, TextNormalizer.contains(url, fragment) else { return nil }
        }
        if let xpath = rule.xpath {
            guard let document = c.document, !c.notShown.xpaths.contains(xpath) else { return nil }
            let r = document.evaluateShown(xpath)
            guard r.count > 0 else { return nil }
            result.count = r.count
            result.doubt = r.doubt
            result.deciding = DecidingPart(marker: nil, xpath: xpath)
        }
        if rule.text != nil {
            guard let hit = textHit(rule, markers: rule.markers, id: id, c, &setAside)
            else { return nil }
            result.message = hit.message
            result.doubt = result.doubt ?? hit.doubt
            result.deciding = DecidingPart(marker: hit.marker, xpath: result.deciding?.xpath)
        } else {
            result.message = structuralMessage(rule, c)
        }
        return result
    }

    private struct TextHit {
        var message: String
        var marker: String
        var doubt: (VisibilityDoubt, String)?
    }

    /// The first block where a marker is the site's notice; a block whose visibility is certain wins
    /// over an earlier one in doubt.
    private static func textHit(
        _ rule: OutcomeRule, markers: [String], id: String, _ c: MatchContext, _ setAside: inout [SetAsideMarker]
    ) -> TextHit? {
        var doubtful: TextHit?
        var mentioned = false
        let present = markers.filter(c.mentions)
        // Only the blocks that hold a marker, in page order.
        let holding = present.count == 1 ? c.blocks(containing: present[0]) : Set(present.flatMap(c.blocks)).sorted()
        for i in holding {
            let norm = c.normalized.string(i)
            guard let marker = present.first(where: { TextNormalizer.contains(norm, $0) }) else { continue }
            mentioned = true
            let block = c.page.blocks[i]
            if c.notShown.texts.contains(marker) {
                setAside.append(
                    SetAsideMarker(
                        rule: id, reason: .hidden, text: excerpt(block.text, marker),
                        detail: "not displayed by the browser"))
                continue
            }
            let inside = rule.within.map { c.document?.isInside(block, anyOf: $0) ?? false } ?? false
            let listed = !inside && (c.document?.isListItem(block) ?? false)
            if let reason = NoticeShape.mention(
                normalized: norm, marker: marker, block: block, insideStructure: inside, listItem: listed)
            {
                setAside.append(SetAsideMarker(rule: id, reason: reason, text: excerpt(block.text, marker)))
                continue
            }
            let hit = TextHit(
                message: operativeText(
                    at: i, marker: marker, c.page.blocks, bodyBlocks: rule.outcome == .siteError ? 2 : 1,
                    title: c.page.title),
                marker: marker, doubt: block.doubt)
            if hit.doubt == nil { return hit }
            if doubtful == nil { doubtful = hit }
        }
        if doubtful == nil, !mentioned {
            for (hidden, norm) in zip(c.hidden.texts, c.hidden.normalized) {
                guard let marker = markers.first(where: { TextNormalizer.contains(norm, $0) }) else { continue }
                setAside.append(
                    SetAsideMarker(
                        rule: id, reason: .hidden, text: excerpt(hidden.text, marker), detail: hidden.reason))
                break
            }
        }
        return doubtful
    }

    /// Another text rule (of the profile or the common ones) whose marker the page also shows as a
    /// notice, with another outcome: `rule-id: the block`.
    static func contradiction(of rule: OutcomeRule, _ c: MatchContext) -> String? {
        for set in [c.ruleSet, RuleSet.common] {
            for other in set.rules
            where other.text != nil && other.outcome != rule.outcome && other.outcome != .unexpected {
                var ignored: [SetAsideMarker] = []
                guard other.markers.contains(where: c.mentions),
                    let hit = textHit(other, markers: other.markers, id: "", c, &ignored),
                    hit.doubt == nil
                else { continue }
                return "\(set.id)/\(other.id) (\(other.outcome.rawValue)): \(clip(hit.message, to: 120))"
            }
        }
        return nil
    }

    /// The page's words for a structural rule: the text of its `quote` XPath; for a site error
    /// decided by the HTTP status, the page's main heading and the text after it, else its title.
    static func structuralMessage(_ rule: OutcomeRule, _ c: MatchContext) -> String? {
        guard let document = c.document else { return nil }
        let blocks = c.page.blocks
        func fromNode(_ xpath: String) -> String? {
            guard let i = document.firstBlock(of: blocks, inside: xpath) else { return nil }
            return blocks[i].isHeading ? operativeText(at: i, marker: "", blocks, bodyBlocks: 0) : blocks[i].text
        }
        if let quote = rule.quote { return fromNode(quote) }
        if rule.outcome == .siteError {
            if let i = blocks.firstIndex(where: { $0.tag == "h1" }) ?? blocks.firstIndex(where: \.isHeading) {
                return operativeText(at: i, marker: "", blocks, bodyBlocks: 2)
            }
            return c.page.title
        }
        return nil
    }

    /// What the site says: a heading with the text that follows it (up to the next heading, a link or
    /// a button; one block, two on an error page), a short block whole, or in a long block the
    /// sentences that hold the marker.
    static func operativeText(
        at i: Int, marker: String, _ blocks: [PageText.Block], bodyBlocks: Int = 1, title: String? = nil
    ) -> String {
        let block = blocks[i]
        if block.isHeading {
            var parts = [block.text]
            var j = i + 1
            var length = block.text.count
            while j < blocks.count, parts.count <= bodyBlocks, !blocks[j].isHeading, !blocks[j].linkOnly,
                length + blocks[j].text.count <= 480
            {
                parts.append(blocks[j].text)
                length += blocks[j].text.count
                j += 1
            }
            return parts.joined(separator: "\n")
        }
        // An error page opens with its heading, which repeats its title: it belongs with the sentence
        // under it.
        if bodyBlocks > 1, i > 0, blocks[i - 1].isHeading, blocks.firstIndex(where: { !$0.linkOnly }) == i - 1,
            block.text.count <= 300, let title,
            TextNormalizer.forMatching(title).contains(TextNormalizer.forMatching(blocks[i - 1].text))
        {
            return blocks[i - 1].text + "\n" + block.text
        }
        return sentence(containing: marker, in: block.text)
    }

    /// The block itself when short; otherwise the shortest run of its sentences that holds the marker.
    static func sentence(containing marker: String, in block: String) -> String {
        if block.count <= 300 { return block }
        let sentences = NoticeShape.sentences(block)
        // The run that ends first, and of those the shortest (a marker may span two sentences).
        for end in sentences.indices {
            var joined = sentences[end]
            for start in stride(from: end, through: max(0, end - 5), by: -1) {
                if start < end { joined = sentences[start] + " " + joined }
                if TextNormalizer.contains(TextNormalizer.forMatching(joined), marker) {
                    // Include the sentence after a short match: "Veuillez recommencer ultérieurement."
                    if joined.count < 160, end + 1 < sentences.count { joined += " " + sentences[end + 1] }
                    return joined
                }
            }
        }
        return String(block.prefix(300))
    }

    /// Up to 300 characters of `text` around the marker, for a marker set aside.
    static func excerpt(_ text: String, _ marker: String) -> String {
        text.count <= 300 ? text : clip(sentence(containing: marker, in: text), to: 300)
    }

    static func clip(_ text: String, to limit: Int = 500) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    private static func unique(_ markers: [SetAsideMarker]) -> [SetAsideMarker] {
        var seen: [SetAsideMarker] = []
        for m in markers where !seen.contains(where: { $0.reason == m.reason && $0.text == m.text }) { seen.append(m) }
        return seen
    }
}

extension OutcomeRule {
    /// Decided by the HTTP status (and the address) alone: the server's answer, whatever the page says.
    var isStatusOnly: Bool { status != nil && text == nil && xpath == nil }
}

/// The shape of a notice, as opposed to a mention: the marker begins a sentence of a short block of
/// at most three sentences, and is not between quotation marks or in parentheses.
enum NoticeShape {
    static let shortBlock = 300
    static let maxSentences = 3

    /// nil when the marker reads as the site's notice in this block; else why it is a mention.
    static func mention(
        normalized norm: String, marker: String, block: PageText.Block, insideStructure: Bool, listItem: Bool = false
    ) -> SetAsideReason? {
        if block.quoted { return .quoted }
        guard let at = firstOccurrence(of: marker, in: norm) else { return .prose }
        let before = norm[..<at]
        if isQuoted(before: before) { return .quoted }
        if insideStructure { return nil }
        if listItem { return .prose }
        if block.text.count > shortBlock { return .prose }
        if sentenceCount(block.text) > maxSentences { return .prose }
        return startsSentence(before) ? nil : .prose
    }

    /// Where `marker` first occurs in `norm` (both normalised), as Foundation's `range(of:)` finds it.
    /// By bytes when the occurrence starts and ends between characters, as it does in NFC text but for
    /// a marker that would split a letter from its combining mark; Foundation decides those. (Foundation
    /// bridges to NSString, which cost more than the rest of the notice check.)
    static func firstOccurrence(of marker: String, in norm: String) -> String.Index? {
        var m = marker
        var n = norm
        let offset = n.withUTF8 { nb in m.withUTF8 { mb in TextNormalizer.firstOffset(of: mb, in: nb) } }
        if let offset {
            let start = norm.utf8.index(norm.utf8.startIndex, offsetBy: offset)
            let end = norm.utf8.index(start, offsetBy: marker.utf8.count)
            if start.samePosition(in: norm) != nil, end.samePosition(in: norm) != nil { return start }
        }
        return norm.range(of: marker)?.lowerBound
    }

    /// An opening quotation mark or parenthesis before the marker in its sentence is still open.
    /// (`forMatching` turned « » “ ” into `"`.)
    static func isQuoted(before: Substring) -> Bool {
        let sentence =
            before.split(omittingEmptySubsequences: false, whereSeparator: { ".!?".contains($0) }).last ?? before
        let quotes = sentence.filter { $0 == "\"" }.count
        let open = sentence.filter { $0 == "(" }.count - sentence.filter { $0 == ")" }.count
        return quotes % 2 == 1 || open > 0
    }

    /// The text before the marker is empty, ends a sentence, or is a short label ("Attention :",
    /// "Erreur -", an icon).
    static func startsSentence(_ before: Substring) -> Bool {
        let trimmed = trimmingSpaces(before)
        if trimmed.isEmpty { return true }
        if let last = trimmed.last, ".!?".contains(last) { return true }
        if let last = trimmed.last, ":-|>".contains(last), trimmed.count <= 25 { return true }
        return !trimmed.contains(where: { $0.isLetter || $0.isNumber })
    }

    /// Sentences of a block (a full stop, exclamation or question mark followed by a space ends one).
    static func sentences(_ block: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        var previous: Character = " "
        for ch in block {
            if ch == " ", ".!?".contains(previous), current.count > 1 {
                sentences.append(trimmingSpaces(current))
                current = ""
            }
            current.append(ch)
            previous = ch
        }
        let last = trimmingSpaces(current)
        if !last.isEmpty { sentences.append(last) }
        return sentences
    }

    /// `sentences(block).count`, without making the sentences: every block holding a marker is
    /// counted, and making them cost more than the rest of the notice check.
    static func sentenceCount(_ block: String) -> Int {
        var count = 0
        var length = 0  // characters in the sentence being read
        var filled = false  // it holds something besides spaces (it is not empty once trimmed)
        var previous: Character = " "
        for ch in block {
            if ch == " ", ".!?".contains(previous), length > 1 {
                count += 1
                length = 0
                filled = false
            }
            length += 1
            if !filled, ch.unicodeScalars.contains(where: { !isSpace($0) }) { filled = true }
            previous = ch
        }
        return filled ? count + 1 : count
    }

    /// `trimmingCharacters(in: .whitespaces)` without Foundation (it bridges to NSString, which cost
    /// more than the rest of the notice check): the scalars of `CharacterSet.whitespaces`, the
    /// tabulation and the space separators (Unicode category Zs), are taken off both ends.
    static func trimmingSpaces<S: StringProtocol>(_ text: S) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    @inline(__always) private static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || (s.value >= 0x80 && s.properties.generalCategory == .spaceSeparator)
    }
}

/// The prefecture's own statements about when it publishes slots (RDV Préfecture shows them).
///
/// `dernière mise en ligne de [nouveaux ]rendez-vous : le JJ/MM/AAAA[ à HHhMM][ pour des créneaux de
/// la semaine du JJ/MM/AAAA]` (and `prochaine ...`), in the normalised text of a block. Read by hand,
/// scalar by scalar: a Foundation regular expression cost more than the rest of a small page's
/// analysis. The reading is exactly that of the regular expression `PublicationFactsTests` compares
/// it with on thousands of variants: the first (leftmost) statement; `\d` any decimal digit (a
/// number is then read only if it is in ASCII digits); a day, month or hour of one or two digits
/// followed by what the statement has there; a year of four digits and minutes of two, whatever
/// follows them; the time and the week each optional, on their own.
package enum PublicationFacts {
    enum Kind: Sendable { case last, next }

    /// A statement's numbers as written (digits only; not checked for range).
    struct Statement: Equatable, Sendable {
        var date: [String]
        var time: [String]?
        var week: [String]?
    }

    static func extract(blocks: [String], normalized: NormalizedBlocks, quoted: [Bool] = []) -> PageFacts {
        var facts = PageFacts()
        // Only blocks that speak of publication are read.
        for i in normalized.blocks(containing: "mise en ligne") {
            if i < quoted.count, quoted[i] { continue }
            let text = normalized.string(i)
            if facts.lastPublication == nil, let f = fact(.last, in: text, original: blocks[i]) {
                facts.lastPublication = f
            }
            if facts.nextPublication == nil, let f = fact(.next, in: text, original: blocks[i]) {
                facts.nextPublication = f
            }
        }
        return facts
    }

    private static func fact(_ kind: Kind, in text: String, original: String) -> PublicationFact? {
        guard let m = statement(kind, in: text) else { return nil }
        guard let d = Int(m.date[0]), let mo = Int(m.date[1]), let y = Int(m.date[2]), (1...31).contains(d),
            (1...12).contains(mo)
        else { return nil }
        var at = "\(padded(y, 4))-\(padded(mo, 2))-\(padded(d, 2))"
        if let t = m.time, let h = Int(t[0]), let mi = Int(t[1]), h < 24, mi < 60 {
            at += "T\(padded(h, 2)):\(padded(mi, 2))"
        }
        var week: String?
        if let w = m.week, let wd = Int(w[0]), let wm = Int(w[1]), let wy = Int(w[2]) {
            week = "\(padded(wy, 4))-\(padded(wm, 2))-\(padded(wd, 2))"
        }
        return PublicationFact(
            text: PageAnalyzer.sentence(containing: "mise en ligne", in: original), at: at, weekOf: week)
    }

    /// `String(format: "%0*d", width, n)` for the non-negative numbers a statement holds.
    static func padded(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// The first statement of `kind` in `text` (normalised: lowercase, « » as `"`...).
    static func statement(_ kind: Kind, in text: String) -> Statement? {
        // Each kind has fixed words every statement holds: most blocks are given up on here.
        guard TextNormalizer.contains(text, kind == .last ? "re mise en ligne de " : "prochaine mise en ligne de ")
        else { return nil }
        var text = text
        // Read over the UTF-8 bytes, a scalar decoded only where the statement allows more than one
        // byte (`è`, `à`, digits of any script): no array of scalars or string per block, for speed.
        // Byte by byte is scalar by scalar here: a statement's fixed words are compared as UTF-8,
        // which has one encoding per scalar, and reading starts only at scalar boundaries.
        return text.withUTF8 { bytes in
            let first = kind == .last ? UInt8(ascii: "d") : UInt8(ascii: "p")
            for start in bytes.indices where bytes[start] == first {
                var r = Reader(s: bytes, i: start)
                if let m = r.statement(kind) { return m }
            }
            return nil
        }
    }

    /// Reads a statement from `s[i...]`, the UTF-8 bytes of a Swift string (valid UTF-8).
    private struct Reader {
        let s: UnsafeBufferPointer<UInt8>
        var i: Int

        mutating func statement(_ kind: Kind) -> Statement? {
            switch kind {
            case .last: guard word("derni"), oneOf("eè"), word("re mise en ligne de ") else { return nil }
            case .next: guard word("prochaine mise en ligne de ") else { return nil }
            }
            _ = word("nouveaux ")
            guard word("rendez-vous") else { return nil }
            _ = word(" ")
            guard word(":") else { return nil }
            _ = word(" ")
            guard word("le "), let day = date() else { return nil }
            var m = Statement(date: day)
            // The time: " à 9h00", " à 09:00", " a 9 h 00"; left as it was when incomplete.
            let beforeTime = i
            if word(" "), oneOf("àa"), word(" "), let h = shortNumber() {
                _ = word(" ")
                if oneOf("h:") {
                    _ = word(" ")
                    if let mi = digits(2) { m.time = [h, mi] }
                }
            }
            if m.time == nil { i = beforeTime }
            if word(" pour des cr"), oneOf("ée"), word("neaux de la semaine du "), let week = date() {
                m.week = week
            }
            return m
        }

        /// `JJ/MM/AAAA`: one or two digits, `/`, one or two, `/`, four.
        mutating func date() -> [String]? {
            guard let d = shortNumber(), word("/"), let mo = shortNumber(), word("/"), let y = digits(4) else {
                return nil
            }
            return [d, mo, y]
        }

        /// The scalar at byte `j` and its length in bytes, nil at the end.
        private func scalar(at j: Int) -> (Unicode.Scalar, Int)? {
            guard j < s.count else { return nil }
            return s[j] < 0x80 ? (Unicode.Scalar(s[j]), 1) : TextNormalizer.scalar(s, at: j)
        }

        /// Where the run of `count` digits (at most) from byte `i` ends, and how many it holds.
        private func digitRun(upTo count: Int) -> (end: Int, digits: Int) {
            var j = i
            var n = 0
            while n < count, let (u, length) = scalar(at: j), Self.isDigit(u) {
                j += length
                n += 1
            }
            return (j, n)
        }

        /// One or two digits where a non-digit follows in the statement: a longer run cannot be one.
        mutating func shortNumber() -> String? {
            let run = digitRun(upTo: 3)
            guard run.digits == 1 || run.digits == 2 else { return nil }
            return take(to: run.end)
        }

        /// Exactly `n` digits, whatever follows.
        mutating func digits(_ n: Int) -> String? {
            let run = digitRun(upTo: n)
            guard run.digits == n else { return nil }
            return take(to: run.end)
        }

        private mutating func take(to end: Int) -> String {
            let out = String(decoding: UnsafeBufferPointer(rebasing: s[i..<end]), as: UTF8.self)
            i = end
            return out
        }

        mutating func word(_ w: StaticString) -> Bool {
            let end = w.withUTF8Buffer { p -> Int? in
                guard i + p.count <= s.count else { return nil }
                for k in 0..<p.count where s[i + k] != p[k] { return nil }
                return i + p.count
            }
            guard let end else { return false }
            i = end
            return true
        }

        mutating func oneOf(_ set: String) -> Bool {
            guard let (u, length) = scalar(at: i), set.unicodeScalars.contains(u) else { return false }
            i += length
            return true
        }

        /// `\d` of a regular expression: a decimal digit of any script (only ASCII ones make a number).
        static func isDigit(_ u: Unicode.Scalar) -> Bool {
            if u.value < 0x80 { return u.value >= 0x30 && u.value <= 0x39 }
            return u.properties.generalCategory == .decimalNumber
        }
    }
}
