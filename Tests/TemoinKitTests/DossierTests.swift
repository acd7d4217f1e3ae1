import Foundation
import Testing

@testable import TemoinKit

/// The dossier, checked the way a clerk and a lawyer would: with poppler's own tools on the PDFs.
@Suite(.serialized) struct DossierTests {
    /// Attempts over six ISO weeks, at many hours, across the October 2026 change to winter time.
    static let imports: [(page: String, at: String)] = [
        ("legacy-aucune-plage.html", "2026-10-05 08:31"),
        ("rdv-creneau-aucun.html", "2026-10-05 14:02"),
        ("surcharge-502.html", "2026-10-07 19:45"),
        ("legacy-aucune-plage-latin1.html", "2026-10-13 09:10"),
        ("legacy-motifs-val-de-marne.html", "2026-10-21 07:55"),
        ("rdv-creneau-semaine.html", "2026-10-26 02:30"),
        ("legacy-aucune-plage.html", "2026-11-03 12:15"),
        ("rdv-creneau-aucun.html", "2026-11-03 23:59"),
        ("rdv-creneaux-disponibles.html", "2026-11-09 00:01"),
        ("legacy-aucune-plage.html", "2026-11-15 18:00"),
    ]

    /// A store made through the real binary, as an applicant would.
    static func makeCase() throws -> (TempDir, String) {
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        let f = Fixtures.sampleCase
        let initRun = try temoin(
            [
                "init", "--applicant", f.applicant, "--prefecture", f.prefecture, "--procedure", f.procedure,
                "--booking-url", f.bookingURL, "--facts", f.facts,
            ], store: store)
        try #require(initRun.status == 0, "\(initRun.stderr)")
        for (page, at) in imports {
            let r = try temoin(["import", Fixtures.page(page), "--observed-at", at], store: store)
            try #require(r.status == 0, "\(page): \(r.stderr)")
        }
        return (dir, store)
    }

    static func tool(_ name: String, _ args: [String]) throws -> String {
        let r = try run("/usr/bin/env", [name] + args)
        #expect(r.status == 0, "\(name) \(args): \(r.stderr)")
        return r.stdout
    }

    /// Text of a PDF in content order (cells stay whole), whitespace collapsed.
    static func text(_ pdf: String) throws -> String {
        try tool("pdftotext", ["-raw", "-enc", "UTF-8", pdf, "-"]).split(whereSeparator: \.isWhitespace).joined(
            separator: " ")
    }

    @Test func writesTheTelerecoursFilesWithMetadataFontsAndEveryAttempt() throws {
        let (dir, store) = try Self.makeCase()
        // A volunteer has verified and signed: the method section must list it.
        let key = dir.file("benevole.key")
        let attestation = dir.file("attestation.json")
        #expect(try temoin(["key", "new", "--out", key]).status == 0)
        let signed = try temoin(
            [
                "attest", store, "--key", key, "--name", "Marie Dupont", "--organisation", "La Cimade", "--out",
                attestation,
            ])
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(try temoin(["attestation", "add", attestation], store: store).status == 0)
        let out = dir.file("dossier")
        let r = try temoin(["dossier", "--out", out, "--requete", "--lang", "fr", "--json"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        let result = try JSONDecoder().decode(DossierResult.self, from: r.stdoutData)
        let names = result.files.map(\.name)
        #expect(names.contains(TelerecoursName.pj1) && names.contains(TelerecoursName.pj2))
        #expect(names.contains(TelerecoursName.inventory) && names.contains("dossier.html"))
        // Every PDF follows the filing rules; pièces carry their number.
        for f in result.files where f.name.hasSuffix(".pdf") {
            #expect(TelerecoursName.isValid(f.name), "\(f.name)")
            if let piece = f.piece { #expect(f.name.hasPrefix("PJ\(piece)")) }
            let sha = try Self.tool("sha256sum", [f.path]).prefix(64)
            #expect(String(sha) == f.sha256)
        }

        let pj1 = (out as NSString).appendingPathComponent(TelerecoursName.pj1)
        let info = try Self.tool("pdfinfo", [pj1])
        #expect(info.contains("Title:           Relevé horodaté des tentatives de prise de rendez-vous — Amina Diallo"))
        #expect(info.contains("Author:          Amina Diallo"))
        #expect(info.contains("Page size:       595.276 x 841.89 pts (A4)"))
        let pages = try #require(
            info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap {
                Int($0.split(separator: " ").last ?? "")
            })
        #expect(pages == result.files.first { $0.name == TelerecoursName.pj1 }?.pages)
        // Fonts: every one embedded.
        let fonts = try Self.tool("pdffonts", [pj1]).split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for line in fonts { #expect(line.contains(" yes yes "), "not embedded: \(line)") }
        // Bookmarks: one per section, nested, pointing at the right pages.
        let outline = try Self.tool("pdftohtml", ["-xml", "-stdout", "-i", "-q", pj1])
        for title in [
            "Synthèse", "Chiffres clés", "Répartition dans le temps", "Chronologie des tentatives", "Méthode",
        ] {
            #expect(outline.contains(">\(title)</item>"), "no bookmark for \(title)")
        }
        #expect(outline.contains("<item page=\"2\">Synthèse</item>\n<outline>\n<item page=\"2\">Chiffres clés</item>"))

        let text = try Self.text(pj1)
        // The chronology's title row is repeated on every page the table runs onto.
        let raw = try Self.tool("pdftotext", ["-raw", "-enc", "UTF-8", pj1, "-"])
        let chronologyPages = raw.components(separatedBy: "\u{0C}").filter {
            $0.contains("Importée") && !$0.contains("Comment chaque tentative")
        }
        #expect(chronologyPages.count >= 2)
        for page in chronologyPages { #expect(page.contains("Message affiché"), "title row missing on a page") }
        #expect(text.contains("Page \(pages) / \(pages)") || text.contains("page \(pages) / \(pages)"))
        // Accents intact; the case facts that bear on urgency are there.
        #expect(text.contains("Préfecture du Val-de-Marne"))
        #expect(text.contains("Récépissé expiré le 2026-10-01"))
        // Every attempt: its Paris time and its message, as recorded.
        let log = try temoin(["log", "--json"], store: store)
        let entries = try #require(try JSONSerialization.jsonObject(with: log.stdoutData) as? [[String: Any]])
        let attempts = entries.filter { $0["type"] as? String == "attempt" }
        #expect(attempts.count == Self.imports.count)
        for (a, imported) in zip(attempts, Self.imports) {
            let day = imported.at.prefix(10).split(separator: "-")
            let stamp = "\(day[2])/\(day[1])/\(day[0]) à \(imported.at.suffix(5)):00"
            #expect(text.contains(stamp), "missing time \(stamp)")
            if let message = a["message"] as? String {
                #expect(
                    text.contains(message.split(whereSeparator: \.isWhitespace).joined(separator: " ")),
                    "missing message \(message)")
            }
        }

        // The synthesis, recomputed here from the log with another method (DateFormatter patterns).
        let utc = ISO8601DateFormatter()
        utc.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func fmt(_ pattern: String) -> DateFormatter {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.calendar = Calendar(identifier: .iso8601)
            f.timeZone = TimeZone(identifier: "Europe/Paris")
            f.dateFormat = pattern
            return f
        }
        let times = try attempts.map { try #require(utc.date(from: $0["observed_at"] as! String)) }
        let days = Set(times.map { fmt("yyyy-MM-dd").string(from: $0) })
        let weeks = Set(times.map { fmt("YYYY-'W'ww").string(from: $0) })
        let hours = Set(times.map { fmt("HH").string(from: $0) })
        #expect(days.count == 8 && weeks.count == 6)
        #expect(
            text.contains(
                "\(attempts.count) tentatives, sur \(days.count) jours distincts et \(weeks.count) semaines distinctes")
        )
        #expect(text.contains("Heures de la journée couvertes \(hours.count) sur 24"))
        #expect(text.contains(weeks.sorted().joined(separator: ", ")))
        #expect(text.contains("Marie Dupont (La Cimade)"))
        #expect(text.contains("jusqu'à l'entrée n° 11 : chaîne intacte — signature : signature valide"))
        #expect(text.contains("Aucun jeton d'horodatage tiers"))
        // One slot was seen, at attempt n° 10 (seq 1 is the case).
        #expect(text.contains("1 tentative(s) ont affiché au moins un créneau : n° 10"))

        // PJ2: each distinct page once, with the attempts that received it.
        let pj2 = try Self.text((out as NSString).appendingPathComponent(TelerecoursName.pj2))
        #expect(pj2.contains("Reçue 3 fois"))
        #expect(pj2.contains("Il n'existe plus de plage horaire libre pour votre demande de rendez-vous."))
        // Inventory: numbered pièces with their exact file names and digests.
        let inventory = try Self.text((out as NSString).appendingPathComponent(TelerecoursName.inventory))
        #expect(inventory.contains("Pièce n° 1") && inventory.contains("Pièce n° 2"))
        // Long names and digests wrap inside their cell: compare without whitespace.
        let compactInventory = inventory.filter { !$0.isWhitespace }
        for f in result.files where f.piece != nil {
            #expect(compactInventory.contains(f.name) && compactInventory.contains(f.sha256))
        }
        // The HTML copy is self-contained: no external resource, charts inline.
        let html = try String(contentsOfFile: (out as NSString).appendingPathComponent("dossier.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Amina Diallo"))
        #expect(!html.contains("src=\"http") && !html.contains("<link") && !html.contains("<script"))
        // The draft says it is a draft.
        let draft = try String(
            contentsOfFile: (out as NSString).appendingPathComponent("Requete_Faits_et_procedure_PROJET.txt"),
            encoding: .utf8)
        #expect(draft.hasPrefix("PROJET — À RELIRE"))
        #expect(draft.contains("à \(attempts.count) reprises") && draft.contains("Pièce n° 2"))
        #expect(draft.contains("une seule a affiché un créneau"))
        // One page only: "1 page", not "1 pages".
        let human = try temoin(["dossier", "--out", dir.file("again"), "--lang", "en"], store: store)
        #expect(human.stdout.contains("Inventaire_detaille_des_pieces.pdf  (1 page, "))
    }

    @Test func englishDossierAndPeriodFilter() throws {
        let (dir, store) = try Self.makeCase()
        let out = dir.file("en")
        let r = try temoin(
            ["dossier", "--out", out, "--lang", "en", "--from", "2026-10-13", "--to", "2026-11-03"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Dossier written in"))
        // Piped (as here): no progress bar, nothing on standard error.
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        let text = try Self.text((out as NSString).appendingPathComponent(TelerecoursName.pj1))
        // 13 Oct to 3 Nov inclusive: five attempts (3 Nov 23:59 is in).
        #expect(text.contains("2026-11-03 at 23:59:00"))
        #expect(!text.contains("2026-10-05 at 08:31:00") && !text.contains("2026-11-09"))
        // An empty period is refused with the documented exit code.
        let empty = try temoin(["dossier", "--out", out, "--from", "2025-01-01", "--to", "2025-01-31"], store: store)
        #expect(empty.status == 64)
        #expect(empty.stderr.contains("No attempt was observed"))
        let reversed = try temoin(
            ["dossier", "--out", out, "--from", "2026-11-01", "--to", "2026-10-01"], store: store)
        #expect(reversed.status == 64)
        // An output folder that cannot be made (under a file): exit 7, the store untouched.
        let blocker = dir.write("not-a-folder", "x")
        let unwritable = try temoin(["dossier", "--out", blocker + "/dossier"], store: store)
        #expect(unwritable.status == 7)
        #expect(unwritable.stderr.contains("Cannot write"))
        #expect(try temoin(["verify"], store: store).status == 0)
    }

    @Test func frenchTypographyKeepsPunctuationWithItsWord() {
        let block = Block.paragraph("Période : du 05/10 ; « Aucun créneau » n° 3 ! Vraiment ?").withFrenchSpacing
        #expect(
            block
                == .paragraph(
                    "Période\u{202F}: du 05/10\u{202F}; «\u{00A0}Aucun créneau\u{00A0}» n°\u{00A0}3\u{202F}! Vraiment\u{202F}?"
                ))
        // The labelled-line separator is parsed before, and markup attributes have no space before a colon.
        #expect(
            Block.labelled(label: "Tête", value: "<tt>https://x</tt>").withFrenchSpacing
                == .labelled(label: "Tête", value: "<tt>https://x</tt>"))
    }

    @Test func fileNameRules() {
        #expect(TelerecoursName.isValid(TelerecoursName.pj1))
        #expect(TelerecoursName.isValid(TelerecoursName.pj2(part: 12)))
        #expect(TelerecoursName.pj1.count <= 80)
        #expect(!TelerecoursName.isValid("PJ1_Relevé.pdf"))
        #expect(!TelerecoursName.isValid("PJ1_releve.v2.pdf"))
        #expect(!TelerecoursName.isValid("PJ1_a%b.pdf"))
        #expect(!TelerecoursName.isValid("PJ1 releve.pdf"))
        #expect(!TelerecoursName.isValid("PJ1_" + String(repeating: "x", count: 73) + ".pdf"))
    }

    @Test func adaptedTemplatesAreUsedAndBadOnesNamed() throws {
        let (dir, store) = try Self.makeCase()
        let shipped = try #require(DossierTemplates.shippedFolder)
        let custom = dir.file("mes-modeles")
        try FileManager.default.copyItem(atPath: shipped, toPath: custom)
        let pj1 = (custom as NSString).appendingPathComponent("fr/PJ1.mustache")
        var text = try String(contentsOfFile: pj1, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "# Synthèse", with: "# Synthèse établie avec la permanence juridique de l'association")
        try text.write(toFile: pj1, atomically: true, encoding: .utf8)
        let out = dir.file("out")
        let ok = try temoin(["dossier", "--out", out, "--lang", "fr", "--templates", custom], store: store)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(
            try Self.text((out as NSString).appendingPathComponent(TelerecoursName.pj1)).contains(
                "Synthèse établie avec la permanence juridique de l'association"))

        // Unclosed markup: the message names the template and the line.
        try (text + "\nUn <b>mot gras non fermé\n").write(toFile: pj1, atomically: true, encoding: .utf8)
        let bad = try temoin(["dossier", "--out", out, "--lang", "fr", "--templates", custom], store: store)
        #expect(bad.status == 4)
        #expect(bad.stderr.contains("PJ1.mustache") && bad.stderr.contains("mot gras non fermé"))
        // A missing template likewise.
        try FileManager.default.removeItem(atPath: (custom as NSString).appendingPathComponent("en/labels.mustache"))
        let missing = try temoin(["dossier", "--out", out, "--lang", "en", "--templates", custom], store: store)
        #expect(missing.status == 4)
        #expect(missing.stderr.contains("labels.mustache"))
    }

    @Test func capturesAreSplitUnderTheSizeLimit() throws {
        let (_, storePath) = try Self.makeCase()
        let store = try Store.open(at: storePath, readOnly: true)
        let data = try DossierData.load(store: store, path: storePath, from: nil, to: nil)
        let out = TempDir()
        // First in one file, then with a limit three quarters of its size: it must be split.
        let whole = try DossierWriter(
            store: store, data: data, options: DossierOptions(outputFolder: TempDir().path, language: .fr)
        ).write()
        let pj2 = try #require(whole.files.first { $0.name == TelerecoursName.pj2 })
        let limit = pj2.bytes * 3 / 4
        let writer = try DossierWriter(
            store: store, data: data,
            options: DossierOptions(outputFolder: out.path, language: .fr, maxFileBytes: limit))
        let result = try writer.write()
        let parts = result.files.filter { $0.name.hasPrefix("PJ2-") }
        #expect(parts.count >= 2)
        #expect(!result.files.contains { $0.name == TelerecoursName.pj2 })
        var seen: [String] = []
        for (n, part) in parts.enumerated() {
            #expect(part.name == TelerecoursName.pj2(part: n + 1))
            #expect(part.bytes <= limit, "\(part.name): \(part.bytes) bytes")
            #expect(part.piece == 2)
            let text = try Self.text(part.path)
            #expect(text.contains("Partie \(n + 1) sur \(parts.count)"))
            let compact = text.filter { !$0.isWhitespace }
            for group in data.captureGroups where compact.contains(group.page.digest) {
                seen.append(group.page.digest)
            }
        }
        // Every distinct page in exactly one part.
        #expect(seen.sorted() == data.captureGroups.map(\.page.digest).sorted())
        let inventory = try Self.text((out.path as NSString).appendingPathComponent(TelerecoursName.inventory))
        for part in parts { #expect(inventory.filter { !$0.isWhitespace }.contains(part.name)) }
    }

    @Test func aTamperedStoreStillGivesADossierThatSaysSo() throws {
        let (dir, store) = try Self.makeCase()
        try tamper(
            store,
            "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'no_slot', 'site_error') AS BLOB) WHERE seq = 5"
        )
        let out = dir.file("out")
        let r = try temoin(["dossier", "--out", out, "--lang", "fr"], store: store)
        #expect(r.status == 1)
        #expect(r.stderr.contains("anomalies"))
        let text = try Self.text((out as NSString).appendingPathComponent(TelerecoursName.pj1))
        #expect(text.contains("anomalie(s) détectée(s), la première à l'entrée n° 5"))
    }

    @Test func theChartShowsEveryDayOfThePeriodIncludingDaysWithoutAttempts() {
        // Across the change to winter time (25 October 2026): each calendar day once.
        let days = CaseStatistics.everyDay(from: "2026-10-24", to: "2026-10-27")
        #expect(days == ["2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"])
        #expect(CaseStatistics.everyDay(from: "2026-12-31", to: "2027-01-01") == ["2026-12-31", "2027-01-01"])
        #expect(CaseStatistics.everyDay(from: nil, to: nil).isEmpty)
    }
}

extension DossierTests {
    @Test func witnessedScreenshotsAppearInTheCapturesAndTheHTML() throws {
        let (dir, storePath) = try Self.makeCase()
        let store = try Store.open(at: storePath)
        let png = try Fixtures.data("binary.png")
        let page = try Fixtures.data("rdv-creneau-aucun.html")
        let at = try #require(TimeFormat.parse("2026-11-16 10:42"))
        _ = try store.append(
            type: .attempt,
            captures: [
                PendingCapture(bytes: page, role: "page", mediaType: "text/html; charset=utf-8", name: "dom.html"),
                PendingCapture(
                    bytes: png, role: CaptureRef.screenshotRole, mediaType: "image/png", name: "screenshot.png"),
            ], now: at
        ) { body in
            body.provenance = .witnessed
            body.observedAt = TimeFormat.utc(at)
            body.timeBasis = .witnessed
            body.url = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/"
            body.outcome = .noSlot
            body.profile = "rdv-prefecture"
            body.message = "Aucun créneau disponible à partir de cette date. Veuillez réessayer ultérieurement."
        }
        let out = dir.file("out")
        let r = try temoin(["dossier", "--out", out, "--lang", "fr"], store: storePath)
        #expect(r.status == 0, "\(r.stderr)")
        let pj2 = (out as NSString).appendingPathComponent(TelerecoursName.pj2)
        // Exactly one image in PJ2: the screenshot.
        let images = try Self.tool("pdfimages", ["-list", pj2]).split(separator: "\n").dropFirst(2)
        #expect(images.count == 1)
        #expect(try Self.text(pj2).contains("Capture d'écran"))
        let html = try String(contentsOfFile: (out as NSString).appendingPathComponent("dossier.html"), encoding: .utf8)
        #expect(html.contains("data:image/png;base64," + png.base64EncodedString()))
    }
}
