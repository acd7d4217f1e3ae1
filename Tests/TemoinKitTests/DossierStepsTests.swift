import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// The applicant's steps in the dossier (issue 16, point 4): page 1 lists them with their dates and
/// pièce numbers; each proof file is a pièce of its own after the attempts (a PDF as it is, a photo on
/// A4, an e-mail as a readable page and its `.eml` beside the working files); the inventory, the
/// bordereau and the draft requête name them. Checked with poppler's tools on the files written by the
/// real binary.
@Suite(.serialized) struct DossierStepsTests {
    /// A store with attempts (library) and every kind of step (CLI), in its own folder.
    struct StepCase: Sendable {
        let dir: TempDir
        let store: String
    }

    static func attempts(_ dir: TempDir) throws -> String {
        let path = dir.file("temoin.sqlite")
        let start = try #require(TimeFormat.parse("2026-10-05 09:10"))
        let store = try Store.create(at: path, case: Fixtures.sampleCase, now: start.addingTimeInterval(-3600))
        let noSlot = try Fixtures.data("legacy-aucune-plage.html")
        for i in 0..<12 {
            try CaseBuilder.captured(store, at: start.addingTimeInterval(Double(i) * 2.3 * 86_400), page: noSlot)
        }
        return path
    }

    @discardableResult
    static func step(_ store: String, _ args: [String], env: [String: String] = [:]) throws -> RunResult {
        let r = try temoin(["step"] + args, store: store, environment: env)
        try #require(r.status == 0, "step \(args): \(r.stderr)")
        return r
    }

    /// Attempts 2–13; a registered letter (PDF and deposit receipt PNG, seq 14) and its avis de réception
    /// (JPEG, 15); an unsigned e-mail (16); a contact form photographed as WEBP (17); a visit with a HEIC
    /// photo (18); a phone call without a file (19); a step whose "HEIC" file does not decode (20).
    /// Pièces: 1 and 2 the attempts', then 3 to 9 the files in chain order.
    static func everyKind() throws -> StepCase {
        let dir = TempDir()
        let store = try attempts(dir)
        try step(
            store,
            [
                "add", "--kind", "registered-letter", "--date", "2026-11-03", "--to",
                "Monsieur le Préfet du Val-de-Marne", "--summary",
                "Demande de rendez-vous pour déposer ma demande de titre de séjour", "--tracking", "1A01234567890",
                "--file", StepFixtures.path("lettre-prefet.pdf"), "--receipt", StepFixtures.path("preuve-de-depot.png"),
            ])
        try step(
            store,
            [
                "followup", "14", "--kind", "receipt-returned", "--date", "2026-11-05", "--file",
                StepFixtures.path("avis-de-reception.jpg"),
            ])
        try step(
            store,
            [
                "add", "--kind", "email", "--to", "pref-etrangers@val-de-marne.test", "--summary",
                "Demande par courriel", "--file", StepFixtures.path("courriel-envoye.eml"), "--offline",
            ])
        try step(
            store,
            [
                "add", "--kind", "contact-form", "--date", "2026-10-25 21:14", "--summary",
                "Formulaire « Contactez-nous »", "--file", StepFixtures.path("photo-lettre.webp"),
            ])
        try step(
            store,
            [
                "add", "--kind", "visit", "--date", "2026-10-28 08:30", "--to", "le guichet de la préfecture, Créteil",
                "--summary", "Guichet fermé sans rendez-vous", "--file", StepFixtures.path("photo-lettre.heic"),
            ])
        try step(
            store,
            [
                "add", "--kind", "phone-call", "--date", "2026-10-29", "--to", "Standard de la préfecture",
                "--summary", "Personne n'a répondu",
            ])
        try step(
            store,
            [
                "add", "--kind", "other", "--date", "2026-10-30", "--summary", "Photo du panneau d'affichage",
                "--file", StepFixtures.path("photo-guichet.heic"),
            ])
        return StepCase(dir: dir, store: store)
    }

    /// Immutable once written; `result` is parsed JSON (plain values).
    struct Written: @unchecked Sendable {
        let folder: String
        let result: [String: Any]
        let stderr: String
        func file(_ piece: Int) throws -> String {
            let files = try #require(result["files"] as? [[String: Any]])
            let f = try #require(files.first { $0["piece"] as? Int == piece }, "no pièce \(piece)")
            return try #require(f["path"] as? String)
        }
        var working: String { folder + "/" + DossierWriter.workingFolderName }
    }

    static func dossier(_ c: StepCase, lang: String = "fr", extra: [String] = [], env: [String: String] = [:]) throws
        -> Written
    {
        let out = c.dir.file("dossier-\(lang)-\(UUID().uuidString.prefix(6))")
        let r = try temoin(
            ["dossier", "--out", out, "--requete", "--no-page-images", "--lang", lang, "--json"] + extra,
            store: c.store,
            environment: env)
        try #require(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any])
        return Written(folder: out, result: json, stderr: r.stderr)
    }

    static let everyKindCase: Result<StepCase, Error> = Result { try everyKind() }
    static let everyKindDossier: Result<Written, Error> = Result { try dossier(try everyKindCase.get()) }

    static func text(_ pdf: String, first: Int? = nil, last: Int? = nil) throws -> String {
        CaseBuilder.flat(try CaseBuilder.pdftotext(pdf, first: first, last: last))
    }

    /// `pdfimages -list`: one row per image (type, width, height, encoding).
    static func images(_ pdf: String) throws -> [(width: Int, height: Int, encoding: String)] {
        let r = try run("/usr/bin/env", ["pdfimages", "-list", pdf])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").dropFirst(2).compactMap { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count > 8, let w = Int(f[3]), let h = Int(f[4]) else { return nil }
            return (w, h, String(f[8]))
        }
    }

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path(name)))
    }

    @Test func pageOneListsTheStepsWithTheirDatesAndPieceNumbers() throws {
        let w = try Self.everyKindDossier.get()
        let page1 = try Self.text(try w.file(1), first: 1, last: 1)
        for expected in [
            "Autres démarches de la personne",
            "Lettre recommandée avec avis de réception du mardi 3 novembre 2026, à Monsieur le Préfet du Val-de-Marne, n° 1A01234567890, reçue le jeudi 5 novembre 2026 selon l'avis de réception : pièces n° 3 à 5.",
            "Courriel du lundi 9 novembre 2026 à 18:03, à pref-etrangers@val-de-marne.test ; aucune signature DKIM : pièce n° 6.",
            "Formulaire de contact du dimanche 25 octobre 2026 à 21:14 : pièce n° 7.",
            // Four steps on page 1, the others counted with where they are.
            "et 2 autres démarches (p.",
            "temoin n'a pas assisté à ces démarches : leurs dates sont déclarées par la personne ou tirées du champ Date des courriels, et seules les pièces citées en font la preuve",
            "autres démarches : p.", "et pièces n° 3 à 9.",
        ] {
            #expect(page1.contains(expected), "page 1 lacks: \(expected)\n\(page1)")
        }
        // Page 1 stays one page: the day-by-day record starts page 2.
        #expect(try Self.text(try w.file(1), first: 2, last: 2).contains("Relevé jour par jour"))
    }

    @Test func theStepsSectionDetailsEachStepAndWhatIsNotProved() throws {
        let w = try Self.everyKindDossier.get()
        let pj1 = try Self.text(try w.file(1))
        for expected in [
            "Autres démarches de la personne",
            "Lettre recommandée avec avis de réception du mardi 3 novembre 2026 (entrée n° 14)",
            "Date mardi 3 novembre 2026 (date déclarée par la personne)", "Numéro de suivi 1A01234567890",
            "Objet, selon la personne « Demande de rendez-vous pour déposer ma demande de titre de séjour »",
            "Avis de réception revenu le jeudi 5 novembre 2026 (date déclarée par la personne) (entrée n° 15) ; pièce n° 5",
            "Pièce n° 3 Lettre recommandée avec AR du 3 novembre 2026 à Monsieur le Préfet du Val-de-Marne (fichier « lettre-prefet.pdf », PDF,",
            "Pièce n° 4 Preuve de dépôt de la lettre recommandée du 3 novembre 2026 (n° 1A01234567890)",
            "Pièce n° 5 Avis de réception de la lettre recommandée du 3 novembre 2026",
            "(date du champ Date du courriel)", "Pièces aucun fichier n'a été remis pour cette démarche.",
            "Passage au guichet le 28 octobre 2026 au guichet de la préfecture, Créteil",
        ] {
            #expect(pj1.contains(expected), "PJ1 lacks: \(expected)")
        }
    }

    @Test func eachProofFileIsAPieceNamedForTelerecours() throws {
        let w = try Self.everyKindDossier.get()
        let files = try #require(w.result["files"] as? [[String: Any]])
        let pieces = files.filter { $0["piece"] != nil }.compactMap { $0["name"] as? String }
        #expect(pieces.count == 9, "\(pieces)")
        for name in pieces { #expect(TelerecoursName.isValid(name), "\(name)") }
        #expect(pieces.contains("PJ3_Lettre_recommandee_avec_AR_du_3_novembre_2026_a_Monsieur_le_Prefet.pdf"))
        #expect(pieces.contains("PJ6_Courriel_du_9_novembre_2026_d_Amina_Diallo.pdf"))
        // A PDF is filed as it is: the very bytes the store holds.
        #expect(try Data(contentsOf: URL(fileURLWithPath: try w.file(3))) == (try Self.fixture("lettre-prefet.pdf")))
        // The PNG drawn pixel for pixel, the JPEG embedded as it is: pdfimages gives back its bytes.
        let png = try Self.images(try w.file(4))
        #expect(png.count == 1 && png.first?.width == 240 && png.first?.height == 120)
        #expect(try Self.text(try w.file(4)).contains("l'image est reproduite pixel pour pixel, sans perte"))
        let jpeg = try Self.images(try w.file(5))
        #expect(jpeg.count == 1 && jpeg.first?.encoding == "jpeg" && jpeg.first?.width == 199)
        let extracted = w.folder + "/extracted"
        try #require(try run("/usr/bin/env", ["pdfimages", "-j", try w.file(5), extracted]).status == 0)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: extracted + "-000.jpg"))
                == (try Self.fixture("avis-de-reception.jpg")))
        let ar = try Self.text(try w.file(5))
        #expect(ar.contains("Pièce n° 5 — Amina Diallo c/ le préfet du Val-de-Marne"))
        #expect(ar.contains("Avis de réception de la lettre recommandée du 3 novembre 2026 Démarche"))
        #expect(ar.contains("le fichier JPEG est inclus tel quel dans cette page, sans nouvelle compression"))
        #expect(ar.contains("Avis de réception revenu le jeudi 5 novembre 2026, entrée n° 15"))
        #expect(
            CaseBuilder.flat(try CaseBuilder.info(try w.file(5), "Title") ?? "")
                == "Pièce n° 5 : Avis de réception de la lettre recommandée du 3 novembre 2026")
        // WEBP and HEIC photos: decoded, converted to JPEG for the PDF, and the page says so.
        for piece in [7, 8] {
            let images = try Self.images(try w.file(piece))
            #expect(images.count == 1 && images.first?.encoding == "jpeg" && images.first?.width == 248, "\(piece)")
            #expect(try Self.text(try w.file(piece)).contains("convertie en JPEG (qualité 92)"))
        }
    }

    @Test func aPhotoThatCannotBeDrawnIsSaidSoNeverABlankPage() throws {
        let w = try Self.everyKindDossier.get()
        // Pièce 9: a "HEIC" that is only a header. No image; the words say why; the original is kept.
        let pdf = try w.file(9)
        #expect(try Self.images(pdf).isEmpty)
        let text = try Self.text(pdf)
        #expect(
            text.contains(
                "Cette image n'a pas pu être reproduite dans cette pièce : le fichier ne se décode pas comme une photo HEIC"
            ))
        #expect(text.contains("Le fichier original est conservé tel quel, sans conversion, dans le registre"))
        let notShown = try #require(w.result["proofs_not_shown"] as? [[String: Any]])
        #expect(notShown.count == 1 && notShown.first?["piece"] as? Int == 9)
        let original = try #require(notShown.first?["original"] as? String)
        #expect(try Data(contentsOf: URL(fileURLWithPath: original)) == (try Self.fixture("photo-guichet.heic")))
        #expect(original.hasPrefix(w.working))
        // Without the loaders of phone formats, a WEBP is not drawn either, and the pièce says why.
        let c = try Self.everyKindCase.get()
        let noLoaders = try Self.dossier(c, env: ["GDK_PIXBUF_MODULE_FILE": c.dir.file("no-loaders.cache")])
        let webp = try Self.text(try noLoaders.file(7))
        #expect(webp.contains("aucun décodeur image WEBP n'est installé sur l'ordinateur qui a produit ce dossier"))
        #expect(try Self.images(try noLoaders.file(7)).isEmpty)
        let missing = try #require(noLoaders.result["proofs_not_shown"] as? [[String: Any]])
        #expect(missing.map { $0["piece"] as? Int } == [7, 8, 9])
        #expect((missing.first?["reason"] as? String)?.contains("aucun décodeur image WEBP") == true)
        // Without --json, the lawyer is told on the terminal.
        let plain = try temoin(
            [
                "dossier", "--out", c.dir.file("plain-\(UUID().uuidString.prefix(6))"), "--no-page-images", "--lang",
                "fr",
            ],
            store: c.store, environment: ["GDK_PIXBUF_MODULE_FILE": c.dir.file("no-loaders.cache")])
        #expect(plain.status == 0)
        #expect(
            plain.stderr.contains(
                "Pièce 7 : « photo-lettre.webp » n'a pas pu être dessiné : aucun décodeur image WEBP n'est installé"),
            "\(plain.stderr)")
    }

    @Test func anEmailBecomesAReadablePageAndItsEmlGoesWithTheWorkingFiles() throws {
        let w = try Self.everyKindDossier.get()
        let text = try Self.text(try w.file(6))
        for expected in [
            "Courriel du 9 novembre 2026 d'Amina Diallo", "De Amina Diallo <amina.diallo@example.org>",
            "Objet Demande de rendez-vous - admission exceptionnelle au sejour", "Message-ID <a1b2c3@example.org>",
            "Résultat aucune signature DKIM (constaté le",
            "Aucune signature DKIM : rien ne garantit l'expéditeur, la date ni le contenu, que n'importe qui peut écrire",
            "Texte du courriel",
        ] {
            #expect(text.contains(expected), "e-mail pièce lacks: \(expected)\n\(text)")
        }
        let eml = w.working + "/PJ6_Courriel_du_9_novembre_2026_d_Amina_Diallo.eml"
        #expect(try Data(contentsOf: URL(fileURLWithPath: eml)) == (try Self.fixture("courriel-envoye.eml")))
        // The body is the message's own text.
        let body = String(decoding: try Self.fixture("courriel-envoye.eml"), as: UTF8.self)
        let firstLine = try #require(
            body.components(separatedBy: "\n\n").dropFirst().first?.split(separator: "\n").first)
        #expect(text.contains(CaseBuilder.flat(String(firstLine))), "\(firstLine)")
    }

    @Test func theInventoryTheBordereauAndTheDraftNameEveryPiece() throws {
        let w = try Self.everyKindDossier.get()
        let inventory = try Self.text(w.folder + "/" + TelerecoursName.inventory)
        for expected in [
            "Pièce n° 3 : Lettre recommandée avec AR du 3 novembre 2026 à Monsieur le Préfet du Val-de-Marne",
            "produit tel quel : identique octet pour octet au fichier conservé dans le registre",
            "SHA-256 de l'original : " + Wording.grouped(sha256Hex(try Self.fixture("avis-de-reception.jpg"))),
            "SHA-256 du fichier .eml original : " + Wording.grouped(sha256Hex(try Self.fixture("courriel-envoye.eml"))),
            "Pièce n° 9 : Démarche du 30 octobre 2026 : Photo du panneau d'affichage",
        ] {
            #expect(inventory.contains(CaseBuilder.flat(expected)), "inventory lacks: \(expected)")
        }
        let bordereau = try String(
            contentsOfFile: w.working + "/" + DossierWriter.bordereauName, encoding: .utf8)
        let lines = bordereau.split(separator: "\n").map(String.init)
        #expect(lines.count == 9)
        #expect(lines[3].hasPrefix("Pièce n°\u{00A0}4 : Preuve de dépôt de la lettre recommandée du 3"))
        let draft = try CaseBuilder.draftMarkdown(w.working + "/" + DossierWriter.requeteName)
        let flat = CaseBuilder.flat(draft)
        #expect(flat.contains("Amina Diallo a par ailleurs entrepris les démarches suivantes"))
        // (pandoc's Markdown escapes apostrophes: the phrases are checked around them.)
        #expect(flat.contains("reçue le jeudi 5 novembre 2026 selon"))
        #expect(flat.contains("avis de réception (pièces n° 3 à 5)."))
        #expect(
            flat.contains("le jeudi 29 octobre 2026 : appel téléphonique à Standard de la préfecture, « Personne n"))
        #expect(!flat.contains("[À COMPLÉTER : lettre recommandée au préfet"))
        #expect(flat.contains("lettre recommandée déjà produite par temoin : pièces n° 3 à 5"))
    }

    @Test func withoutStepsTheDraftStillAsksForTheLetter() throws {
        let dir = TempDir()
        let c = StepCase(dir: dir, store: try Self.attempts(dir))
        let w = try Self.dossier(c)
        let page1 = try Self.text(try w.file(1), first: 1, last: 1)
        #expect(!page1.contains("Autres démarches"))
        let files = try #require(w.result["files"] as? [[String: Any]])
        #expect(files.compactMap { $0["piece"] as? Int }.sorted() == [1, 2])
        let draft = CaseBuilder.flat(try CaseBuilder.draftMarkdown(w.working + "/" + DossierWriter.requeteName))
        #expect(draft.contains("[À COMPLÉTER : lettre recommandée au préfet demandant un rendez-vous"))
        #expect(!draft.contains("a par ailleurs entrepris"))
    }

    @Test func aWithheldFileIsNotAPieceAndTheRecordSaysSo() throws {
        let dir = TempDir()
        let store = try Self.attempts(dir)
        try Self.step(
            store,
            [
                "add", "--kind", "registered-letter", "--date", "2026-11-03", "--to", "le préfet du Val-de-Marne",
                "--summary", "Demande de rendez-vous", "--file", StepFixtures.path("lettre-prefet.pdf"), "--receipt",
                StepFixtures.path("preuve-de-depot.png"),
            ])
        let digest = sha256Hex(try Self.fixture("preuve-de-depot.png"))
        let r = try temoin(["withhold", digest, "--reason", "adresse personnelle"], store: store)
        try #require(r.status == 0, "\(r.stdout)\(r.stderr)")
        let w = try Self.dossier(StepCase(dir: dir, store: store))
        let files = try #require(w.result["files"] as? [[String: Any]])
        #expect(files.compactMap { $0["piece"] as? Int }.sorted() == [1, 2, 3])
        let pj1 = try Self.text(try w.file(1))
        #expect(
            pj1.contains(
                "Fichier retiré « preuve-de-depot.png » (entrée n° 14) a été retiré du registre pour protéger la vie privée"
            ))
        // « au préfet », never « à le préfet ».
        #expect(
            pj1.contains(
                "Lettre recommandée avec avis de réception du mardi 3 novembre 2026, au préfet du Val-de-"))
        #expect(!pj1.contains("à le préfet"))
    }

    /// A photo taken sideways is drawn upright (EXIF orientation 6), its JPEG still embedded as it is.
    @Test func aSidewaysPhotoIsTurnedUpright() throws {
        let dir = TempDir()
        let store = try Self.attempts(dir)
        try Self.step(
            store,
            [
                "add", "--kind", "letter", "--date", "2026-11-02", "--summary", "Lettre", "--file",
                StepFixtures.path("avis-de-reception-couche.jpg"),
            ])
        let w = try Self.dossier(StepCase(dir: dir, store: store))
        let pdf = try w.file(3)
        let images = try Self.images(pdf)
        #expect(images.count == 1 && images.first?.encoding == "jpeg" && images.first?.width == 281)
        // Drawn taller than wide: the matrix cairo placed the stored (landscape) pixels with turns them
        // a quarter (a = d = 0) into a frame whose height is greater than its width.
        let m = try Self.imageMatrix(pdf)
        #expect(m.count == 6 && abs(m[0]) < 0.001 && abs(m[3]) < 0.001, "\(m)")
        #expect(m.count == 6 && abs(m[1]) > abs(m[2]), "\(m)")
    }

    /// The `cm` matrix in force when the PDF's image is drawn (`a b c d e f`), read from the page's
    /// content stream (inflated with Python's zlib).
    static func imageMatrix(_ pdf: String) throws -> [Double] {
        let script = #"""
            import re, sys, zlib
            data = open(sys.argv[1], "rb").read()
            for m in re.finditer(rb"stream\r?\n", data):
                end = data.find(b"endstream", m.end())
                try:
                    text = zlib.decompress(data[m.end():end]).decode("latin-1")
                except Exception:
                    continue
                if " Do" in text:
                    number = r"([-\d.]+) "
                    cms = re.findall(number * 6 + "cm", text.split(" Do")[0])
                    print(" ".join(cms[-1]))
                    break
            """#
        let r = try run("/usr/bin/env", ["python3", "-c", script, pdf])
        return r.stdout.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    @Test(.enabled(if: DKIMTool.available, DKIMTool.missing))
    func aSignedEmailSaysWhatItsSignatureProvesAndATamperedOneIsFlagged() throws {
        let dir = TempDir()
        let store = try Self.attempts(dir)
        let (key, record) = try DKIMTool.keygen("rsa", in: dir, name: "pref")
        let signed = dir.file("accuse-reception-signe.eml")
        try DKIMTool.sign(
            StepFixtures.path("accuse-reception.eml"), to: signed, key: key, algorithm: "rsa-sha256", selector: "s2026")
        var tampered = try Data(contentsOf: URL(fileURLWithPath: signed))
        let marker = Data("meilleurs".utf8)
        let at = try #require(tampered.ranges(of: marker).last?.lowerBound)
        tampered[at] = UInt8(ascii: "M")
        let tamperedPath = dir.write("accuse-modifie.eml", tampered)
        let dns = try LocalDNS(["s2026._domainkey.val-de-marne.test": record], dir: dir)
        let env = ["TEMOIN_DNS_SERVER": dns.address]
        try Self.step(
            store, ["add", "--kind", "email", "--summary", "Accusé de réception", "--file", signed], env: env)
        try Self.step(
            store, ["add", "--kind", "email", "--summary", "Le même, modifié", "--file", tamperedPath], env: env)
        let w = try Self.dossier(StepCase(dir: dir, store: store))
        let page1 = try Self.text(try w.file(1), first: 1, last: 1)
        // (pango may break the domain's line after a hyphen: the break is joined back before comparing.)
        #expect(
            page1.replacingOccurrences(of: "- ", with: "-").contains(
                "signature DKIM valide, apposée pour val-de-marne.test : pièce n° 3."), "\(page1)")
        #expect(page1.contains("signature DKIM NON VALIDE (elle ne correspond pas au message) : pièce n° 4."))
        // The doubt is on page 1, in the dossier's words (no command to type).
        #expect(page1.contains("Démarches : Entrée n° 15 : la signature DKIM du courriel n'est pas valide"))
        #expect(!page1.contains("temoin step check"))
        // Both steps are listed with their pièces: « Où en trouver la preuve » does not repeat them, and
        // page 1 stays one page.
        #expect(!page1.contains("autres démarches : p."))
        #expect(try Self.text(try w.file(1), first: 2, last: 2).contains("Relevé jour par jour"))
        let good = try Self.text(try w.file(3))
        for expected in [
            "Résultat signature DKIM valide, apposée pour val-de-marne.test (constaté le",
            "d=val-de-marne.test s=s2026 rsa-sha256 relaxed/relaxed valide",
            "Ce que prouve la signature : un détenteur de la clé que publie val-de-marne.test (son serveur de messagerie, ou un service qui envoie en son nom) a signé ce message",
            "La Date « Tue, 10 Nov 2026 09:12:44 +0100 » est couverte par cette signature",
            "pas un horodatage : elle ne prouve pas que le message a été envoyé, reçu ou lu ce jour-là",
            "Les domaines changent de clé",
            "Date Tue, 10 Nov 2026 09:12:44 +0100 (mardi 10 novembre 2026 à 09:12, heure de Paris)",
        ] {
            #expect(good.contains(expected), "signed e-mail pièce lacks: \(expected)\n\(good)")
        }
        let bad = try Self.text(try w.file(4))
        #expect(bad.contains("Résultat signature DKIM NON VALIDE (elle ne correspond pas au message) (constaté le"))
        #expect(bad.contains("le corps du message a été modifié après la signature"))
        #expect(!bad.contains("Ce que prouve la signature"))
    }

    @Test func theEnglishReviewCopyHasEveryLabel() throws {
        let c = try Self.everyKindCase.get()
        let w = try Self.dossier(c, lang: "en")
        var all = ""
        let files = try #require(w.result["files"] as? [[String: Any]])
        for f in files where (f["name"] as? String)?.hasSuffix(".pdf") == true {
            if let path = f["path"] as? String, path != (try w.file(3)) { all += try Self.text(path) + "\n" }
        }
        #expect(
            all.contains(
                "Registered letter with avis de réception of Tuesday 3 November 2026, to Monsieur le Préfet du Val-de-Marne"
            ))
        #expect(all.contains("Exhibit no. 5: Avis de réception of the registered letter of 3 November 2026"))
        #expect(all.contains("No DKIM signature: nothing vouches for the sender"))
        // No label key left unfilled (a missing label prints as its key).
        for key in [
            "proof.", "step.kind", "followup.kind", "dkim.", "media.", "embedding.", "undrawn.", "role.", "doubt.step",
        ] {
            #expect(!all.contains(key), "a label key shows: \(key)")
        }
    }

    @Test func theBundleCarriesTheEmailsByteForByteButNotWhenRedacted() throws {
        let c = try Self.everyKindCase.get()
        let zip = c.dir.file("paquet-\(UUID().uuidString.prefix(6)).zip")
        let r = try temoin(["export", "--out", zip], store: c.store)
        try #require(r.status == 0, "\(r.stderr)")
        let members = try CaseBuilder.zipMembers(zip).compactMap { $0.split(separator: " ").first.map(String.init) }
        let eml = try #require(members.first { $0.hasPrefix("emails/") }, "\(members)")
        #expect(eml == "emails/entry-16-courriel-envoye.eml")
        let out = c.dir.file("unzip-\(UUID().uuidString.prefix(6))")
        let unzip = "import sys,zipfile\nzipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])"
        try #require(try run("/usr/bin/env", ["python3", "-c", unzip, zip, out]).status == 0)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: out + "/" + eml)) == (try Self.fixture("courriel-envoye.eml")))
        let verify = try temoin(["verify", zip])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let redacted = c.dir.file("paquet-redact-\(UUID().uuidString.prefix(6)).zip")
        try #require(try temoin(["export", "--out", redacted, "--redact"], store: c.store).status == 0)
        #expect(!(try CaseBuilder.zipMembers(redacted)).contains { $0.hasPrefix("emails/") })
    }
}
