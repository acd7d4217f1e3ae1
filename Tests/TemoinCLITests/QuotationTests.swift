import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// Nothing temoin writes between quotation marks is its own text: every « … » or “…” that comes from an
/// entry is the page's words; temoin's descriptions (a slot list, a CAPTCHA form, a network failure)
/// are printed apart, never quoted. Checked on import, log, show, status and the dossier.
@Suite(.serialized) struct QuotationTests {
    static let pages = [
        "rdv-creneaux-disponibles.html", "rdv-cgu-captcha.html", "legacy-service-surcharge.html",
        "rdv-creneau-aucun.html", "legacy-plages-completes.html", "mention-forum.html",
    ]

    /// Every quoted segment of a text: « … », “ … ” (each pair, nested pairs apart).
    static func quoted(_ text: String) -> [String] {
        var out: [String] = []
        for (open, close) in [("«", "»"), ("“", "”")] {
            var rest = Substring(text)
            while let a = rest.range(of: open), let b = rest[a.upperBound...].range(of: close) {
                out.append(String(rest[a.upperBound..<b.lowerBound]))
                rest = rest[b.upperBound...]
            }
        }
        return out.map { TextNormalizer.collapseWhitespace($0.replacingOccurrences(of: "\u{00A0}", with: " ")) }
            .filter { !$0.isEmpty }
    }

    /// Quoted segments written in temoin's templates and message catalogue themselves (case law, the
    /// names of columns): they are not made from an entry.
    static let fixedQuotes: Set<String> = {
        var texts: [String] = []
        let root = repositoryRoot.appendingPathComponent("Sources/TemoinKit/Resources")
        for sub in ["Templates/fr", "Templates/en", "messages"] {
            let folder = root.appendingPathComponent(sub)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                if let t = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) {
                    texts.append(t)
                }
            }
        }
        return Set(texts.flatMap(quoted))
    }()

    @Test func onlyThePagesWordsAreEverQuoted() throws {
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        #expect(try temoin(Fixtures.initArguments, store: store).status == 0)
        var visible: [String] = []
        var outputs: [String: String] = [:]
        for (i, page) in Self.pages.enumerated() {
            var args = ["import", Fixtures.page(page), "--observed-at", "2026-11-\(10 + i)T09:1\(i)"]
            if page == "mention-forum.html" { args += ["--url", "https://forum.vivre-en-france.example/t/4512"] }
            let r = try temoin(args, store: store)
            #expect(r.status == 0, "\(page): \(r.stderr)")
            outputs["import \(page)"] = r.stdout + r.stderr
            let data = try Fixtures.data(page)
            let analysis = PageAnalyzer(ruleSet: try RuleSet.loadBuiltIn("generic")).analyze(data)
            visible.append(TextNormalizer.collapseWhitespace(analysis.visibleText))
            // The dossier names the pages' common title, quoted: the page's words too.
            if let title = analysis.title { visible.append(title) }
        }
        outputs["log"] = try temoin(["log"], store: store).stdout
        for seq in 2...(Self.pages.count + 1) {
            outputs["show \(seq)"] = try temoin(["show", "\(seq)"], store: store).stdout
        }
        outputs["status"] = try temoin(["status"], store: store).stdout
        let out = dir.file("dossier")
        let dossier = try temoin(["dossier", "--out", out], store: store)
        #expect(dossier.status == 0 || dossier.status == 1, "\(dossier.stderr)")
        // The HTML escapes the page's apostrophes and ampersands: compare the text a reader sees.
        let html = try #require(
            FileManager.default.enumerator(atPath: out)?.compactMap { $0 as? String }
                .first { $0.hasSuffix("dossier.html") })
        outputs["dossier.html"] = try String(contentsOfFile: out + "/" + html, encoding: .utf8)
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        // The record (PJ1) and the pages received (PJ2) quote the pages.
        for name in try FileManager.default.contentsOfDirectory(atPath: out)
        where name.hasPrefix("PJ1_") || name.hasPrefix("PJ2_") {
            outputs[name] = try CaseBuilder.pdftotext(out + "/" + name)
        }
        let everything = visible.joined(separator: "\n")
        var found = 0
        for (source, text) in outputs {
            for segment in Self.quoted(text) where !Self.fixedQuotes.contains(segment) {
                found += 1
                // PDF lines may break inside a quotation: compare with runs of spaces collapsed.
                let words = segment.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                let norm = TextNormalizer.forMatching(words)
                let inPage =
                    everything.contains(words)
                    || visible.contains { TextNormalizer.contains(TextNormalizer.forMatching($0), norm) }
                #expect(inPage, "\(source) quotes « \(segment) », which no page shows")
            }
        }
        #expect(found > 5, "the outputs quote the pages' words")
        // temoin's own descriptions are printed, unquoted.
        #expect(outputs["import rdv-creneaux-disponibles.html"]?.contains("radio-card") == true)
        #expect(outputs["show 3"]?.contains("Page de vérification (CAPTCHA)") == true)
        #expect(outputs["dossier.html"]?.contains("<i>Page de vérification (CAPTCHA)") == true)
    }
}
