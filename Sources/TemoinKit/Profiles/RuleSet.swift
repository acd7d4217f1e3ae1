import Foundation
import Synchronization

/// One rule: when every condition it states holds, the page has this outcome.
package struct OutcomeRule: Codable, Sendable, Equatable {
    package var id: String
    package var outcome: Outcome
    /// Any of these texts appears in one visible block (tolerant comparison, see `TextNormalizer`), as
    /// the site's notice: (nearly) the whole of a short block, or inside `within`; never quoted.
    package var text: [String]?
    /// The structure of the booking system where the text counts even in a longer block (XPath).
    package var within: String?
    /// This XPath selects at least one shown node.
    package var xpath: String?
    /// The HTTP status is one of these (never true for imported pages, which have none).
    package var status: [Int]?
    /// The page URL contains this.
    package var urlContains: String?
    /// Where a structural rule (xpath, status) finds the page's own words to record as the message
    /// (XPath; a heading brings the text that follows it).
    package var quote: String?
    /// temoin's own description of what the rule recognises, recorded apart from the page's words.
    /// Rule files written before it was named so call it `message`; it is read the same way.
    package var description: String?
    /// Record the number of nodes the xpath selected as the number of slots listed.
    package var countsSlots: Bool?
    /// Where the wording or the structure comes from (docs/PROFILES.md lists it).
    package var source: String?
    /// `text` as `TextNormalizer.forMatching` gives it: computed once, when the rule is read.
    package private(set) var markers: [String] = []

    enum CodingKeys: String, CodingKey {
        case id, outcome, text, within, xpath, status, quote, description, source
        case urlContains = "url_contains"
        case countsSlots = "counts_slots"
    }

    /// What rule files written before `description` was named call it.
    private enum FormerKeys: String, CodingKey { case message }

    /// Reads a rule as rule files write it (`message` for `description` in older ones) and computes its
    /// markers; written back, a rule has the members of `CodingKeys` (synthesized `encode`).
    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        outcome = try c.decode(Outcome.self, forKey: .outcome)
        text = try c.decodeIfPresent([String].self, forKey: .text)
        within = try c.decodeIfPresent(String.self, forKey: .within)
        xpath = try c.decodeIfPresent(String.self, forKey: .xpath)
        status = try c.decodeIfPresent([Int].self, forKey: .status)
        urlContains = try c.decodeIfPresent(String.self, forKey: .urlContains)
        quote = try c.decodeIfPresent(String.self, forKey: .quote)
        description =
            try c.decodeIfPresent(String.self, forKey: .description)
            ?? decoder.container(keyedBy: FormerKeys.self).decodeIfPresent(String.self, forKey: .message)
        countsSlots = try c.decodeIfPresent(Bool.self, forKey: .countsSlots)
        source = try c.decodeIfPresent(String.self, forKey: .source)
        markers = (text ?? []).map(TextNormalizer.forMatching)
    }
}

/// The outcome rules of one booking system, read from a JSON file (docs/PROFILES.md).
package struct RuleSet: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var description: String?
    /// A URL containing one of these belongs to this booking system.
    package var urlPatterns: [String]
    /// The hosts the booking system is served from (`.gouv.fr` for any host under it): a page from
    /// elsewhere is another site and decides nothing. Absent: any host (`generic`).
    package var hosts: [String]?
    /// What only this system's pages hold (XPath): with the page's declared origin, it chooses the
    /// profile before any address given on the command line.
    package var signature: String?
    package var rules: [OutcomeRule]
    /// How `temoin attempt` walks the site; absent: one GET of the booking URL.
    package var steps: [ProfileStep]?

    enum CodingKeys: String, CodingKey {
        case id, name, description, rules, steps, hosts, signature
        case urlPatterns = "url_patterns"
    }

    /// Profiles shipped with temoin, in the order URL detection tries them.
    package static let builtInNames = ["prefecture-legacy", "rdv-prefecture", "paris-rdvtitres", "generic"]

    /// Rules that apply to every profile after its own: overload, maintenance, server errors.
    package static let common: RuleSet =
        (try? loadBuiltIn("common")) ?? RuleSet(id: "common", name: "common", urlPatterns: [], rules: [])

    package init(id: String, name: String, description: String? = nil, urlPatterns: [String], rules: [OutcomeRule]) {
        self.id = id
        self.name = name
        self.description = description
        self.urlPatterns = urlPatterns
        self.rules = rules
    }

    /// The shipped profiles read so far: each is read and validated once per process, and only when
    /// asked for (an attempt needs its own profile and `common`, not all of them).
    private static let shipped = Mutex<[String: RuleSet]>([:])

    package static func loadBuiltIn(_ name: String) throws -> RuleSet {
        if let set = shipped.withLock({ $0[name] }) { return set }
        guard builtInNames.contains(name) || name == "common",
            let url = Installation.current.resource("profiles/\(name).json"),
            let set = try? load(url: url)
        else { throw TemoinError.unknownProfile(name: name) }
        shipped.withLock { $0[name] = set }
        return set
    }

    /// `temoin profiles show`: the rule file at `profile` when there is one, else the shipped profile of
    /// that name.
    package static func load(fileOrName profile: String) throws -> RuleSet {
        FileManager.default.fileExists(atPath: profile)
            ? try load(url: URL(fileURLWithPath: profile)) : try loadBuiltIn(profile)
    }

    /// Reads and validates a rule file: every rule has a condition and every XPath compiles.
    package static func load(url: URL) throws -> RuleSet {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TemoinError.invalidRuleFile(path: url.path, detail: error.localizedDescription)
        }
        let set: RuleSet
        do { set = try JSONDecoder().decode(RuleSet.self, from: data) } catch {
            throw TemoinError.invalidRuleFile(path: url.path, detail: "\(error)")
        }
        for (i, step) in (set.steps ?? []).enumerated() {
            let missing =
                (step.action == .submit && step.form == nil) || (step.action == .follow && step.link == nil)
            if missing {
                throw TemoinError.invalidRuleFile(path: url.path, detail: "step \(i + 1) lacks its form or link")
            }
            for x in [step.form, step.link].compactMap({ $0 }) where !HTMLDocument.isValidXPath(x) {
                throw TemoinError.invalidRuleFile(path: url.path, detail: "step \(i + 1): invalid XPath \(x)")
            }
        }
        if let x = set.signature, !HTMLDocument.isValidXPath(x) {
            throw TemoinError.invalidRuleFile(path: url.path, detail: "invalid signature XPath \(x)")
        }
        for rule in set.rules {
            if rule.text == nil && rule.xpath == nil && rule.status == nil {
                throw TemoinError.invalidRuleFile(path: url.path, detail: "rule \(rule.id) has no condition")
            }
            for x in [rule.xpath, rule.within, rule.quote].compactMap({ $0 }) where !HTMLDocument.isValidXPath(x) {
                throw TemoinError.invalidRuleFile(path: url.path, detail: "rule \(rule.id): invalid XPath \(x)")
            }
        }
        return set
    }

    /// The built-in profile whose URL patterns match `url`, else `generic`.
    package static func detect(url: String) -> String {
        for name in builtInNames {
            if let set = try? loadBuiltIn(name), set.urlPatterns.contains(where: { url.contains($0) }) {
                return name
            }
        }
        return "generic"
    }

    /// A profile by name; `auto` chooses by URL.
    package static func named(_ name: String, url: String?) throws -> RuleSet {
        if name == "auto" { return try loadBuiltIn(detect(url: url ?? "")) }
        guard builtInNames.contains(name) else { throw TemoinError.unknownProfile(name: name) }
        return try loadBuiltIn(name)
    }
}
