import Foundation

/// What chose the profile whose rules judged an imported page (`source.profile_basis`).
package struct ProfileBasis: RawRepresentable, Codable, Hashable, Sendable, CaseIterable {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }

    /// `temoin import --profile-file`.
    package static let profileFile = ProfileBasis(rawValue: "profile_file")
    /// The case names a profile (`temoin init --profile`, `temoin case set profile`).
    package static let caseProfile = ProfileBasis(rawValue: "case_profile")
    /// The address the page itself gives (saved-from comment, canonical link, MHTML header).
    package static let pageAddress = ProfileBasis(rawValue: "page_address")
    /// The page's structure (`signature` of a profile: the legacy module's booking form...).
    package static let pageStructure = ProfileBasis(rawValue: "page_structure")
    /// The case's booking address.
    package static let caseBookingURL = ProfileBasis(rawValue: "case_booking_url")
    /// Only the address given with `--url`.
    package static let givenURL = ProfileBasis(rawValue: "given_url")
    /// Nothing named a known booking system: the generic rules.
    package static let fallback = ProfileBasis(rawValue: "fallback")

    package static let allCases: [ProfileBasis] = [
        .profileFile, .caseProfile, .pageAddress, .pageStructure, .caseBookingURL, .givenURL, .fallback,
    ]
}

extension RuleSet {
    /// The profile for an imported page, from the case and the page before any address typed on the
    /// command line: the case's own profile when it names one; else the system the page's own address
    /// belongs to; else the one whose structure the page has; else the case's booking address's; else
    /// the given address's; else `generic`. A mistyped `--url` alone therefore never applies another
    /// system's rules to a page that says where it comes from.
    static func choose(
        caseProfile: String, declaredURL: String?, page: HTMLDocument?, bookingURL: String, givenURL: String?
    ) throws -> (RuleSet, ProfileBasis) {
        if caseProfile != "auto" { return (try named(caseProfile, url: nil), .caseProfile) }
        if let declaredURL { return (try loadBuiltIn(detect(url: declaredURL)), .pageAddress) }
        if let page {
            for name in builtInNames {
                guard let set = try? loadBuiltIn(name), let signature = set.signature else { continue }
                if page.evaluate(signature).matched { return (set, .pageStructure) }
            }
        }
        let fromCase = detect(url: bookingURL)
        if fromCase != "generic" { return (try loadBuiltIn(fromCase), .caseBookingURL) }
        if let givenURL, detect(url: givenURL) != "generic" {
            return (try loadBuiltIn(detect(url: givenURL)), .givenURL)
        }
        return (try loadBuiltIn("generic"), .fallback)
    }
}
