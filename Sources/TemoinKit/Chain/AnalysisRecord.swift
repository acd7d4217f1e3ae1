import Foundation

/// How the visibility of the text an outcome rests on was established (entry member `visibility`,
/// docs/FORMAT.md §4). Written on every attempt whose outcome a rule decided.
package struct VisibilityRecord: Codable, Sendable, Equatable {
    /// `markup`: temoin read the page's markup, its own `<style>` rules and the common hiding classes;
    /// linked stylesheets and scripts were not run. `browser`: the browser that showed the page was
    /// asked whether the deciding text or structure was displayed. `status`: the HTTP status decided,
    /// no text of the page did.
    package var basis: String
    /// Present when temoin cannot tell whether the deciding text was shown: why.
    package var uncertain: VisibilityDoubt?
    /// temoin's own words on the doubt (`class collapse`, `<style> rule on display`).
    package var detail: String?

    package static let markupBasis = "markup"
    package static let browserBasis = "browser"
    package static let statusBasis = "status"

    package init(basis: String, uncertain: VisibilityDoubt? = nil, detail: String? = nil) {
        self.basis = basis
        self.uncertain = uncertain
        self.detail = detail
    }
}

/// Why a marker found in the page was not taken as the site's answer.
package struct SetAsideReason: RawRepresentable, Codable, Hashable, Sendable, CaseIterable {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }

    /// Between quotation marks or parentheses, or inside `<blockquote>`, `<q>`, `<cite>`: a mention.
    package static let quoted = SetAsideReason(rawValue: "quoted")
    /// One sentence of a long text (an article, a post), not a notice of its own.
    package static let prose = SetAsideReason(rawValue: "prose")
    /// Not shown to a person (hidden element or style), or reported hidden by the browser.
    package static let hidden = SetAsideReason(rawValue: "hidden")
    /// The page says it belongs to another site than the booking system's (title, canonical link,
    /// `og:url`, host).
    package static let otherSite = SetAsideReason(rawValue: "other_site")
    /// The page also shows, as a notice, another rule's marker with another outcome: it lists the
    /// sites' messages (a help page) rather than giving one answer.
    package static let contradicted = SetAsideReason(rawValue: "contradicted")

    package static let allCases: [SetAsideReason] = [.quoted, .prose, .hidden, .otherSite, .contradicted]
}

/// A marker of a rule found in the page but not counted (entry member `set_aside`).
package struct SetAsideMarker: Codable, Sendable, Equatable {
    /// `profile/rule-id` of the rule whose marker it was.
    package var rule: String
    package var reason: SetAsideReason
    /// The page's text around the marker, verbatim (at most 300 characters).
    package var text: String?
    /// temoin's own words on the reason (`class d-none`, `canonical link https://…`).
    package var detail: String?

    package init(rule: String, reason: SetAsideReason, text: String? = nil, detail: String? = nil) {
        self.rule = rule
        self.reason = reason
        self.text = text
        self.detail = detail
    }
}
