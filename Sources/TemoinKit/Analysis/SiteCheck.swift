import Foundation
import Synchronization

/// Whether a page says it belongs to another site than the one whose answer it would be: a blog or a
/// forum quoting the prefecture, an alert service's mock-up, a page imported with the wrong address.
enum SiteCheck {
    /// temoin's words on why the page is another site, or nil. `hosts` are the booking system's
    /// (nil for `generic`, which has none); `url` is the address the entry records.
    static func otherSite(page: PageText, title: String?, url: String?, hosts: [String]?) -> String? {
        guard let url, let host = host(of: url) else { return nil }
        // The simulated prefecture and local test servers: a page served by this computer.
        let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        if let hosts, !hosts.isEmpty, !loopback, !hosts.contains(where: { belongs(host, to: $0) }) {
            return "the address \(host) is not a host of this booking system (\(hosts.joined(separator: ", ")))"
        }
        for (label, value) in [("canonical link", page.canonical), ("og:url", page.ogURL)] {
            guard let value, let declared = Self.host(of: value), !sameSite(declared, host) else { continue }
            return "its \(label) is \(value)"
        }
        for (label, value) in [("title", title), ("og:site_name", page.siteName)] {
            guard let value else { continue }
            let lower = value.lowercased()
            if let domain = domains(in: lower).first(where: { !sameSite($0, host) }) {
                return "its \(label) names \(domain) (\(PageAnalyzer.clip(value, to: 120)))"
            }
            // The words are split only when one of them is in the text at all.
            guard TextNormalizer.contains(lower, "forum") || TextNormalizer.contains(lower, "blog") else { continue }
            let words = Set(lower.split(whereSeparator: { !$0.isLetter }).map(String.init))
            if let word = ["forum", "blog"].first(where: words.contains) {
                return "its \(label) says \(word) (\(PageAnalyzer.clip(value, to: 120)))"
            }
        }
        return nil
    }

    /// The lowercase host of an absolute http(s) URL. Foundation's URL parser costs more than the rest
    /// of this check, and the same few addresses come back page after page: the last ones are kept.
    static func host(of url: String) -> String? {
        if let known = recentHosts.withLock({ $0[url] }) { return known }
        let host = parseHost(url)
        recentHosts.withLock { cache in
            if cache.count >= 64 { cache.removeAll() }
            cache[url] = host
        }
        return host
    }

    private static let recentHosts = Mutex<[String: String?]>([:])

    private static func parseHost(_ url: String) -> String? {
        guard let components = URLComponents(string: CSSText.trimmed(url)),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return nil }
        return host.lowercased()
    }

    /// `pattern` is a host (`rdv-prefecture.interieur.gouv.fr`, with or without `www.`) or, starting
    /// with a dot, a domain and everything under it (`.gouv.fr`).
    static func belongs(_ host: String, to pattern: String) -> Bool {
        let p = pattern.lowercased()
        if p.hasPrefix(".") { return host.hasSuffix(p) || host == String(p.dropFirst()) }
        return host == p || host == "www." + p || "www." + host == p
    }

    /// Same site: the same registrable domain, `www.` aside. The State's sites (`*.gouv.fr`) count as
    /// one: a prefecture's page may link to or name another ministry's.
    static func sameSite(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let ra = registrable(a)
        let rb = registrable(b)
        return ra == rb || (ra.hasSuffix("gouv.fr") && rb.hasSuffix("gouv.fr"))
    }

    static func registrable(_ host: String) -> String {
        let labels = host.split(separator: ".")
        guard labels.count > 2 else { return host }
        // Second-level suffixes under which the registrable name has three labels.
        let second = ["gouv.fr", "co.uk", "com.fr", "asso.fr", "org.uk", "gov.uk"]
        let lastTwo = labels.suffix(2).joined(separator: ".")
        return second.contains(lastTwo) ? labels.suffix(3).joined(separator: ".") : lastTwo
    }

    private static let domainPattern = try! NSRegularExpression(
        pattern:
            #"(?<![a-z0-9@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:fr|com|org|net|eu|io|info|be|ch|ca|co|app)(?![a-z0-9-])"#
    )

    /// Domain names written in a text (`RDVPrefectureFacile.fr`, lowercased first).
    static func domains(in text: String) -> [String] {
        // Every domain has a dot: the bytes tell without Foundation's `contains` (an NSString bridge).
        guard text.utf8.contains(UInt8(ascii: ".")) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return domainPattern.matches(in: text, range: range).compactMap {
            Range($0.range, in: text).map { String(text[$0]) }
        }
    }
}
