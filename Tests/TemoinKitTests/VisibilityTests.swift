import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// Text a person does not see decides nothing; text whose display temoin cannot know is marked so.
@Suite struct VisibilityTests {
    static let url = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/"
    static let sentence = "Aucun créneau disponible à partir de cette date. Veuillez réessayer ultérieurement."

    /// An RDV Préfecture page whose only notice is `notice` (the no-slot sentence, wrapped as the case
    /// says), with `style` in its `<style>` element.
    static func page(_ notice: String, style: String = "", body: String = "") -> Data {
        Data(
            """
            <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Prendre un rendez-vous - RDV Préfecture</title>
            <style>body { color: #161616; background: #fff; } \(style)</style></head>
            <body style="\(body)"><main id="contenu"><h1>Préfecture du Rhône – Titre de séjour</h1>
            \(notice)
            <p><a href="../">Retour à la démarche</a></p></main></body></html>
            """.utf8)
    }

    static func analyse(_ data: Data) throws -> PageAnalysis {
        PageAnalyzer(ruleSet: try RuleSet.loadBuiltIn("rdv-prefecture")).analyze(data, url: url)
    }

    static let s = sentence

    /// Every way of hiding the issue names, and more: none may give "no slot".
    @Test(arguments: [
        ("<style> rule, display:none", "<p class=\"h\">\(s)</p>", ".h{display:none}", ""),
        ("<style> rule by id", "<p id=\"m\">\(s)</p>", "#m { display: none !important; }", ""),
        ("descendant selector", "<div class=\"alerts\"><p>\(s)</p></div>", ".alerts p { visibility: hidden; }", ""),
        ("class d-none", "<p class=\"fr-alert d-none\">\(s)</p>", "", ""),
        ("class hidden", "<div class=\"hidden\"><p>\(s)</p></div>", "", ""),
        ("class sr-only", "<span class=\"sr-only\">\(s)</span>", "", ""),
        ("class visually-hidden", "<p class=\"visually-hidden\">\(s)</p>", "", ""),
        ("hidden attribute", "<p hidden>\(s)</p>", "", ""),
        ("inline display:none", "<p style=\"display: none\">\(s)</p>", "", ""),
        ("inline visibility:hidden", "<p style=\"visibility:hidden\">\(s)</p>", "", ""),
        ("font-size:0", "<p style=\"font-size:0\">\(s)</p>", "", ""),
        ("font-size:0 by rule", "<p class=\"z\">\(s)</p>", ".z { font-size: 0px }", ""),
        ("opacity:0", "<p style=\"opacity:0\">\(s)</p>", "", ""),
        ("opacity:0 on a parent", "<div class=\"o\"><p>\(s)</p></div>", ".o{opacity:0.0}", ""),
        ("white on white", "<p style=\"color:#fff\">\(s)</p>", "", ""),
        ("white on the page's white by rule", "<p class=\"w\">\(s)</p>", ".w { color: white }", ""),
        (
            "same colour as a dark box",
            "<div style=\"background:#222\"><p style=\"color:rgb(34,34,34)\">\(s)</p></div>", "", ""
        ),
        ("transparent text", "<p style=\"color: rgba(0,0,0,0)\">\(s)</p>", "", ""),
        ("off-screen left", "<p style=\"position:absolute; left:-9999px\">\(s)</p>", "", ""),
        ("off-screen by rule", "<p class=\"off\">\(s)</p>", ".off{position:fixed;top:-10000px}", ""),
        ("text-indent", "<p style=\"text-indent:-9999px\">\(s)</p>", "", ""),
        (
            "clipped screen-reader text", "<p class=\"a11y\">\(s)</p>",
            ".a11y { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }", ""
        ),
        ("closed details", "<details><summary>Détails</summary><p>\(s)</p></details>", "", ""),
        ("closed dialog", "<dialog><p>\(s)</p></dialog>", "", ""),
    ])
    func hiddenTextNeverGivesNoSlot(_ name: String, _ notice: String, _ style: String, _ body: String) throws {
        let a = try Self.analyse(Self.page(notice, style: style, body: body))
        #expect(a.outcome == .unexpected, "\(name): \(a.outcome) by \(a.rule ?? "-")")
        #expect(a.setAside.contains { $0.reason == .hidden }, "\(name): the hidden sentence is reported, \(a.setAside)")
        #expect(!a.visibleText.contains("Aucun créneau"), "\(name)")
    }

    /// The same sentence shown: a style that does not hide, an override, a contrast that reads.
    @Test(arguments: [
        ("plain", "<p>\(s)</p>", ""),
        ("another element hidden", "<p>\(s)</p><p class=\"h\">Choisissez votre créneau</p>", ".h{display:none}"),
        ("a more specific rule shows it", "<p class=\"msg on\">\(s)</p>", ".msg{display:none} .msg.on{display:block}"),
        (
            "visible child of a hidden parent",
            "<div style=\"visibility:hidden\"><p style=\"visibility:visible\">\(s)</p></div>", ""
        ),
        (
            "sized child of a zero-size parent",
            "<div style=\"font-size:0\"><p style=\"font-size:16px\">\(s)</p></div>", ""
        ),
        ("white on a dark box", "<div style=\"background-color:#000091\"><p style=\"color:#fff\">\(s)</p></div>", ""),
        ("print-only rule", "<p class=\"p\">\(s)</p>", "@media print { .p { display: none } }"),
        ("slightly off to the left", "<p style=\"position:relative; left:-4px\">\(s)</p>", ""),
        ("a hiding rule for generated content only", "<p class=\"x\">\(s)</p>", ".x::before { display: none }"),
    ])
    func shownTextCounts(_ name: String, _ notice: String, _ style: String) throws {
        let a = try Self.analyse(Self.page(notice, style: style))
        #expect(a.outcome == .noSlot, "\(name): \(a.outcome), \(a.setAside)")
        #expect(a.message == Self.sentence)
        #expect(a.visibility == VisibilityRecord(basis: "markup"), "\(name): \(String(describing: a.visibility))")
    }

    /// What only a browser could tell: the outcome stands, marked uncertain, with why.
    @Test(arguments: [
        (
            "collapse toggled by script", "<div class=\"collapse\" id=\"m\"><p>\(s)</p></div>", "",
            VisibilityDoubt.classToggled
        ),
        ("DSFR collapse", "<div class=\"fr-collapse\"><p>\(s)</p></div>", "", .classToggled),
        ("responsive class", "<p class=\"d-none d-md-block\">\(s)</p>", "", .classToggled),
        ("media query", "<p class=\"m\">\(s)</p>", "@media (max-width: 600px) { .m { display: none } }", .styleRule),
        ("hover rule", "<div class=\"box\"><p>\(s)</p></div>", ".box:hover p { display: none }", .styleRule),
        ("value temoin cannot compute", "<p class=\"v\">\(s)</p>", ".v { display: var(--affichage) }", .styleRule),
    ])
    func undecidableVisibilityIsMarkedUncertain(
        _ name: String, _ notice: String, _ style: String, _ doubt: VisibilityDoubt
    )
        throws
    {
        let a = try Self.analyse(Self.page(notice, style: style))
        #expect(a.outcome == .noSlot, "\(name): \(a.outcome)")
        #expect(a.visibility?.basis == "markup")
        #expect(a.visibility?.uncertain == doubt, "\(name): \(String(describing: a.visibility))")
        #expect(a.visibility?.detail?.isEmpty == false)
    }

    @Test func aShownNoticeWinsOverAnEarlierDoubtfulOne() throws {
        let notice = "<div class=\"collapse\"><p>\(Self.s)</p></div><div class=\"fr-alert\"><p>\(Self.s)</p></div>"
        let a = try Self.analyse(Self.page(notice))
        #expect(a.outcome == .noSlot)
        #expect(a.visibility?.uncertain == nil)
    }

    @Test func hiddenStructureDecidesNothing() throws {
        // A slot list hidden by a class: the page shows no slot list.
        let cards =
            "<ul class=\"d-none\"><li class=\"radio-card\"><input type=\"radio\" name=\"trhId\" value=\"1\"><label>Lundi 9h</label></li></ul>"
        let a = try Self.analyse(Self.page(cards + "<p>\(Self.s)</p>"))
        #expect(a.outcome == .noSlot)
        #expect(a.facts.slotsListed == nil)
        // Shown, but inside a box whose text has the colour of its background.
        let hidden =
            "<div style=\"color:#fff;background:#fff\"><ul><li class=\"radio-card\"><input type=\"radio\" name=\"trhId\" value=\"1\"><label>Lundi 9h</label></li></ul></div>"
        #expect(try Self.analyse(Self.page(hidden)).outcome == .unexpected)
        let shown =
            "<h2>Choisissez votre créneau</h2><ul><li class=\"radio-card\"><input type=\"radio\" name=\"trhId\" value=\"1\"><label>Lundi 9h</label></li></ul>"
        let b = try Self.analyse(Self.page(shown))
        #expect(b.outcome == .slotAvailable)
        #expect(b.message == "Choisissez votre créneau")
        #expect(b.description?.contains("radio-card") == true)
    }

    @Test func stylesheetSubsetReadsWhatItCanAndNothingElse() {
        let sheet = StyleSheet.parse(
            """
            /* comment { display: none } */
            @import url(x.css);
            .a, #b > p.c { display : none ; color: red }
            .d { margin: 0 }
            @font-face { font-family: X; src: url(x.woff) }
            @media screen { .e { visibility: hidden } }
            @media (min-width: 40em) { .f { display: block } }
            a[href^="http"]:not(.g) ~ span { opacity: 0 }
            .h::after { display: none }
            """)
        // .d declares nothing that hides; .h styles generated content only.
        #expect(sheet.rules.count == 5)
        #expect(sheet.rules.filter(\.conditional).count == 1)
        #expect(sheet.testsAttributes)
        let p = StyledElement(tag: "p", id: nil, classes: ["c"], attributes: [:], index: 0, siblingCount: nil)
        let div = StyledElement(tag: "div", id: "b", classes: [], attributes: [:], index: 0, siblingCount: nil)
        let rule = sheet.rules[1].selector
        #expect(rule.matches(path: [div, p], siblings: [[div], [p]]) == .yes)
        #expect(rule.matches(path: [p], siblings: [[p]]) == .no)
        #expect(Selector.parse("p:hover")!.matches(path: [p], siblings: [[p]]) == .maybe)
        #expect(Selector.parse("p::before") == nil)
    }

    @Test func coloursAreReadAndComparedByContrast() {
        #expect(RGBA.parse("#FFF") == RGBA.white)
        #expect(RGBA.parse("rgb(255, 255, 255)") == RGBA.white)
        #expect(RGBA.parse("rgba(0 0 0 / 0)")?.a == 0)
        #expect(RGBA.parse("var(--x)") == nil)
        #expect(RGBA.parse("#fafafa")!.isInvisible(on: .white))
        #expect(!RGBA.parse("#767676")!.isInvisible(on: .white))
    }
}
