import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// A marker counts as the site's notice, never as a mention of it.
@Suite struct NoticeTests {
    static let rdv = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/"

    static func analyse(_ html: String, profile: String = "rdv-prefecture", url: String = rdv, status: Int? = nil)
        throws -> PageAnalysis
    {
        PageAnalyzer(ruleSet: try RuleSet.named(profile, url: url)).analyze(Data(html.utf8), status: status, url: url)
    }

    static func page(_ body: String, head: String = "<title>Prendre un rendez-vous</title>") -> String {
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\(head)</head><body>\(body)</body></html>"
    }

    @Test(arguments: [
        (
            "guillemets", "<p>Le site affiche « Aucun créneau disponible » depuis des semaines.</p>",
            SetAsideReason.quoted
        ),
        (
            "quote marks first", "<p>“Aucun créneau disponible à partir de cette date.” Voilà ce que je vois.</p>",
            .quoted
        ),
        ("parentheses", "<p>Rien à faire (aucun créneau disponible sur cette semaine).</p>", .quoted),
        ("blockquote", "<blockquote><p>Aucun créneau disponible à partir de cette date.</p></blockquote>", .quoted),
        ("q element", "<p>Elle a lu <q>Aucun créneau disponible à partir de cette date</q>.</p>", .quoted),
        (
            "figure caption", "<figure><img src=\"a.png\"><figcaption>Aucun créneau disponible</figcaption></figure>",
            .quoted
        ),
        (
            "inside a sentence",
            "<p>Pareil pour moi, aucun créneau disponible à partir de cette date depuis trois semaines.</p>", .prose
        ),
        (
            "long paragraph",
            "<p>Aucun créneau disponible à partir de cette date. "
                + String(repeating: "Les usagers attendent des semaines. ", count: 12)
                + "</p>", .prose
        ),
        (
            "one item of a list of messages",
            "<ul><li>Aucun créneau disponible à partir de cette date.</li><li>Veuillez réessayer ultérieurement.</li></ul>",
            .prose
        ),
    ])
    func mentionsAreNotNotices(_ name: String, _ body: String, _ reason: SetAsideReason) throws {
        for profile in ["rdv-prefecture", "generic"] {
            let a = try Self.analyse(Self.page(body), profile: profile)
            #expect(a.outcome == .unexpected, "\(name) [\(profile)]: \(a.outcome) by \(a.rule ?? "-")")
            #expect(a.setAside.first?.reason == reason, "\(name) [\(profile)]: \(a.setAside)")
        }
    }

    @Test(arguments: [
        ("alone", "<p>Aucun créneau disponible à partir de cette date.</p>"),
        (
            "with the next sentence",
            "<div class=\"fr-alert\"><p>Aucun créneau disponible à partir de cette date. Veuillez réessayer ultérieurement.</p></div>"
        ),
        ("after a label", "<p><strong>Information :</strong> Aucun créneau disponible à partir de cette date.</p>"),
        (
            "after an icon",
            "<p><span aria-hidden=\"true\">⚠</span> Aucun créneau disponible à partir de cette date.</p>"
        ),
    ])
    func noticesCount(_ name: String, _ body: String) throws {
        let a = try Self.analyse(Self.page(body))
        #expect(a.outcome == .noSlot, "\(name): \(a.setAside)")
        #expect(a.rule == "rdv-prefecture/rdv-no-slot-from-date")
    }

    @Test func insideTheExpectedStructureALongerBlockStillCounts() throws {
        let prose = String(repeating: "Les demandes sont traitées dans l'ordre d'arrivée. ", count: 8)
        let form =
            "<form id=\"FormBookingCreate\">\(prose) Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. Veuillez recommencer ultérieurement.</form>"
        let url = "https://www.val-doise.gouv.fr/booking/create/11343/2"
        let a = try Self.analyse(Self.page(form), profile: "prefecture-legacy", url: url)
        #expect(a.rule == "prefecture-legacy/legacy-no-slot")
        #expect(
            a.message
                == "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. Veuillez recommencer ultérieurement."
        )
        // The same block outside the form is prose.
        let b = try Self.analyse(
            Self.page("<div>\(prose) Il n'existe plus de plage horaire libre pour votre demande de rendez-vous.</div>"),
            profile: "prefecture-legacy", url: url)
        #expect(b.outcome == .unexpected)
        #expect(b.setAside.first?.reason == .prose)
    }

    @Test(arguments: [
        ("canonical link", "<link rel=\"canonical\" href=\"https://www.alertes-rdv.example/blog/aucun-creneau\">"),
        ("og:url", "<meta property=\"og:url\" content=\"https://alertes-rdv.example/\">"),
        ("domain in the title", "<title>Aucun créneau ? Nos conseils — AlertesRDV.fr</title>"),
        ("site name", "<meta property=\"og:site_name\" content=\"alertes-rdv.fr\">"),
        ("a forum", "<title>Aucun créneau disponible - Forum des démarches</title>"),
    ])
    func aPageOfAnotherSiteDecidesNothing(_ name: String, _ head: String) throws {
        let html = Self.page("<p>Aucun créneau disponible à partir de cette date.</p>", head: head)
        for profile in ["rdv-prefecture", "generic"] {
            let a = try Self.analyse(html, profile: profile)
            #expect(a.outcome == .unexpected, "\(name) [\(profile)]")
            #expect(a.setAside.first?.reason == .otherSite, "\(name) [\(profile)]: \(a.setAside)")
            #expect(a.setAside.first?.detail?.isEmpty == false)
        }
    }

    @Test func aBookingSystemsRulesHoldOnlyOnItsHosts() throws {
        let html = Self.page("<p>Aucun créneau disponible à partir de cette date.</p>")
        let elsewhere = try Self.analyse(html, url: "https://rdv-prefecture.example.com/creneau/")
        #expect(elsewhere.outcome == .unexpected)
        #expect(elsewhere.setAside.first?.reason == .otherSite)
        // The State's other sites and the simulated prefecture on this computer are not "another site".
        let gouv = Self.page(
            "<p>Aucun créneau disponible à partir de cette date.</p>",
            head: "<link rel=\"canonical\" href=\"https://www.interieur.gouv.fr/x\">")
        #expect(try Self.analyse(gouv).outcome == .noSlot)
        #expect(
            try Self.analyse(html, url: "http://127.0.0.1:8080/rdvpref/reservation/demarche/4567/creneau/").outcome
                == .noSlot)
        // A server's own error status still decides on a page that names another site.
        let cdn = Self.page(
            "<h1>Bad gateway</h1><p>Error 502</p>", head: "<title>cdn-exemple.net | 502: Bad gateway</title>")
        let e = try Self.analyse(cdn, status: 502)
        #expect(e.rule == "common/common-http-error")
        #expect(e.visibility?.basis == "status")
    }

    @Test func aPageListingMessagesOfDifferentOutcomesAnswersNothing() throws {
        let body = """
            <h1>Que faire ?</h1>
            <p>Aucun créneau disponible à partir de cette date.</p>
            <p>Service surchargé</p>
            """
        let a = try Self.analyse(Self.page(body), profile: "generic")
        #expect(a.outcome == .unexpected)
        #expect(a.setAside.first?.reason == .contradicted)
        #expect(a.setAside.first?.detail?.contains("common-overload-text") == true)
    }

    @Test func theMessageIsTheWholeOperativeTextAndTemoinsWordsStayApart() throws {
        let overload = Self.page(
            "<h1>Service surchargé</h1>Le service que vous avez demandé est actuellement surchargé.<br>Veuillez réitérer votre demande ultérieurement.<p><a href=\"/\">Accueil</a></p>",
            head: "<title>Service surchargé</title>")
        let a = try Self.analyse(
            overload, profile: "prefecture-legacy", url: "https://www.val-doise.gouv.fr/booking/create/11343/1")
        #expect(a.outcome == .siteError)
        #expect(
            a.message
                == "Service surchargé\nLe service que vous avez demandé est actuellement surchargé. Veuillez réitérer votre demande ultérieurement."
        )
        #expect(a.description == nil)
        let captcha = try Self.analyse(
            Self.page("<form><img id=\"captchaFR_CaptchaImage\" src=\"x.png\"><input name=\"captchaUsercode\"></form>"))
        #expect(captcha.outcome == .captcha)
        #expect(captcha.message == nil)
        #expect(captcha.description?.hasPrefix("Page de vérification") == true)
    }
}
