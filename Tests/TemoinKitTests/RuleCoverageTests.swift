import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// Every rule of the shipped profiles against pages we wrote (Fixtures/rule-cases.json): each rule
/// decides at least one page (positive) and is given at least one page that holds its marker or its
/// structure without deciding it (negative: hidden, quoted, listed, another site...).
@Suite struct RuleCoverageTests {
    struct Case: Decodable, CustomTestStringConvertible {
        var page: String
        var profile: String?
        var url: String?
        var status: Int?
        var rule: String?
        var outcome: Outcome
        var message: String?
        var slots: Int?
        var note: String?

        var testDescription: String { "\(page) [\(profile ?? "auto")\(status.map { ", HTTP \($0)" } ?? "")]" }
    }

    static let cases: [Case] = {
        struct File: Decodable { var cases: [Case] }
        let url = Fixtures.folder.appendingPathComponent("rule-cases.json")
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
            return []
        }
        return file.cases
    }()

    /// The page's bytes (the HTML part of an archive), its address and the profile the case names.
    static func prepare(_ c: Case) throws -> (html: Data, url: String, ruleSet: RuleSet) {
        let data = try Fixtures.data(c.page)
        let html = MHTML.parse(data)?.html ?? data
        let url = try #require(c.url ?? SavedPage.embeddedURL(html)?.0, "\(c.page) has no address")
        return (html, url, try RuleSet.named(c.profile ?? "auto", url: url))
    }

    static func analyse(_ c: Case) throws -> PageAnalysis {
        let (html, url, ruleSet) = try prepare(c)
        return PageAnalyzer(ruleSet: ruleSet).analyze(html, status: c.status, url: url)
    }

    @Test func theManifestIsRead() {
        #expect(Self.cases.count >= 30)
    }

    @Test(arguments: cases)
    func eachPageGetsItsOutcomeRuleAndMessage(_ c: Case) throws {
        let a = try Self.analyse(c)
        #expect(a.outcome == c.outcome, "\(c.page): \(a.outcome) by \(a.rule ?? "no rule"), set aside \(a.setAside)")
        #expect(a.rule == c.rule)
        if let message = c.message { #expect(a.message == message) }
        if let slots = c.slots { #expect(a.facts.slotsListed == slots) }
        if a.outcome == .unexpected, a.rule == nil {
            #expect(!a.setAside.isEmpty, "\(c.page): an unexpected page that held markers says why")
        }
        // The message is always the page's own words: it is in the visible text.
        if let message = a.message {
            #expect(a.visibleText.contains(message), "\(c.page): « \(message) » is not in the page's visible text")
        }
    }

    /// The rules of every shipped profile and the common ones.
    static var everyRule: [(set: RuleSet, rule: OutcomeRule)] {
        (RuleSet.builtInNames + ["common"]).compactMap { try? RuleSet.loadBuiltIn($0) }.flatMap { set in
            set.rules.map { (set, $0) }
        }
    }

    @Test func everyRuleHasAPositiveAndANegativeFixture() throws {
        var analysed: [(Case, PageAnalysis, RuleSet, Data)] = []
        for c in Self.cases {
            let (html, _, ruleSet) = try Self.prepare(c)
            analysed.append((c, try Self.analyse(c), ruleSet, html))
        }
        var missing: [String] = []
        for (set, rule) in Self.everyRule {
            let id = "\(set.id)/\(rule.id)"
            let positive = analysed.contains { $0.1.rule == id }
            let negative = analysed.contains { c, a, ruleSet, html in
                guard a.rule != id, set.id == "common" || ruleSet.id == set.id else { return false }
                if rule.isStatusOnly { return c.status.map { !(rule.status ?? []).contains($0) } ?? false }
                if let markers = rule.text {
                    // The marker is in the page, and yet the rule did not decide it.
                    let text = TextNormalizer.forMatching(Charset.decode(html, as: Charset.detect(html)))
                    return markers.contains { TextNormalizer.contains(text, TextNormalizer.forMatching($0)) }
                }
                // The structure is in the page as received (before hidden elements are removed).
                guard let xpath = rule.xpath,
                    let raw = HTMLDocument(text: Charset.decode(html, as: Charset.detect(html)))
                else { return false }
                return raw.evaluate(xpath).matched
            }
            if !positive { missing.append("\(id): no page it decides") }
            if !negative { missing.append("\(id): no page holding its marker or structure that it must not decide") }
        }
        #expect(missing.isEmpty, "\(missing.joined(separator: "\n"))")
    }

    /// The wordings issue 14 lists, each recorded whole from a page we wrote from it.
    @Test(arguments: [
        ("legacy-pas-calendrier.html", "Il n'y a pas calendrier disponible pour effectuer une demande de rendez-vous"),
        ("legacy-page-indisponible.html", "Attention : Cette page n'est pas disponible pour le moment !"),
        ("legacy-lien-desactive.html", "Ce lien a été désactivé définitivement"),
        ("proxy-reponse-invalide.html", "The server returned an invalid or incomplete response"),
        ("paris-aucun-rdv.html", "Aucun rendez-vous n'est actuellement disponible."),
        ("paris-renouveler.html", "Merci de renouveler votre demande dans quelques minutes"),
        ("legacy-plages-libres.html", "Choix d'une plage horaire"),
        (
            "legacy-service-surcharge.html",
            "Le service que vous avez demandé est actuellement surchargé et/ou il n'y plus de créneaux de rendez-vous disponibles pour le moment. Veuillez réitérer votre demande ultérieurement."
        ),
    ])
    func realWordingsAreRecognisedAndKeptWhole(_ page: String, _ wording: String) throws {
        let c = try #require(Self.cases.first { $0.page == page && $0.rule != nil })
        let a = try Self.analyse(c)
        #expect(a.rule == c.rule)
        #expect(a.message?.contains(wording) == true, "\(page): \(a.message ?? "no message")")
    }

    @Test func ruleFilesNameTheSourceOfEveryRule() throws {
        let profiles = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "../../docs/PROFILES.md"), encoding: .utf8)
        for (set, rule) in Self.everyRule {
            #expect(rule.source?.isEmpty == false, "\(set.id)/\(rule.id) has no source")
            #expect(profiles.contains("`\(rule.id)`"), "docs/PROFILES.md does not list \(set.id)/\(rule.id)")
        }
    }
}
