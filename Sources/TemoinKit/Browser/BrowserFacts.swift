import Foundation

/// One step of the browser's navigation history (`Page.getNavigationHistory`), oldest first.
package struct NavigationStep: Codable, Sendable, Equatable {
    package var url: String
    package var title: String?
    /// How the person got there, as the browser says: `typed`, `link`, `form_submit`, `reload`...
    package var transition: String?
}

/// How a witnessed attempt was made and how it ended (entry member `browser`).
package struct BrowserFacts: Codable, Sendable, Equatable {
    /// The browser's product and version, e.g. `Chrome/156.0.8078.79`.
    package var product: String
    /// The path of the executable started (no user name: a path under the home folder is written `~/…`).
    package var executable: String
    /// Always `true`: a new, empty temporary profile, deleted afterwards (no cookies, cache or history).
    package var freshProfile: Bool
    /// `true` only in temoin's own tests (no window); a person's attempt always has a window.
    package var headless: Bool?
    /// UTC time the browser was opened on the booking address.
    package var openedAt: String
    /// `outcome`: the page reached an outcome the profile recognises; `person`: the person pressed Enter.
    package var endedBy: String
    /// The navigation history of the tab when the attempt was recorded, oldest first.
    package var navigation: [NavigationStep]
    /// Index in `navigation` of the page shown when the attempt was recorded.
    package var navigationIndex: Int?
    /// Size in CSS pixels of the full-page screenshot.
    package var screenshotWidth: Int?
    package var screenshotHeight: Int?

    enum CodingKeys: String, CodingKey {
        case product, executable, headless, navigation
        case freshProfile = "fresh_profile"
        case openedAt = "opened_at"
        case endedBy = "ended_by"
        case navigationIndex = "navigation_index"
        case screenshotWidth = "screenshot_width"
        case screenshotHeight = "screenshot_height"
    }
}
