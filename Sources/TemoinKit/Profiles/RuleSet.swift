import Foundation
import Synchronization

/// One rule: when every condition it states holds, the page has this outcome.
public struct OutcomeRule: Codable, Sendable, Equatable {
    public var id: String
    public var outcome: Outcome
    /// Any of these texts appears in one visible block (tolerant comparison, see `TextNormalizer`).
    public var text: [String]?
    /// This XPath selects at least one node.
    public var xpath: String?
    /// The HTTP status is one of these (never true for imported pages, which have none).
    public var status: [Int]?
    /// The page URL contains this.
    public var urlContains: String?
    /// Fixed message to record when the rule is structural (xpath/status) rather than textual.
    public var message: String?
    /// Record the number of nodes the xpath selected as the number of slots listed.
    public var countsSlots: Bool?

    enum CodingKeys: String, CodingKey {
        case id, outcome, text, xpath, status, message
        case urlContains = "url_contains"
        case countsSlots = "counts_slots"
    }
}

/// The outcome rules of one booking system, read from a JSON file (docs/PROFILES.md).
public struct RuleSet: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String?
    /// A URL containing one of these belongs to this booking system.
    public var urlPatterns: [String]
    public var rules: [OutcomeRule]
    /// How `temoin attempt` walks the site; absent: one GET of the booking URL.
    public var steps: [ProfileStep]?

    enum CodingKeys: String, CodingKey {
        case id, name, description, rules, steps
        case urlPatterns = "url_patterns"
    }

    /// Profiles shipped with temoin, in the order URL detection tries them.
    public static let builtInNames = ["prefecture-legacy", "rdv-prefecture", "generic"]

    /// Rules that apply to every profile after its own: overload, maintenance, server errors.
    public static let common: RuleSet =
        (try? loadBuiltIn("common")) ?? RuleSet(id: "common", name: "common", urlPatterns: [], rules: [])

    public init(id: String, name: String, description: String? = nil, urlPatterns: [String], rules: [OutcomeRule]) {
        self.id = id
        self.name = name
        self.description = description
        self.urlPatterns = urlPatterns
        self.rules = rules
    }

    /// The shipped profiles read so far: each is read and validated once per process, and only when
    /// asked for (an attempt needs its own profile and `common`, not all of them).
    private static let shipped = Mutex<[String: RuleSet]>([:])

    public static func loadBuiltIn(_ name: String) throws -> RuleSet {
        if let set = shipped.withLock({ $0[name] }) { return set }
        guard builtInNames.contains(name) || name == "common",
            let url = Installation.current.resource("profiles/\(name).json"),
            let set = try? load(url: url)
        else { throw TemoinError.unknownProfile(name: name) }
        shipped.withLock { $0[name] = set }
        return set
    }

    /// Reads and validates a rule file: every rule has a condition and every XPath compiles.
    public static func load(url: URL) throws -> RuleSet {
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
        for rule in set.rules {
            if rule.text == nil && rule.xpath == nil && rule.status == nil {
                throw TemoinError.invalidRuleFile(path: url.path, detail: "rule \(rule.id) has no condition")
            }
            if let x = rule.xpath, !HTMLDocument.isValidXPath(x) {
                throw TemoinError.invalidRuleFile(path: url.path, detail: "rule \(rule.id): invalid XPath \(x)")
            }
        }
        return set
    }

    /// The built-in profile whose URL patterns match `url`, else `generic`.
    public static func detect(url: String) -> String {
        for name in builtInNames {
            if let set = try? loadBuiltIn(name), set.urlPatterns.contains(where: { url.contains($0) }) {
                return name
            }
        }
        return "generic"
    }

    /// A profile by name; `auto` chooses by URL.
    public static func named(_ name: String, url: String?) throws -> RuleSet {
        if name == "auto" { return try loadBuiltIn(detect(url: url ?? "")) }
        guard builtInNames.contains(name) else { throw TemoinError.unknownProfile(name: name) }
        return try loadBuiltIn(name)
    }
}
