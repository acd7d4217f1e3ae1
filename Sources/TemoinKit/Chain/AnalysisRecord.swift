import Foundation

/// How the visibility of the text an outcome rests on was established (entry member `visibility`,
/// docs/FORMAT.md §4). Written on every attempt whose outcome a rule decided.
public struct VisibilityRecord: Codable, Sendable, Equatable {
    /// `markup`: temoin read the page's markup, its own `<style>` rules and the common hiding classes;
    /// linked stylesheets and scripts were not run. `browser`: the browser that showed the page was
    /// asked whether the deciding text or structure was displayed. `status`: the HTTP status decided,
    /// no text of the page did.
    public var basis: String
    /// Present when temoin cannot tell whether the deciding text was shown: why.
    public var uncertain: VisibilityDoubt?
    /// temoin's own words on the doubt (`class collapse`, `<style> rule on display`).
    public var detail: String?

    public static let markupBasis = "markup"
    public static let browserBasis = "browser"
    public static let statusBasis = "status"

    public init(basis: String, uncertain: VisibilityDoubt? = nil, detail: String? = nil) {
        self.basis = basis
        self.uncertain = uncertain
        self.detail = detail
    }
}

/// Why a marker found in the page was not taken as the site's answer.
public struct SetAsideReason: RawRepresentable, Codable, Hashable, Sendable, CaseIterable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Between quotation marks or parentheses, or inside `<blockquote>`, `<q>`, `<cite>`: a mention.
    public static let quoted = SetAsideReason(rawValue: "quoted")
    /// One sentence of a long text (an article, a post), not a notice of its own.
    public static let prose = SetAsideReason(rawValue: "prose")
    /// Not shown to a person (hidden element or style), or reported hidden by the browser.
    public static let hidden = SetAsideReason(rawValue: "hidden")
    /// The page says it belongs to another site than the booking system's (title, canonical link,
    /// `og:url`, host).
    public static let otherSite = SetAsideReason(rawValue: "other_site")
    /// The page also shows, as a notice, another rule's marker with another outcome: it lists the
    /// sites' messages (a help page) rather than giving one answer.
    public static let contradicted = SetAsideReason(rawValue: "contradicted")

    public static let allCases: [SetAsideReason] = [.quoted, .prose, .hidden, .otherSite, .contradicted]
}

/// A marker of a rule found in the page but not counted (entry member `set_aside`).
public struct SetAsideMarker: Codable, Sendable, Equatable {
    /// `profile/rule-id` of the rule whose marker it was.
    public var rule: String
    public var reason: SetAsideReason
    /// The page's text around the marker, verbatim (at most 300 characters).
    public var text: String?
    /// temoin's own words on the reason (`class d-none`, `canonical link https://…`).
    public var detail: String?

    public init(rule: String, reason: SetAsideReason, text: String? = nil, detail: String? = nil) {
        self.rule = rule
        self.reason = reason
        self.text = text
        self.detail = detail
    }
}
