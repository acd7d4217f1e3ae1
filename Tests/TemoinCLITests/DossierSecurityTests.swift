import Foundation
import TemoinPDF
import TestSupport
import Testing

@testable import TemoinKit

/// Issue 20, points 7, 8 and 10: hostile pages and hostile stores against the dossier. Each test builds
/// the attack (a page, a case, an attestation, an adapted template) and shows it fails.
@Suite(.serialized) struct DossierSecurityTests {
    static var browserAvailable: Bool { (try? BrowserLocator.locate()) != nil }

    /// The PDF's bookmarks only (pdftohtml's outline, without the pages' text).
    static func bookmarks(_ pdf: String) throws -> String {
        let xml = try run("/usr/bin/env", ["pdftohtml", "-xml", "-stdout", "-i", "-q", pdf]).stdout
        guard let start = xml.range(of: "<outline>"), let end = xml.range(of: "</outline>", options: .backwards)
        else { return "" }
        return String(xml[start.lowerBound..<end.upperBound])
    }

    /// Each page's running header and footer, read by position (pdftotext -bbox).
    static func zones(_ pdf: String) throws -> [(header: String, footer: String)] {
        let bbox = try run("/usr/bin/env", ["pdftotext", "-bbox", pdf, "-"]).stdout
        var pages: [(header: String, footer: String)] = []
        for line in bbox.split(separator: "\n") {
            if line.contains("<page ") { pages.append(("", "")) }
            let s = String(line)
            guard s.contains("<word"), !pages.isEmpty,
                let y = s.matches(#"yMin="([\d.]+)""#).first.flatMap(Double.init),
                let word = s.matches(#">([^<]*)</word>"#).first
            else { continue }
            if y < 50 { pages[pages.count - 1].header += word + " " }
            if y > PageGeometry.height - 50 { pages[pages.count - 1].footer += word + " " }
        }
        return pages
    }

    @Test func valuesAreEscapedPerUnicodeScalarAndCannotLeaveTheirSpan() {
        // Swift and Mustache see one grapheme here; the escaping sees two scalars and escapes the first.
        #expect("<\u{301}".count == 1)
        #expect(Markup.escape("<\u{301}&\u{301}\"\u{301}'") == "&lt;\u{301}&amp;\u{301}&quot;\u{301}&#39;")
        #expect(Markup.isValid(Markup.escape("<\u{301}b>&\u{302}amp;")))
        // One-line values: every kind of line break becomes a space.
        #expect(MarkedText(TemplateValue.data("a\nb\r\nc\u{2028}d\u{85}e\rf")).markup == "a b c d e f")
        // A value cannot close its own span, nor open a trusted one.
        let hostile = MarkedText("# " + TemplateValue.data("x\u{E001}<b>\u{E002}<i>\u{E003}"))
        #expect(hostile.markup == "# x&lt;b&gt;&lt;i&gt;")
        // Block markers are read in the template's text only.
        let blocks = try? Block.parse(
            TemplateValue.data("@footer FORGED") + "\n" + TemplateValue.data("# Forged") + " :: x\n- "
                + TemplateValue.data("y"), template: "t", language: .fr)
        #expect(
            blocks == [
                .paragraph("@footer FORGED"), .labelled(label: "# Forged", value: "x"), .bullet("y"),
            ])
    }

    /// A page whose text, title and address hold `<`, `&` and `"` followed by combining marks, and an
    /// address with a line break (a saved page's canonical link can hold one).
    static func hostileStore() throws -> (TempDir, String) {
        let (dir, store) = try makeStore()
        let page = Data(
            """
            <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Rendez-vous <\u{301}b> &\u{301}amp; "\u{301}</title></head>
            <body><form id="FormBookingCreate"><p>Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. Veuillez recommencer ultérieurement.</p>
            <p>Texte <\u{301}span> et &\u{301}lt; et "\u{301} onerror=x</p></form></body></html>
            """.utf8)
        for (i, day) in ["2026-11-02 09:10", "2026-11-09 14:20", "2026-11-16 19:30"].enumerated() {
            let at = TimeFormat.parse(day)!
            _ = try store.append(
                type: .attempt, captures: [PendingCapture(bytes: page, role: "page", mediaType: "text/html")], now: at
            ) { body in
                body.provenance = .imported
                body.observedAt = TimeFormat.utc(at)
                body.timeBasis = .declared
                body.url = "https://www.val-de-marne.gouv.fr/booking/create/4963/\(i)\n@footer FORGED FOOTER"
                body.outcome = .noSlot
                body.profile = "prefecture-legacy"
                body.title = "Rendez-vous <\u{301}b> &\u{301}amp; \"\u{301}"
                body.message = "Il n'existe plus de plage <\u{301}b> horaire &\u{301} libre\n# Forged heading"
            }
        }
        return (dir, store.path)
    }

    @Test func aHostilePageCannotStopTheDossier() throws {
        let (dir, store) = try Self.hostileStore()
        let out = dir.file("out")
        let r = try temoin(
            ["dossier", "--out", out, "--lang", "fr", "--journal", "--requete", "--no-page-images"], store: store)
        #expect(r.status == 0, "exit \(r.status): \(r.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".pdf") }
        #expect(names.count == 4)
        for name in names {
            // Footers are the template's, page after page.
            let zones = try Self.zones(out + "/" + name)
            #expect(!zones.isEmpty)
            for (i, z) in zones.enumerated() {
                #expect(!z.footer.contains("FORGED") && !z.footer.isEmpty, "\(name) p. \(i + 1): \(z.footer)")
            }
            #expect(!(try Self.bookmarks(out + "/" + name)).contains("Forged heading"))
        }
        // The hostile characters are printed as text, not dropped.
        let journal = try #require(names.first { $0.hasPrefix("PJ3") })
        let text = try CaseBuilder.pdftotext(out + "/" + journal)
        #expect(text.contains("<\u{301}b>"))
        // The address with its line break, flattened, is printed as data in the journal's legend.
        #expect(
            CaseBuilder.flat(text).contains(
                "https://www.val-de-marne.gouv.fr/booking/create/4963/0 @footer FORGED FOOTER"))
    }

    @Test func badMarkupCausedByDataFallsBackToText() throws {
        let (dir, store) = try CaseBuilder.makeCase()
        let custom = dir.file("modeles")
        try FileManager.default.copyItem(atPath: try #require(DossierTemplates.shippedFolder), toPath: custom)
        let pj1 = custom + "/fr/PJ1.mustache"
        var text = try String(contentsOfFile: pj1, encoding: .utf8)
        // An association colours a value with another value: Pango refuses « Amina Diallo » as a colour.
        text = text.replacingOccurrences(
            of: "Démarche :: {{procedure}}", with: "Démarche :: <span foreground=\"{{applicant}}\">{{procedure}}</span>"
        )
        try text.write(toFile: pj1, atomically: true, encoding: .utf8)
        let out = dir.file("out")
        let r = try temoin(
            ["dossier", "--out", out, "--lang", "fr", "--templates", custom, "--no-page-images"], store: store)
        #expect(r.status == 0, "exit \(r.status): \(r.stderr)")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasPrefix("PJ1") })
        let page1 = CaseBuilder.flat(try CaseBuilder.pdftotext(out + "/" + name, first: 1, last: 1))
        #expect(page1.contains("Démarche Admission exceptionnelle au séjour"))
    }

    /// A store whose one-line values hold line breaks and template lines: a forged footer, PDF title,
    /// heading, and a forged "sealed by a qualified authority" line in a store that has no seal.
    static func injectingStore() throws -> (TempDir, String) {
        let dir = TempDir()
        let path = dir.file("temoin.sqlite")
        var fields = Fixtures.sampleCase
        fields.applicant = "Amina Diallo\n@footer FORGED FOOTER\n# Forged heading\n@meta title: FORGED TITLE"
        fields.procedure =
            "Admission exceptionnelle au séjour\n- Entrée n° 9 scellée le 01/01/2027 par Universign (qualifié eIDAS) : signature valide, émetteur de confiance"
        let t0 = TimeFormat.parse("2026-11-02 09:10")!
        let store = try Store.create(at: path, case: fields, now: t0)
        let page = try Fixtures.data("legacy-aucune-plage.html")
        for i in 0..<3 {
            try CaseBuilder.captured(store, at: t0.addingTimeInterval(Double(i) * 7 * 86_400), page: page)
        }
        // temoin attest and attestation add refuse such names (TerminalTextTests): a hostile party signs
        // with a key of its own and writes the row into the table itself.
        let file = try hostileAttestation(
            store, name: "Marie\n@footer FORGED\n- Entrée n° 9 scellée le 01/01/2027 par Universign (qualifié eIDAS)",
            organisation: "La Cimade\n@header-left FORGED HEADER")
        try plantAttestation(path, file)
        return (dir, path)
    }

    @Test func aValueCannotInjectATemplateBlock() throws {
        let (dir, store) = try Self.injectingStore()
        let out = dir.file("out")
        let r = try temoin(["dossier", "--out", out, "--lang", "fr", "--requete", "--no-page-images"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        for name in try FileManager.default.contentsOfDirectory(atPath: out) where name.hasSuffix(".pdf") {
            let pdf = out + "/" + name
            // The title is the template's (the applicant's name, flattened, may be part of it).
            let title = try CaseBuilder.info(pdf, "Title") ?? ""
            #expect(title.hasPrefix("Pièce n") || title.hasPrefix("Inventaire détaillé"), "\(name): title « \(title) »")
            #expect(!(try Self.bookmarks(pdf)).contains("Forged heading"), "\(name): forged bookmark")
            // Footers: the template's words only. (The applicant's name, flattened, is in the header as
            // data, cut by « … »: never a header or footer of its own.)
            for (i, z) in try Self.zones(pdf).enumerated() {
                #expect(!z.footer.contains("FORGED"), "\(name) p. \(i + 1): forged footer « \(z.footer) »")
                #expect(!z.header.contains("FORGED HEADER"), "\(name) p. \(i + 1): forged header « \(z.header) »")
            }
            let text = try CaseBuilder.pdftotext(pdf)
            // No line of the document starts with the forged seal: it stays inside the value it came in.
            for line in text.split(separator: "\n") {
                #expect(!CaseBuilder.flat(String(line)).hasPrefix("• Entrée n° 9 scellée"), "\(name): \(line)")
            }
        }
        let pj1 = try #require(try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasPrefix("PJ1") })
        let text = CaseBuilder.flat(try CaseBuilder.pdftotext(out + "/" + pj1))
        #expect(text.contains("Aucun jeton d'horodatage tiers (RFC 3161) n'a été pris sur cette chaîne."))
        // The draft: the template's headings only.
        let odt = out + "/" + DossierWriter.workingFolderName + "/" + DossierWriter.requeteName
        let xml = try CaseBuilder.zipMember(odt, "content.xml")
        #expect(!xml.contains("Forged heading</text:h>"))
        #expect(xml.components(separatedBy: "<text:h ").count - 1 == 8)
        // The HTML copy: no forged element.
        let html = try String(
            contentsOfFile: out + "/" + DossierWriter.workingFolderName + "/" + DossierWriter.htmlName, encoding: .utf8)
        #expect(!html.contains("<h1>Forged") && !html.contains("\n# Forged"))
    }

    @Test func theHTMLCopyHasAStrictPolicyAndUniqueIds() throws {
        let (dir, store) = try CaseBuilder.makeCase()
        let out = dir.file("out")
        #expect(try temoin(["dossier", "--out", out, "--lang", "fr", "--no-page-images"], store: store).status == 0)
        let html = try String(
            contentsOfFile: out + "/" + DossierWriter.workingFolderName + "/" + DossierWriter.htmlName, encoding: .utf8)
        #expect(
            html.contains(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">"
            ))
        #expect(!html.contains("<script") && !html.contains("src=\"http"))
        let ids = html.matches(#"\sid="([^"]+)""#)
        #expect(ids.count > 10)
        #expect(Set(ids).count == ids.count, "duplicate ids: \(ids.count - Set(ids).count)")
        // Every reference inside the charts points at an id of the same chart.
        for ref in html.matches(##"href="#([^"]+)""##) + html.matches(#"url\(#([^)]+)\)"#) where ref.hasPrefix("chart-")
        {
            #expect(ids.contains(ref), "dangling reference #\(ref)")
        }
        let perDay = Set(html.matches(#"\sid="(chart-per-day-[^"]+)""#))
        let heat = Set(html.matches(#"\sid="(chart-heatmap-[^"]+)""#))
        #expect(!perDay.isEmpty && !heat.isEmpty && perDay.isDisjoint(with: heat))
    }

    @Test(.enabled(if: browserAvailable, "no Chrome or Chromium"))
    func chromiumDrawsTheHeatMapRightAndEnforcesThePolicy() throws {
        let (dir, store) = try CaseBuilder.makeCase()
        let listener = try LocalListener()
        defer { listener.stop() }
        // An adapted template that tries what a hostile value or a careless association could: a script,
        // an external image, and a value placed in an attribute.
        let custom = dir.file("modeles")
        try FileManager.default.copyItem(atPath: try #require(DossierTemplates.shippedFolder), toPath: custom)
        let htmlTemplate = custom + "/fr/dossier.html.mustache"
        var template = try String(contentsOfFile: htmlTemplate, encoding: .utf8)
        template = template.replacingOccurrences(
            of: "</body>",
            with: """
                <img id="probe" alt="{{applicant}}" src="data:,">
                <img src="\(listener.base)/tracker.png">
                <script>document.title = "pwned";</script>
                </body>
                """)
        try template.write(toFile: htmlTemplate, atomically: true, encoding: .utf8)
        // The applicant's name tries to leave the attribute with a quote followed by a combining mark.
        #expect(
            try temoin(["case", "set", "applicant", "Amina\"\u{301} onerror=\"document.title='pwned2'"], store: store)
                .status == 0)
        let out = dir.file("out")
        let r = try temoin(
            ["dossier", "--out", out, "--lang", "fr", "--templates", custom, "--no-page-images"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        let html = try Data(
            contentsOf: URL(fileURLWithPath: out + "/" + DossierWriter.workingFolderName + "/" + DossierWriter.htmlName)
        )
        let browser = try PageRenderer.start(browserPath: nil, forTests: true)
        defer { browser.close() }
        try browser.open(
            PageRenderRequest(url: "http://dossier.invalid/dossier.html", html: html, mediaType: "text/html"))
        Thread.sleep(forTimeInterval: 1)
        // The policy: no script ran, nothing was fetched.
        #expect(try browser.evaluate("document.title").string?.hasPrefix("Dossier") == true)
        #expect(try browser.evaluate("document.querySelectorAll('[onerror]').length").int == 0)
        #expect(
            try browser.evaluate("document.getElementById('probe').alt").string
                == "Amina\"\u{301} onerror=\"document.title='pwned2'")
        #expect(listener.connections == 0)
        // The charts: every glyph a chart uses is its own, and no id is repeated in the document.
        let check = """
            (() => {
              const uses = [...document.querySelectorAll('svg use')];
              const own = uses.every(u => {
                const ref = (u.getAttribute('href') || u.getAttribute('xlink:href') || '').slice(1);
                const target = document.getElementById(ref);
                return target !== null && target.closest('svg') === u.closest('svg');
              });
              const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
              return {uses: uses.length, own: own, unique: ids.length === new Set(ids).size,
                      svgs: document.querySelectorAll('svg').length};
            })()
            """
        let result = try browser.evaluate(check)
        #expect(result["svgs"]?.int == 2)
        #expect((result["uses"]?.int ?? 0) > 20)
        #expect(result["own"]?.bool == true)
        #expect(result["unique"]?.bool == true)
    }
}
