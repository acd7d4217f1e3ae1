import Foundation
import TestSupport
import Testing

@testable import TemoinKit

@Suite struct AnalysisTests {
    static let rdv = Fixtures.rdv

    func analyze(_ name: String, profile: String = "auto", url: String? = nil, status: Int? = nil) throws
        -> PageAnalysis
    {
        let data = try Fixtures.data(name)
        let mhtml = MHTML.parse(data)
        let page = mhtml?.html ?? data
        let u = url ?? mhtml?.location ?? SavedPage.embeddedURL(page)?.0 ?? ""
        return PageAnalyzer(ruleSet: try RuleSet.named(profile, url: u)).analyze(page, status: status, url: u)
    }

    @Test(arguments: [
        ("rdv-creneau-aucun.html", Outcome.noSlot, "rdv-prefecture/rdv-no-slot-from-date"),
        ("rdv-creneau-semaine.html", .noSlot, "rdv-prefecture/rdv-no-slot-week"),
        ("rdv-creneaux-disponibles.html", .slotAvailable, "rdv-prefecture/rdv-slots-listed"),
        ("rdv-cgu-captcha.html", .captcha, "rdv-prefecture/rdv-captcha"),
        ("legacy-aucune-plage.html", .noSlot, "prefecture-legacy/legacy-no-slot"),
        ("legacy-aucune-plage-latin1.html", .noSlot, "prefecture-legacy/legacy-no-slot"),
        ("legacy-motifs-val-de-marne.html", .noSlot, "prefecture-legacy/legacy-no-slot-motifs"),
        ("legacy-accueil.html", .unexpected, "prefecture-legacy/legacy-start-page"),
        ("surcharge-502.html", .siteError, "common/common-overload-text"),
        ("maintenance.html", .siteError, "common/common-maintenance"),
        ("complete/Prendre un rendez-vous.html", .noSlot, "rdv-prefecture/rdv-no-slot-from-date"),
        ("single-file.mhtml", .noSlot, "rdv-prefecture/rdv-no-slot-from-date"),
    ])
    func eachSamplePageGetsItsOutcome(_ name: String, _ outcome: Outcome, _ rule: String) throws {
        let a = try analyze(name)
        #expect(a.outcome == outcome, "\(name): \(a.outcome) by \(a.rule ?? "no rule"): \(a.message ?? "")")
        #expect(a.rule == rule)
        // The page's words, or for a structural rule temoin's own description of what it recognised.
        #expect((a.message ?? a.description)?.isEmpty == false)
    }

    @Test func onlyTheFirstMegabytesOfAHugePageAreParsed() throws {
        // 5 MB of elements, then a marker: the tree is built for the first 2 MB only (memory stays
        // bounded), and a multi-byte character at the cut is never split.
        let head = "<html><body>" + String(repeating: "<p>é</p>", count: 600_000)
        let page = head + "<p>MARQUEUR-DE-FIN</p></body></html>"
        #expect(page.utf8.count > HTMLDocument.analysisLimit)
        let doc = try #require(HTMLDocument(text: page))
        #expect(doc.truncated)
        let blocks = doc.read(blockLimit: 1_000_000).blocks.map(\.text)
        #expect(!blocks.isEmpty && blocks.allSatisfy { $0 == "é" })
        #expect(!blocks.contains("MARQUEUR-DE-FIN"))
        let small = try #require(HTMLDocument(text: "<p>MARQUEUR-DE-FIN</p>"))
        #expect(!small.truncated && small.read().blocks.map(\.text) == ["MARQUEUR-DE-FIN"])
    }

    @Test func theMessageIsThePagesOwnSentence() throws {
        let a = try analyze("rdv-creneau-aucun.html")
        #expect(a.message == "Aucun créneau disponible à partir de cette date. Veuillez réessayer ultérieurement.")
        let legacy = try analyze("legacy-aucune-plage.html")
        #expect(
            legacy.message?.hasPrefix("Il n'existe plus de plage horaire libre pour votre demande de rendez-vous.")
                == true)
        #expect(legacy.message?.contains("Veuillez recommencer ultérieurement") == true)
        let motifs = try analyze("legacy-motifs-val-de-marne.html")
        #expect(motifs.message?.contains("n’est possible") == true)  // as the page wrote it
    }

    @Test func latin1PagesAreDecodedFromTheirMetaCharset() throws {
        let data = try Fixtures.data("legacy-aucune-plage-latin1.html")
        #expect(String(data: data, encoding: .utf8) == nil)
        let a = try analyze("legacy-aucune-plage-latin1.html")
        #expect(a.charset == DetectedCharset(label: "windows-1252", source: .meta))
        #expect(a.visibleText.contains("ultérieurement"))
        #expect(!a.visibleText.contains("\u{FFFD}"))
    }

    @Test func charsetComesFromHeaderThenBOMThenMetaThenContent() {
        let latin = Data([0x3C, 0x70, 0x3E, 0xE9, 0x3C, 0x2F, 0x70, 0x3E])  // <p>é</p> in Latin-1
        #expect(Charset.detect(latin) == DetectedCharset(label: "windows-1252", source: .fallback))
        #expect(Charset.detect(latin, contentType: "text/html; charset=\"ISO-8859-1\"").source == .httpHeader)
        #expect(Charset.detect(Data("<p>é</p>".utf8)) == DetectedCharset(label: "UTF-8", source: .validUTF8))
        #expect(Charset.detect(Data([0xEF, 0xBB, 0xBF]) + Data("<p>".utf8)).source == .byteOrderMark)
        let meta = Data(#"<meta charset="iso-8859-15"><p>"#.utf8) + Data([0xA4])
        #expect(Charset.detect(meta) == DetectedCharset(label: "ISO-8859-15", source: .meta))
        #expect(Charset.decode(meta, as: Charset.detect(meta)).hasSuffix("€"))
        #expect(Charset.decode(Data([0x80]), as: DetectedCharset(label: "windows-1252", source: .fallback)) == "€")
        // A header naming an unknown charset does not win over what the page says.
        #expect(Charset.detect(Data("<p>é</p>".utf8), contentType: "text/html; charset=klingon").source == .validUTF8)
    }

    @Test func hiddenScriptedAndStyledTextIsNotVisible() throws {
        let a = try analyze("rdv-creneau-aucun.html")
        #expect(!a.visibleText.contains("Choisissez votre créneau"))
        #expect(a.facts.slotsListed == nil)
        let page = Data(
            """
            <html><head><title>t</title><style>p{}</style></head><body>
            <script>document.write("Aucun créneau disponible")</script>
            <div hidden>Aucun créneau disponible</div><p style="display: none">Aucun créneau disponible</p>
            <p>Bonjour</p><input type="hidden" value="Aucun créneau disponible"></body></html>
            """.utf8)
        let b = PageAnalyzer(ruleSet: try RuleSet.loadBuiltIn("rdv-prefecture")).analyze(page)
        #expect(b.visibleText == "Bonjour")
        #expect(b.outcome == .unexpected)
    }

    @Test func successPagesCountTheSlotsListed() throws {
        let a = try analyze("rdv-creneaux-disponibles.html")
        #expect(a.facts.slotsListed == 3)
    }

    @Test func publicationFactsAreExtracted() throws {
        let f = try analyze("rdv-creneau-aucun.html").facts
        #expect(f.lastPublication?.at == "2026-11-18T09:00")
        #expect(f.lastPublication?.weekOf == "2026-11-30")
        #expect(f.lastPublication?.text.hasPrefix("Dernière mise en ligne de rendez-vous") == true)
        #expect(f.nextPublication?.at == "2026-11-25T09:00")
    }

    @Test func matchingToleratesCaseWhitespaceAndApostrophes() {
        #expect(TextNormalizer.forMatching("IL N’EXISTE\u{00A0}PLUS  de\nplage") == "il n'existe plus de plage")
        #expect(TextNormalizer.forMatching("Aucun cre\u{0301}neau") == "aucun créneau")
        let page = Data("<p>AUCUN   CRÉNEAU\tDISPONIBLE à partir de cette date</p>".utf8)
        let a = PageAnalyzer(ruleSet: try! RuleSet.loadBuiltIn("rdv-prefecture")).analyze(page)
        #expect(a.outcome == .noSlot)
    }

    @Test func serverErrorsAreSiteErrorsWhateverThePage() throws {
        let a = PageAnalyzer(ruleSet: try RuleSet.loadBuiltIn("prefecture-legacy"))
            .analyze(Data("<html><body><h1>Oups</h1></body></html>".utf8), status: 503)
        #expect(a.outcome == .siteError)
        #expect(a.rule == "common/common-http-error")
    }

    @Test func aPlainTextNoteIsNotMistakenForAPage() throws {
        #expect(!SavedPage.looksLikeHTML(try Fixtures.data("not-html.txt")))
        #expect(SavedPage.binaryKind(try Fixtures.data("binary.png")) == "PNG")
    }

    @Test func hostileMarkupNeverCrashes() {
        let analyzer = PageAnalyzer(ruleSet: try! RuleSet.loadBuiltIn("generic"))
        let deep = String(repeating: "<div>", count: 50_000) + "Aucun créneau disponible"
        let cases: [Data] = [
            Data(deep.utf8), Data("<<<>>><p <p <p>&#xFFFFFFFF;&#0;</".utf8), Data(repeating: 0xFF, count: 10_000),
            Data("<html><body>".utf8) + Data(repeating: 0, count: 1000), Data(),
            Data(String(repeating: "<table><tr><td>", count: 5000).utf8),
        ]
        for page in cases {
            let a = analyzer.analyze(page)
            #expect(Outcome.allCases.contains(a.outcome))
        }
    }

    @Test func ruleFilesAreValidatedWhenLoaded() throws {
        let dir = TempDir()
        let bad = dir.write(
            "bad.json",
            #"{"id":"x","name":"x","url_patterns":[],"rules":[{"id":"r","outcome":"no_slot","xpath":"//li[@"}]}"#)
        #expect(throws: TemoinError.self) { try RuleSet.load(url: URL(fileURLWithPath: bad)) }
        let empty = dir.write(
            "e.json", #"{"id":"x","name":"x","url_patterns":[],"rules":[{"id":"r","outcome":"no_slot"}]}"#)
        #expect(throws: TemoinError.self) { try RuleSet.load(url: URL(fileURLWithPath: empty)) }
        for name in RuleSet.builtInNames + ["common"] {
            #expect(try RuleSet.loadBuiltIn(name).id == name)
        }
    }

    @Test func profilesAreDetectedFromTheURL() {
        #expect(RuleSet.detect(url: Self.rdv) == "rdv-prefecture")
        #expect(RuleSet.detect(url: "https://www.essonne.gouv.fr/booking/create/14056/1") == "prefecture-legacy")
        #expect(RuleSet.detect(url: "https://example.org/rdv") == "generic")
    }
}
