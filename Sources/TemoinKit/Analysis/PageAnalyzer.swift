import Foundation

/// What the analysis of one page found.
public struct PageAnalysis: Sendable, Equatable {
    public var charset: DetectedCharset
    public var title: String?
    /// Visible text, one block per line.
    public var visibleText: String
    public var outcome: Outcome
    /// `profile/rule-id` of the rule that decided, nil when none did.
    public var rule: String?
    /// The sentence of the page that carries the outcome, as the page showed it.
    public var message: String?
    public var facts: PageFacts
}

/// Decides the outcome of a page with a profile's rules, then the common ones.
public struct PageAnalyzer: Sendable {
    public let ruleSet: RuleSet

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
    }

    /// Analyses page bytes. `contentType` is the HTTP header when there was one; `status` likewise.
    public func analyze(_ bytes: Data, contentType: String? = nil, status: Int? = nil, url: String? = nil)
        -> PageAnalysis
    {
        let charset = Charset.detect(bytes, contentType: contentType)
        return analyze(
            text: Charset.decode(bytes, as: charset), charset: charset, document: nil, status: status, url: url)
    }

    /// Analyses a page already decoded (and perhaps already parsed: `document` is then pruned here and
    /// must not be used for anything else afterwards).
    func analyze(text: String, charset: DetectedCharset, document parsed: HTMLDocument?, status: Int?, url: String?)
        -> PageAnalysis
    {
        let document = parsed ?? HTMLDocument(text: text, url: url)
        document?.pruneInvisible()
        let blocks = document?.visibleBlocks() ?? []
        let normalizedBlocks = blocks.map(TextNormalizer.forMatching)
        let title = document?.title.map(TextNormalizer.collapseWhitespace)
        var facts = PublicationFacts.extract(blocks: blocks, normalized: normalizedBlocks)

        var outcome = Outcome.unexpected
        var ruleID: String?
        var message: String?
        search: for set in [ruleSet, RuleSet.common] {
            for rule in set.rules {
                guard
                    let found = Self.match(
                        rule, document: document, blocks: blocks, normalized: normalizedBlocks,
                        status: status, url: url)
                else { continue }
                outcome = rule.outcome
                ruleID = "\(set.id)/\(rule.id)"
                message = rule.message ?? found.message ?? title ?? blocks.first
                if rule.countsSlots == true, found.count > 0 { facts.slotsListed = found.count }
                break search
            }
        }
        if ruleID == nil, blocks.isEmpty {
            message = tr("analysis.blank_page")
        }
        return PageAnalysis(
            charset: charset, title: title, visibleText: blocks.joined(separator: "\n"), outcome: outcome,
            rule: ruleID, message: message.map { Self.clip($0) }, facts: facts)
    }

    private struct Match {
        var message: String?
        var count: Int
    }

    private static func match(
        _ rule: OutcomeRule, document: HTMLDocument?, blocks: [String], normalized: [String], status: Int?, url: String?
    ) -> Match? {
        var result = Match(message: nil, count: 0)
        if let statuses = rule.status {
            guard let status, statuses.contains(status) else { return nil }
        }
        if let fragment = rule.urlContains {
            guard let url, url.contains(fragment) else { return nil }
        }
        if let xpath = rule.xpath {
            guard let document else { return nil }
            let r = document.evaluate(xpath)
            guard r.matched else { return nil }
            result.count = r.count
            result.message = r.firstText.flatMap { $0.isEmpty ? nil : $0 }
        }
        if let texts = rule.text {
            let markers = texts.map(TextNormalizer.forMatching)
            var hit: String?
            outer: for (i, block) in normalized.enumerated() {
                for marker in markers where TextNormalizer.contains(block, marker) {
                    hit = sentence(containing: marker, in: blocks[i])
                    break outer
                }
            }
            guard let hit else { return nil }
            result.message = hit
        }
        return result
    }

    /// The block itself when short; otherwise the shortest run of its sentences that holds the marker.
    static func sentence(containing marker: String, in block: String) -> String {
        if block.count <= 300 { return block }
        var sentences: [String] = []
        var current = ""
        for ch in block {
            current.append(ch)
            if ".!?".contains(ch) {
                sentences.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty {
            sentences.append(current.trimmingCharacters(in: .whitespaces))
        }
        for start in sentences.indices {
            var joined = ""
            for end in start..<min(sentences.count, start + 6) {
                joined = joined.isEmpty ? sentences[end] : joined + " " + sentences[end]
                if TextNormalizer.contains(TextNormalizer.forMatching(joined), marker) {
                    // Include the sentence after a short match: "Veuillez recommencer ultérieurement."
                    if joined.count < 160, end + 1 < sentences.count { joined += " " + sentences[end + 1] }
                    return joined
                }
            }
        }
        return String(block.prefix(300))
    }

    static func clip(_ text: String, to limit: Int = 500) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

/// The prefecture's own statements about when it publishes slots (RDV Préfecture shows them).
public enum PublicationFacts {
    static let last = try! NSRegularExpression(
        pattern:
            #"derni[eè]re mise en ligne de (?:nouveaux )?rendez-vous ?: ?le (\d{1,2})/(\d{1,2})/(\d{4})(?: [àa] (\d{1,2}) ?[h:] ?(\d{2}))?(?: pour des cr[ée]neaux de la semaine du (\d{1,2})/(\d{1,2})/(\d{4}))?"#
    )
    static let next = try! NSRegularExpression(
        pattern:
            #"prochaine mise en ligne de (?:nouveaux )?rendez-vous ?: ?le (\d{1,2})/(\d{1,2})/(\d{4})(?: [àa] (\d{1,2}) ?[h:] ?(\d{2}))?(?: pour des cr[ée]neaux de la semaine du (\d{1,2})/(\d{1,2})/(\d{4}))?"#
    )

    static func extract(blocks: [String], normalized: [String]) -> PageFacts {
        var facts = PageFacts()
        // The regular expressions are costly; only blocks that speak of publication are tried.
        for (i, text) in normalized.enumerated() where TextNormalizer.contains(text, "mise en ligne") {
            if facts.lastPublication == nil, let f = fact(last, in: text, original: blocks[i]) {
                facts.lastPublication = f
            }
            if facts.nextPublication == nil, let f = fact(next, in: text, original: blocks[i]) {
                facts.nextPublication = f
            }
        }
        return facts
    }

    private static func fact(_ re: NSRegularExpression, in text: String, original: String) -> PublicationFact? {
        guard let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func int(_ i: Int) -> Int? {
            guard let r = Range(m.range(at: i), in: text) else { return nil }
            return Int(text[r])
        }
        guard let d = int(1), let mo = int(2), let y = int(3), (1...31).contains(d), (1...12).contains(mo) else {
            return nil
        }
        var at = String(format: "%04d-%02d-%02d", y, mo, d)
        if let h = int(4), let mi = int(5), h < 24, mi < 60 { at += String(format: "T%02d:%02d", h, mi) }
        var week: String?
        if let wd = int(6), let wm = int(7), let wy = int(8) { week = String(format: "%04d-%02d-%02d", wy, wm, wd) }
        return PublicationFact(
            text: PageAnalyzer.sentence(containing: "mise en ligne", in: original), at: at, weekOf: week)
    }
}
