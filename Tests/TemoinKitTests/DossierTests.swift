import Foundation
import TemoinPDF
import TestSupport
import Testing

@testable import TemoinKit

/// The dossier, checked the way a clerk, a judge and a lawyer would: with poppler's own tools on the
/// PDFs (pdftotext, pdfinfo, pdffonts, pdfimages) and a real converter on the draft.
@Suite(.serialized) struct DossierTests {
    /// The 300-attempt case of the review (three months), written once for the suite: the French
    /// dossier with the journal and the draft, three days after the last attempt. Pages are shown as
    /// text here (PageRendererTests draws them with the browser).
    struct ThreeMonths {
        let dir: TempDir
        let storePath: String
        let data: DossierData
        let result: DossierResult
        func file(_ piece: Int) -> DossierFile { result.files.first { $0.piece == piece && $0.part == nil }! }
        var pj1: String { file(1).path }
        var pj2: String { file(2).path }
        var journal: String { file(3).path }
    }

    static let threeMonths: Result<ThreeMonths, Error> = Result {
        let dir = TempDir()
        let (path, store, last) = try CaseBuilder.threeMonths(dir)
        let now = last.addingTimeInterval(3 * 86_400)
        let data = try DossierData.load(store: store, path: path, from: nil, to: nil, now: now)
        let result = try DossierWriter(
            store: store, data: data,
            options: DossierOptions(
                outputFolder: dir.file("dossier"), language: .fr, requete: true, journal: true, pageImages: .off)
        ).write()
        // To look at the output by eye: TEMOIN_KEEP_DOSSIER=/some/folder swift test --filter DossierTests
        if let keep = ProcessInfo.processInfo.environment["TEMOIN_KEEP_DOSSIER"] {
            try? FileManager.default.removeItem(atPath: keep)
            try? FileManager.default.copyItem(atPath: dir.file("dossier"), toPath: keep)
            try? FileManager.default.copyItem(atPath: path, toPath: keep + "/temoin.sqlite")
        }
        return ThreeMonths(dir: dir, storePath: path, data: data, result: result)
    }

    @Test func pageOneIsTheJudgesAnswerSheet() throws {
        let c = try Self.threeMonths.get()
        let page1 = CaseBuilder.flat(try CaseBuilder.pdftotext(c.pj1, first: 1, last: 1))
        // Who, against whom, which démarche and counter, at which address.
        for expected in [
            "Amina Diallo c/ le préfet du Val-de-Marne",
            "Demandeur Amina Diallo", "Autorité Le préfet du Val-de-Marne — Préfecture du Val-de-Marne",
            "Démarche Admission exceptionnelle au séjour",
            "Guichet « Guichet 2 - Admission exceptionnelle au séjour (Créteil) » (n° 303)",
            "Titre de la page « Prendre un rendez-vous - Les services de l’État dans le Val-de-Marne »",
            "Adresse https://www.val-de-marne.gouv.fr/booking/create/4963/0",
            "Période du lundi 5 octobre 2026 au dimanche 3 janvier 2027",
        ] {
            #expect(page1.contains(expected), "page 1 lacks: \(expected)")
        }
        // The week-by-week table: weekday and date range, counts, the inconclusive apart, a total.
        #expect(page1.contains("lun. 05/10 – dim. 11/10/2026"))
        let s = c.data.statistics
        let inconclusive = s.count(.captcha) + s.count(.unreachable) + s.count(.unexpected)
        #expect(inconclusive > 0)
        #expect(
            page1.contains("Total 300 \(s.days.count) \(s.count(.noSlot)) \(s.count(.siteError)) 3 \(inconclusive)"))
        #expect(page1.contains("« Sans résultat » : \(inconclusive) tentatives n'ont rien montré des créneaux"))
        #expect(page1.contains("elles ne sont pas comptées parmi les refus"))
        // The last attempt and how long ago.
        let w = Wording(language: .fr)
        #expect(
            page1.contains(
                CaseBuilder.flat(
                    "Dernière tentative \(w.shortDateTime(s.last!, seconds: false)), il y a 3 jours : Aucun créneau")))
        // Slots and what followed: two have the person's note, one has none, and that is said.
        #expect(page1.contains("3 tentatives ont affiché un créneau (détail p. "))
        #expect(page1.contains("(n° 42) : 1 note de la personne sur la suite ; ensuite : aucun créneau."))
        #expect(page1.contains("(n° 254) : aucune note sur la suite ; ensuite : aucun créneau."))
        // Automation, said where the judge reads it, with the honest User-Agent.
        #expect(page1.contains("faites automatiquement par le logiciel temoin, à la demande d'Amina Diallo"))
        #expect(page1.contains("User-Agent « temoin/0.1.0"))
        #expect(page1.contains("5 pages enregistrées par la personne dans son navigateur"))
        #expect(
            page1.contains(
                "Heures : pour 289 des 300 tentatives, l'horloge du serveur de la préfecture concorde avec l'ordinateur à"
            ))
        #expect(
            page1.contains(
                "11 non confirmées par un élément indépendant (page importée, heure déclarée : 5 ; site injoignable : 6)."
            ))
        #expect(page1.contains("Aucun point relevé par les contrôles de temoin"))
        // Where each thing is proved, with real page numbers: the relevé starts on page 2.
        #expect(page1.contains("Où en trouver la preuve"))
        #expect(page1.contains("Relevé jour par jour, avec l'heure et le résultat de chaque tentative : p. 2 ;"))
        #expect(page1.contains("pages reçues : pièce n° 2 ; journal de chaque tentative : pièce n° 3."))
        // No hashes and no ISO week codes on page 1.
        #expect(page1.range(of: #"\b[0-9a-f]{4} [0-9a-f]{4}\b"#, options: .regularExpression) == nil)
        #expect(page1.range(of: #"[0-9a-f]{16}"#, options: .regularExpression) == nil)
        #expect(page1.range(of: #"\d{4}-W\d{2}"#, options: .regularExpression) == nil)
        // Page 1 is one page: page 2 starts the day-by-day record.
        #expect(try Self.pageOneIsWhole(c.pj1))
    }

    /// Whether PJ1's page 1 ends on its own page: page 2 starts with the day-by-day record, past its
    /// running header (nothing of page 1 ran onto it).
    static func pageOneIsWhole(_ pj1: String) throws -> Bool {
        let page2 = try layout(pj1, page: 2).split(separator: "\n").map { CaseBuilder.flat(String($0)) }.filter {
            !$0.isEmpty
        }
        let pages = try CaseBuilder.pages(pj1)
        return page2.count > 1 && page2[0].hasSuffix("page 2 / \(pages)") && page2[1] == "Relevé jour par jour"
    }

    /// The text as laid out on the page (`pdftotext -layout`): one line of text per line of the page.
    static func layout(_ pdf: String, page: Int? = nil) throws -> String {
        let pages = page.map { ["-f", String($0), "-l", String($0)] } ?? []
        let r = try run("/usr/bin/env", ["pdftotext", "-enc", "UTF-8", "-layout"] + pages + [pdf, "-"])
        #expect(r.status == 0, "pdftotext \(pdf): \(r.stderr)")
        return r.stdout
    }

    /// The title rows of every table in PJ1, PJ2 and the journal, each title on one line: in the
    /// laid-out text, the row that starts with the first title holds every title whole, and the next
    /// line is a row of data, not the rest of a title.
    @Test(arguments: [Language.fr, .en])
    func tableTitlesFitOnOneLine(_ language: Language) throws {
        let c = try Self.threeMonths.get()
        let files: DossierResult
        if language == .fr {
            files = c.result
        } else {
            let store = try Store.open(at: c.storePath, readOnly: true)
            let data = try DossierData.load(
                store: store, path: c.storePath, from: nil, to: nil, now: c.data.generatedAt)
            files = try DossierWriter(
                store: store, data: data,
                options: DossierOptions(
                    outputFolder: c.dir.file("dossier-en"), language: .en, journal: true, pageImages: .off)
            ).write()
        }
        func path(_ piece: Int) throws -> String {
            try #require(files.files.first { $0.piece == piece && $0.part == nil }).path
        }
        // What a row of data starts with: a week or a day (its weekday), a page code, an attempt number.
        let day = language == .fr ? #"^(lun|mar|mer|jeu|ven|sam|dim)\. "# : #"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) "#
        let tables: [(pdf: String, titles: [String], firstCell: String)] =
            language == .fr
            ? [
                (
                    try path(1),
                    [
                        "Semaine", "Tentatives", "Jours", "Aucun créneau", "Erreur du site", "Créneau affiché",
                        "Sans résultat",
                    ], day
                ),
                (try path(1), ["Jour", "Tentatives", "Heures et résultats", "N° des tentatives"], day),
                (try path(2), ["Page", "Empreinte SHA-256", "Tentatives", "Résultat"], #"^P\d+ "#),
                (
                    try path(3), ["N°", "Date et heure", "Obtention", "Adresse", "Résultat", "Message", "Page"],
                    #"^\d+ "#
                ),
            ]
            : [
                (
                    try path(1), ["Week", "Attempts", "Days", "No slot", "Website error", "Slot shown", "No result"],
                    day
                ),
                (try path(1), ["Day", "Attempts", "Times and outcomes", "Attempt nos."], day),
                (try path(2), ["Page", "SHA-256 hash", "Attempts", "Outcome"], #"^P\d+ "#),
                (
                    try path(3), ["No.", "Date and time", "Obtained", "Address", "Outcome", "Message", "Page"],
                    #"^\d+ "#
                ),
            ]
        for table in tables {
            let lines = try Self.layout(table.pdf).split(separator: "\n").map {
                CaseBuilder.flat(String($0))
            }
            // Every row that starts with the first title is a title row (repeated on each page).
            let rows = lines.indices.filter { i in
                lines[i].hasPrefix(table.titles[0] + " ") && lines[i].contains(table.titles[1])
            }
            #expect(!rows.isEmpty, "no title row \(table.titles) in \(table.pdf)")
            for i in rows {
                var rest = Substring(lines[i])
                for title in table.titles {
                    let r = rest.range(of: title)
                    #expect(r != nil, "title « \(title) » not whole on the title row: \(lines[i])")
                    if let r { rest = rest[r.upperBound...] }
                }
                let next = lines[(i + 1)...].first { !$0.isEmpty } ?? ""
                #expect(
                    next.range(of: table.firstCell, options: .regularExpression) != nil, "after the title row: \(next)")
            }
        }
    }

    /// 5,000 attempts over three months, laid out as the dossier would (built in memory: a store of
    /// 5,000 entries takes a minute to write in a debug build, and the layout is what is measured here;
    /// `make bench` measures the same on a real store).
    @Test func fiveThousandAttemptsFitInUnder120Pages() throws {
        let (_, store) = try makeStore()
        let start = try #require(TimeFormat.parse("2026-06-01 00:10"))
        var attempts: [DossierAttempt] = []
        var entries: [StoredEntry] = []
        let message = "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous."
        for i in 0..<5000 {
            let at = start.addingTimeInterval(Double(i) * 90 * 86_400 / 5000 + Double((i * 37) % 1800))
            let outcome: Outcome =
                i % 97 == 0 ? .slotAvailable : i % 31 == 0 ? .siteError : i % 53 == 0 ? .unreachable : .noSlot
            let page =
                outcome == .unreachable
                ? nil : CaptureRef(digest: sha256Hex(Data("page \(i % 200) \(outcome)".utf8)), size: 4000, role: "page")
            var body = EntryBody(seq: Int64(i + 2), prev: "", type: .attempt, recordedAt: TimeFormat.utc(at))
            body.observedAt = TimeFormat.utc(at)
            body.provenance = .captured
            body.timeBasis = .witnessed
            body.outcome = outcome
            entries.append(StoredEntry(seq: Int64(i + 2), hash: "", bodyBytes: Data(), body: body))
            attempts.append(
                DossierAttempt(
                    seq: Int64(i + 2), hash: String(repeating: "0", count: 64), observedAt: at,
                    recordedAt: TimeFormat.utc(at), url: CaseBuilder.legacyBase + "/2", provenance: .captured,
                    timeBasis: .witnessed, outcome: outcome, message: outcome == .noSlot ? message : nil, page: page))
        }
        let data = DossierData(
            caseRecord: try store.caseRecord(), storeID: store.storeID,
            head: ChainHead(seq: 5001, hash: String(repeating: "ab", count: 32)), attempts: attempts,
            statistics: CaseStatistics(entries: entries), verification: try Verifier().verify(path: store.path),
            generatedAt: attempts.last!.observedAt.addingTimeInterval(86_400))
        let result = try DossierWriter(
            store: store, data: data,
            options: DossierOptions(outputFolder: TempDir().path, language: .fr, journal: true, pageImages: .off)
        ).write()
        let pj1 = try #require(result.files.first { $0.piece == 1 })
        let journal = try #require(result.files.first { $0.piece == 3 })
        #expect(try CaseBuilder.pages(pj1.path) < 120, "PJ1: \(pj1.pages ?? -1) pages for 5,000 attempts")
        // About fifty rows a page in the journal.
        #expect(try CaseBuilder.pages(journal.path) <= 5000 / 45 + 2, "journal: \(journal.pages ?? -1) pages")
        // Page 1 is still one page.
        #expect(
            CaseBuilder.flat(try CaseBuilder.pdftotext(pj1.path, first: 2, last: 2)).contains("Relevé jour par jour"))
    }

    @Test func pageCountsMeetTheTargets() throws {
        let c = try Self.threeMonths.get()
        let pj1 = try CaseBuilder.pages(c.pj1)
        #expect(pj1 < 12, "PJ1: \(pj1) pages for 300 attempts")
        #expect(pj1 == c.file(1).pages)
        // The journal: about 50 rows a page.
        let journal = try CaseBuilder.pages(c.journal)
        #expect(journal <= 9, "journal: \(journal) pages for 300 attempts")
        // Bookmarks per month in the relevé and in the journal.
        for pdf in [c.pj1, c.journal] {
            let outline = try run("/usr/bin/env", ["pdftohtml", "-xml", "-stdout", "-i", "-q", pdf]).stdout
            for month in ["Octobre 2026", "Novembre 2026", "Décembre 2026"] {
                #expect(outline.contains(">\(month)</item>"), "\(pdf): no bookmark for \(month)")
            }
        }
    }

    @Test func noSeqSplitNoHyphenInsideHashesOrURLs() throws {
        let c = try Self.threeMonths.get()
        // The journal: every attempt's line starts with its whole number and its date.
        let journal = try CaseBuilder.pdftotext(c.journal)
        let starts = Set(
            journal.split(separator: "\n").compactMap { raw -> Int64? in
                // Number, date and time whole on one line: nothing cut at a line's end.
                let line = CaseBuilder.flat(String(raw))
                let pattern = #"^\d+ [a-z]{3}\. \d{2}/\d{2}/\d{4} à \d{2}:\d{2}:\d{2}( \*)? [CNI] U\d+ "#
                guard line.range(of: pattern, options: .regularExpression) != nil else { return nil }
                return Int64(line.prefix { $0.isNumber })
            })
        #expect(starts == Set(c.data.attempts.map(\.seq)))
        // Hashes: printed whole (no hyphen was inserted where a line broke inside one).
        let everything = try [c.pj1, c.pj2, c.journal].map { try CaseBuilder.pdftotext($0) }.joined(separator: "\n")
        let compact = CaseBuilder.compact(everything)
        for g in c.data.captureGroups { #expect(compact.contains(g.page.digest), "digest cut: \(g.page.digest)") }
        for a in c.data.attempts where a.page != nil {
            #expect(compact.contains(String(a.page!.digest.prefix(16))))
        }
        #expect(everything.range(of: #"[0-9a-f]{2}-\n[0-9a-f]"#, options: .regularExpression) == nil)
        // URLs likewise, including the long ones of the technical box.
        for url in Array(Set(c.data.attempts.map(\.url))) + [Fixtures.sampleCase.bookingURL] {
            #expect(compact.contains(url), "URL cut: \(url)")
        }
        #expect(everything.range(of: #"https?://\S*-\n"#, options: .regularExpression) == nil)
    }

    @Test func realPluralsEverywhere() throws {
        let c = try Self.threeMonths.get()
        for f in c.result.files where f.name.hasSuffix(".pdf") {
            let text = try CaseBuilder.pdftotext(f.path)
            #expect(!text.contains("(s)"), "\(f.name) writes a « (s) » plural")
            #expect(!text.contains("448178"), "\(f.name) cites an unverified decision")
        }
        let html = try String(contentsOfFile: c.result.workingFolder + "/dossier.html", encoding: .utf8)
        #expect(!html.contains("(s)") && !html.contains("448178"))
    }

    @Test func oneLabelPerPieceInFileNameInventoryAndTitle() throws {
        let c = try Self.threeMonths.get()
        let pieces = c.result.files.filter { $0.piece != nil }
        #expect(pieces.map(\.piece) == [1, 2, 3])
        let inventory = CaseBuilder.flat(
            try CaseBuilder.pdftotext(c.result.folder + "/" + TelerecoursName.inventory))
        let bordereau = try String(
            contentsOfFile: c.result.workingFolder + "/" + DossierWriter.bordereauName, encoding: .utf8)
        let labels = [
            "Relevé horodaté des tentatives de prise de rendez-vous", "Pages reçues du site de prise de rendez-vous",
            "Journal complet des tentatives",
        ]
        for (f, label) in zip(pieces, labels) {
            #expect(TelerecoursName.isValid(f.name), "\(f.name)")
            #expect(f.name == "PJ\(f.piece!)_\(Wording.fileStem(label)).pdf")
            let line = "Pièce n° \(f.piece!) : \(label)"
            #expect(CaseBuilder.flat(try CaseBuilder.info(f.path, "Title") ?? "") == line)
            #expect(inventory.contains(line), "inventory lacks \(line)")
            #expect(CaseBuilder.flat(bordereau).contains(line))
            // Headers name the pièce by the same number.
            #expect(
                CaseBuilder.flat(try CaseBuilder.pdftotext(f.path, first: 1, last: 1)).contains(
                    "Pièce n° \(f.piece!) —"))
        }
        // Captioned against the préfet, not « la préfecture ».
        #expect(inventory.contains("Amina Diallo c/ le préfet du Val-de-Marne"))
        // The inventory gives each file's pages and SHA-256.
        for f in pieces {
            #expect(CaseBuilder.compact(inventory).contains(f.name))
            #expect(CaseBuilder.compact(inventory).contains(f.sha256))
        }
    }

    @Test func filingFilesApartFromWorkingFiles() throws {
        let c = try Self.threeMonths.get()
        let top = try FileManager.default.contentsOfDirectory(atPath: c.result.folder).sorted()
        #expect(
            top
                == [
                    DossierWriter.workingFolderName, TelerecoursName.inventory, c.file(1).name, c.file(2).name,
                    c.file(3).name,
                ].sorted())
        let working = try FileManager.default.contentsOfDirectory(atPath: c.result.workingFolder).sorted()
        #expect(working == [DossierWriter.bordereauName, DossierWriter.requeteName, DossierWriter.htmlName].sorted())
        #expect(c.result.files.filter(\.filing).allSatisfy { $0.name.hasSuffix(".pdf") })
    }

    @Test(.enabled(if: CaseBuilder.has("pandoc"), "pandoc is not installed"))
    func theDraftRequeteOpensInARealConverter() throws {
        let c = try Self.threeMonths.get()
        let odt = c.result.workingFolder + "/" + DossierWriter.requeteName
        // An OpenDocument package: mimetype first and stored, then the XML parts (Python's zipfile reads it).
        let members = try CaseBuilder.zipMembers(odt)
        #expect(members.first == "mimetype 0")
        #expect(
            Set(members.dropFirst().map { String($0.split(separator: " ")[0]) }) == [
                "META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml",
            ])
        // pandoc escapes apostrophes and brackets in Markdown (\', \[): read it without them.
        let md = try CaseBuilder.draftMarkdown(odt).replacingOccurrences(of: "\\", with: "")
        // Every section of a référé mesures utiles, as headings.
        for heading in [
            "Faits", "Démarches entreprises", "Urgence", "Utilité",
            "Absence d'obstacle à l'exécution d'une décision administrative", "Conclusions",
            "Bordereau des pièces", "Pièces à ajouter (liste de contrôle)",
        ] {
            #expect(
                md.range(of: "\n# \(heading)\n", options: .literal) != nil
                    || md.range(of: "\n# \(heading.replacingOccurrences(of: "'", with: "’"))\n") != nil,
                "no heading \(heading)")
        }
        let text = CaseBuilder.flat(md)
        #expect(text.contains("[À COMPLÉTER"))
        #expect(
            text.contains("CONTRE : Le préfet du Val-de-Marne") || text.contains("CONTRE** Le préfet du Val-de-Marne"))
        #expect(text.contains("Certificats de scolarité des enfants"))
        #expect(text.contains("Pièce n° 1 : Relevé horodaté des tentatives de prise de rendez-vous"))
        // Claims follow the data: weeks, hours, and which times were recorded at the time.
        let s = c.data.statistics
        #expect(
            text.contains(
                "au cours de \(s.days.count) jours distincts répartis sur \(s.weeks.count) semaines différentes"))
        #expect(text.contains("à des heures variées de la journée (la nuit, le matin, l'après-midi et le soir)"))
        #expect(text.contains("295 tentatives ont été enregistrées au moment où elles ont eu lieu ; 5 pages"))
        #expect(!text.contains("Chaque tentative a été enregistrée au moment où elle a eu lieu"))
        #expect(text.contains("3 tentatives ont affiché un créneau"))
        #expect(text.contains("[À COMPLÉTER : ce qu'il est advenu de ce créneau]"))
        #expect(text.contains("J'ai cliqué sur le créneau tout de suite"))
        #expect(!text.contains("448178") && !text.contains("(s)"))
        // LibreOffice, when installed, opens it too.
        if CaseBuilder.has("soffice") {
            let out = TempDir()
            let r = try run(
                "/usr/bin/env", ["soffice", "--headless", "--convert-to", "txt:Text", "--outdir", out.path, odt])
            #expect(r.status == 0, "\(r.stderr)")
            let txt = try String(
                contentsOfFile: out.file(DossierWriter.requeteName.replacingOccurrences(of: ".odt", with: ".txt")),
                encoding: .utf8)
            #expect(txt.contains("Démarches entreprises"))
        }
    }

    static func draft(_ store: Store, _ path: String, now: Date) throws -> (String, DossierResult) {
        let data = try DossierData.load(store: store, path: path, from: nil, to: nil, now: now)
        let result = try DossierWriter(
            store: store, data: data,
            options: DossierOptions(outputFolder: TempDir().path, language: .fr, requete: true, pageImages: .off)
        ).write()
        let odt = result.workingFolder + "/" + DossierWriter.requeteName
        // The document body, tags removed (pandoc, when present, is checked in the test above).
        let xml = try CaseBuilder.zipMember(odt, "content.xml")
        let text = xml.replacingOccurrences(of: #"<[^>]+>"#, with: " ", options: .regularExpression)
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        return (CaseBuilder.flat(text), result)
    }

    @Test func theDraftClaimsNothingAOneWeekStoreDoesNotSupport() throws {
        // Six attempts within two seconds: one day, one week, one hour.
        let t0 = try #require(TimeFormat.parse("2026-11-18 14:05:01"))
        let times = (0..<6).map { t0.addingTimeInterval(Double($0) * 0.4) }
        let (_, store, path) = try CaseBuilder.smallStore(times)
        let (text, result) = try Self.draft(store, path, now: t0.addingTimeInterval(3600))
        #expect(!text.contains("semaines différentes"))
        #expect(!text.contains("heures variées"))
        #expect(!text.contains("jours distincts"))
        #expect(
            text.contains("Le mercredi 18 novembre 2026, Amina Diallo a tenté à 6 reprises d'obtenir un rendez-vous"))
        #expect(text.contains("toujours l'après-midi, entre 14 h et 15 h"))
        #expect(text.contains("Chaque tentative a été enregistrée au moment où elle a eu lieu"))
        #expect(text.contains("toutes les tentatives sont dans la même semaine (CE, 10 juin 2020, n° 435594)"))
        // Page 1 says it too.
        let page1 = CaseBuilder.flat(
            try CaseBuilder.pdftotext(result.files.first { $0.piece == 1 }!.path, first: 1, last: 1))
        #expect(page1.contains("Toutes les tentatives se situent dans la même semaine"))
    }

    @Test func theDraftOfAnImportedOnlyStoreSaysTheTimesAreDeclared() throws {
        let t0 = try #require(TimeFormat.parse("2026-11-02 09:15"))
        let times = (0..<4).map { t0.addingTimeInterval(Double($0) * 5 * 86_400 + Double($0) * 3 * 3600) }
        let (_, store, path) = try CaseBuilder.smallStore(times, imported: true)
        let (text, result) = try Self.draft(store, path, now: times.last!.addingTimeInterval(86_400))
        #expect(!text.contains("au moment où elle a eu lieu"))
        #expect(!text.contains("au moment où elles ont eu lieu"))
        #expect(
            text.contains(
                "Les pages ont été enregistrées par Amina Diallo dans son navigateur puis versées au registre : leur heure est déclarée."
            ))
        let page1 = CaseBuilder.flat(
            try CaseBuilder.pdftotext(result.files.first { $0.piece == 1 }!.path, first: 1, last: 1))
        #expect(page1.contains("Toutes les heures sont déclarées"))
        #expect(page1.contains("4 pages enregistrées par la personne"))
        #expect(!page1.contains("automatiquement"))
    }

    @Test func pageOneFlagsWhatTheRecordItselfPutsInDoubt() throws {
        // Facts declared on 2 November mention 1 January 2027; the same page is classified two ways;
        // the last attempt is a month old.
        let t0 = try #require(TimeFormat.parse("2026-11-02 09:15"))
        let times = (0..<3).map { t0.addingTimeInterval(Double($0) * 4 * 86_400) }
        let (_, store, path) = try CaseBuilder.smallStore(
            times, facts: "Récépissé expiré le 1er janvier 2027 ; CDI suspendu.", now: t0)
        let page = try Fixtures.data("legacy-aucune-plage.html")
        let at = times.last!.addingTimeInterval(3600)
        _ = try store.append(
            type: .attempt, captures: [PendingCapture(bytes: page, role: "page", mediaType: "text/html")], now: at
        ) { body in
            body.provenance = .captured
            body.observedAt = TimeFormat.utc(at)
            body.timeBasis = .witnessed
            body.url = CaseBuilder.legacyBase + "/2"
            body.outcome = .unexpected
        }
        let now = at.addingTimeInterval(30 * 86_400)
        let data = try DossierData.load(store: store, path: path, from: nil, to: nil, now: now)
        let result = try DossierWriter(
            store: store, data: data,
            options: DossierOptions(outputFolder: TempDir().path, language: .fr, pageImages: .off)
        ).write()
        #expect(result.staleDays == 30)
        let page1 = CaseBuilder.flat(
            try CaseBuilder.pdftotext(result.files.first { $0.piece == 1 }!.path, first: 1, last: 1))
        #expect(page1.contains("Points d'attention"))
        #expect(
            page1.contains(
                "Une même page, identique octet pour octet, a été classée de plusieurs façons : aucun créneau (n° 2–4) ; page inattendue (n° 5)"
            ))
        #expect(
            page1.contains(
                "Le fait déclaré le lundi 2 novembre 2026 mentionne une date postérieure (vendredi 1er janvier 2027) : « Récépissé expiré le 1er janvier 2027 »"
            ))
        #expect(page1.contains("soit 30 jours avant ce document"))
        // The PJ2 index marks the page classified two ways.
        let index = CaseBuilder.flat(try CaseBuilder.pdftotext(result.files.first { $0.piece == 2 }!.path))
        #expect(index.contains("Aucun créneau / Page inattendue"))
    }

    @Test func typographyOneSerifOneSansHeadersOnOneLineEverythingInsideTheMargins() throws {
        let c = try Self.threeMonths.get()
        for pdf in [c.pj1, c.pj2, c.journal] {
            // Fonts: DejaVu Serif and DejaVu Sans only (bold and oblique faces of them), all embedded.
            let fonts = try run("/usr/bin/env", ["pdffonts", pdf]).stdout.split(separator: "\n").dropFirst(2)
            for line in fonts {
                let name = String(line.split(separator: " ").first ?? "")
                #expect(
                    name.contains("DejaVuSerif") || name.contains("DejaVuSans"), "\(pdf): font \(name)")
                #expect(!name.contains("Mono"), "\(pdf): a third family, \(name)")
                #expect(line.contains(" yes yes "), "not embedded: \(line)")
            }
            // Every word inside the margins (charts and their legends included), headers on one line.
            let bbox = try run("/usr/bin/env", ["pdftotext", "-bbox", pdf, "-"]).stdout
            let word = try NSRegularExpression(
                pattern: #"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>"#)
            var headerLines: [Int: Set<Int>] = [:]
            var page = 0
            for line in bbox.split(separator: "\n") {
                if line.contains("<page ") { page += 1 }
                let s = String(line)
                guard let m = word.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) else { continue }
                func num(_ i: Int) -> Double { Double(s[Range(m.range(at: i), in: s)!])! }
                let text = String(s[Range(m.range(at: 5), in: s)!])
                #expect(num(1) >= PageGeometry.marginLeft - 1.5, "\(pdf) p. \(page): « \(text) » left of the margin")
                #expect(
                    num(3) <= PageGeometry.width - PageGeometry.marginRight + 1.5,
                    "\(pdf) p. \(page): « \(text) » right of the margin")
                if num(4) < 56 { headerLines[page, default: []].insert(Int(num(2).rounded())) }
            }
            for (p, lines) in headerLines {
                #expect(lines.count == 1, "\(pdf) p. \(p): header on \(lines.count) lines")
            }
        }
        // The chart's legend is whole: every outcome present has its label.
        let text = CaseBuilder.flat(try CaseBuilder.pdftotext(c.pj1))
        for label in ["Aucun créneau", "Erreur du site", "Site injoignable", "Page inattendue", "Créneau affiché"] {
            #expect(text.contains(label))
        }
    }

    @Test func noPageUnderAThirdFullButTheLastOfASection() throws {
        let c = try Self.threeMonths.get()
        for pdf in [c.pj1, c.journal] {
            let bbox = try run("/usr/bin/env", ["pdftotext", "-bbox", pdf, "-"]).stdout
            let outline = try run("/usr/bin/env", ["pdftohtml", "-xml", "-stdout", "-i", "-q", pdf]).stdout
            // Pages where a level-1 section begins: the page before ends a section.
            var starts = Set<Int>()
            var depth = 0
            for line in outline.split(separator: "\n") {
                if line.hasPrefix("<outline") { depth += 1 }
                if line.hasPrefix("</outline") { depth -= 1 }
                if depth == 1, line.hasPrefix("<item page=\"") {
                    if let n = Int(line.dropFirst(12).prefix { $0.isNumber }) { starts.insert(n) }
                }
            }
            var lowest: [Int: Double] = [:]
            var page = 0
            let word = try NSRegularExpression(pattern: #"yMax="([\d.]+)""#)
            for line in bbox.split(separator: "\n") {
                if line.contains("<page ") { page += 1 }
                let s = String(line)
                guard s.contains("<word"), let m = word.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)),
                    let y = Double(s[Range(m.range(at: 1), in: s)!]), y < PageGeometry.contentBottom + 2
                else { continue }
                lowest[page] = max(lowest[page] ?? 0, y)
            }
            let total = try CaseBuilder.pages(pdf)
            let usable = PageGeometry.contentBottom - PageGeometry.marginTop
            for p in 1..<max(1, total) where !starts.contains(p + 1) {
                let used = ((lowest[p] ?? 0) - PageGeometry.marginTop) / usable
                #expect(used >= 1.0 / 3, "\(pdf): page \(p) of \(total) is \(Int(used * 100)) % full")
            }
        }
    }
}

extension DossierTests {
    @Test func theCLIWritesTheFilesWithMetadataAndTheAttestation() throws {
        let (dir, store) = try CaseBuilder.makeCase()
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
        let r = try temoin(
            ["dossier", "--out", out, "--requete", "--lang", "fr", "--json", "--no-page-images", "--first-piece", "4"],
            store: store)
        #expect(r.status == 0, "\(r.stderr)")
        let result = try JSONDecoder().decode(DossierResult.self, from: r.stdoutData)
        #expect(result.files.compactMap(\.piece) == [4, 5])
        for f in result.files where f.filing {
            #expect(TelerecoursName.isValid(f.name), "\(f.name)")
            if let piece = f.piece { #expect(f.name.hasPrefix("PJ\(piece)_")) }
            let sha = try run("/usr/bin/env", ["sha256sum", f.path]).stdout.prefix(64)
            #expect(String(sha) == f.sha256)
        }
        let pj1 = try #require(result.files.first { $0.piece == 4 })
        #expect(try CaseBuilder.info(pj1.path, "Author") == "Amina Diallo")
        #expect(try CaseBuilder.info(pj1.path, "Page size")?.hasPrefix("595.276 x 841.89 pts (A4)") == true)
        let text = CaseBuilder.flat(try CaseBuilder.pdftotext(pj1.path))
        #expect(text.contains("Pièce n° 4"))
        #expect(text.contains("Marie Dupont (La Cimade)"))
        #expect(text.contains("chaîne intacte ; signature : signature valide"))
        #expect(text.contains("Aucun jeton d'horodatage tiers"))
        // The slot of 9 November, with the page's own words in quotation marks.
        #expect(text.contains("« Choisissez votre créneau »") || text.contains("Constat de temoin"))
        #expect(text.contains("aucune note n'a été enregistrée sur ce créneau"))
        // Every attempt's day and time is in the day-by-day record.
        for (_, at) in CaseBuilder.imports {
            let d = at.prefix(10).split(separator: "-")
            #expect(text.contains("\(d[2])/\(d[1])/\(d[0])"), "missing day \(at)")
            #expect(text.contains(String(at.suffix(5))), "missing time \(at)")
        }
        // The human listing: filing files, then the working files; "1 page", not "1 pages".
        let human = try temoin(
            ["dossier", "--out", dir.file("again"), "--lang", "en", "--no-page-images"], store: store)
        #expect(human.stdout.contains("Inventaire_detaille_des_pieces.pdf  (1 page, "))
        #expect(human.stdout.contains("Working files, not to be filed"))
        // The page-images warning names the reason and the fix.
        #expect(human.stderr.contains("drawing turned off with --no-page-images"))
    }

    @Test func englishDossierAndPeriodFilter() throws {
        let (dir, store) = try CaseBuilder.makeCase()
        let out = dir.file("en")
        let r = try temoin(
            [
                "dossier", "--out", out, "--lang", "en", "--from", "2026-10-13", "--to", "2026-11-03",
                "--no-page-images",
            ],
            store: store)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Dossier written in"))
        let pj1 = try #require(
            try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasPrefix("PJ1_") })
        #expect(pj1 == "PJ1_Timestamped_record_of_appointment_booking_attempts.pdf")
        let text = CaseBuilder.flat(try CaseBuilder.pdftotext(out + "/" + pj1))
        // 13 Oct to 3 Nov inclusive: five attempts (3 Nov 23:59 is in).
        #expect(text.contains("Tue 2026-11-03"))
        #expect(text.contains("23:59"))
        #expect(!text.contains("2026-10-05") && !text.contains("2026-11-09"))
        #expect(text.contains("English version, for review only"))
        // An empty period is refused with the documented exit code.
        let empty = try temoin(["dossier", "--out", out, "--from", "2025-01-01", "--to", "2025-01-31"], store: store)
        #expect(empty.status == 64)
        #expect(empty.stderr.contains("No attempt was observed"))
        let reversed = try temoin(
            ["dossier", "--out", out, "--from", "2026-11-01", "--to", "2026-10-01"], store: store)
        #expect(reversed.status == 64)
        #expect(try temoin(["dossier", "--out", out, "--first-piece", "0"], store: store).status == 64)
        // An output folder that cannot be made (under a file): exit 7, the store untouched.
        let blocker = dir.write("not-a-folder", "x")
        let unwritable = try temoin(["dossier", "--out", blocker + "/dossier"], store: store)
        #expect(unwritable.status == 7)
        #expect(unwritable.stderr.contains("Cannot write"))
        #expect(try temoin(["verify"], store: store).status == 0)
    }

    @Test func frenchTypographyKeepsPunctuationAndNumbersWithTheirWords() {
        let text = MarkedText("Période : du 05/10 ; « Aucun créneau » n° 3 ! Vraiment ? 300 tentatives à 13 h")
        #expect(
            FrenchSpacing.apply(text).markup
                == "Période\u{202F}: du 05/10\u{202F}; «\u{00A0}Aucun créneau\u{00A0}» n°\u{00A0}3\u{202F}! Vraiment\u{202F}? 300\u{00A0}tentatives à 13\u{00A0}h"
        )
        // A value is never touched: it is the page's or the person's own words.
        let marked = MarkedText(TemplateValue.data("Attention : page") + " et " + TemplateValue.data("12") + " jours")
        #expect(FrenchSpacing.apply(marked).markup == "Attention : page et 12\u{00A0}jours")
        let w = Wording(language: .fr)
        #expect(w.count(1, "jour distinct", "jours distincts") == "1\u{00A0}jour distinct")
        #expect(w.count(0, "tentative", "tentatives") == "0\u{00A0}tentative")
        #expect(w.number(5000) == "5\u{202F}000")
        #expect(w.of("Amina Diallo") == "d'Amina Diallo" && w.of("Karima B.") == "de Karima B.")
        #expect(w.of("Élodie") == "d'Élodie")
        #expect(w.prefet("Préfecture du Val-de-Marne (Créteil)") == "le préfet du Val-de-Marne")
        #expect(w.prefet("Préfecture de la Seine-Saint-Denis") == "le préfet de la Seine-Saint-Denis")
        #expect(w.prefet("Préfecture de police") == "le préfet de police")
        #expect(w.prefectureInSentence("Préfecture du Val-de-Marne") == "la préfecture du Val-de-Marne")
        let d = TimeFormat.parse("2026-10-01 08:05")!
        #expect(w.longDate(d) == "jeudi 1er\u{00A0}octobre 2026")
        #expect(
            w.weekRange(monday: TimeFormat.parse("2026-09-28 12:00")!)
                == "du lundi 28\u{00A0}septembre au dimanche 4\u{00A0}octobre 2026")
        #expect(Wording.ranges([2, 3, 4, 7, 9, 10]) == "2–4, 7, 9–10")
    }

    @Test func fileNamesFollowTheFilingRules() {
        let p = DossierPiece(kind: .releve, number: 12, label: "Relevé horodaté des tentatives de prise de rendez-vous")
        #expect(p.fileName() == "PJ12_Releve_horodate_des_tentatives_de_prise_de_rendez-vous.pdf")
        #expect(TelerecoursName.isValid(p.fileName()) && TelerecoursName.isValid(p.fileName(part: 3)))
        let long = DossierPiece(kind: .releve, number: 1, label: String(repeating: "Très long intitulé ", count: 10))
        #expect(long.fileName().count <= 80 && TelerecoursName.isValid(long.fileName()))
        #expect(!TelerecoursName.isValid("PJ1_Relevé.pdf"))
        #expect(!TelerecoursName.isValid("PJ1_releve.v2.pdf"))
        #expect(!TelerecoursName.isValid("PJ1_a%b.pdf"))
        #expect(!TelerecoursName.isValid("PJ1 releve.pdf"))
    }

    @Test func adaptedTemplatesAreUsedAndBadOnesNamed() throws {
        let (dir, store) = try CaseBuilder.makeCase()
        let shipped = try #require(DossierTemplates.shippedFolder)
        let custom = dir.file("mes-modeles")
        try FileManager.default.copyItem(atPath: shipped, toPath: custom)
        let pj1 = (custom as NSString).appendingPathComponent("fr/PJ1.mustache")
        var text = try String(contentsOfFile: pj1, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "## La démarche", with: "## La démarche, avec la permanence juridique de l'association")
        try text.write(toFile: pj1, atomically: true, encoding: .utf8)
        let out = dir.file("out")
        let args = ["dossier", "--out", out, "--lang", "fr", "--templates", custom, "--no-page-images"]
        let ok = try temoin(args, store: store)
        #expect(ok.status == 0, "\(ok.stderr)")
        let written = try #require(
            try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasPrefix("PJ1") })
        #expect(
            CaseBuilder.flat(try CaseBuilder.pdftotext(out + "/" + written)).contains(
                "La démarche, avec la permanence juridique de l'association"))
        // Unclosed markup on a line of the template's own: the message names the template and the line.
        try (text + "\nUn <b>mot gras non fermé\n").write(toFile: pj1, atomically: true, encoding: .utf8)
        let bad = try temoin(args, store: store)
        #expect(bad.status == 4)
        #expect(bad.stderr.contains("PJ1.mustache") && bad.stderr.contains("mot gras non fermé"))
        // A missing template likewise.
        try FileManager.default.removeItem(atPath: (custom as NSString).appendingPathComponent("en/journal.mustache"))
        let missing = try temoin(["dossier", "--out", out, "--lang", "en", "--templates", custom], store: store)
        #expect(missing.status == 4)
        #expect(missing.stderr.contains("journal.mustache"))
    }

    /// A PNG of `width` × `height` pixels of noise (so that it does not compress): a screenshot's weight.
    static func noisePNG(width: Int, height: Int, seed: Int) throws -> Data {
        let script = """
            import random, struct, sys, zlib
            w, h, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
            rnd = random.Random(seed)
            raw = b"".join(b"\\x00" + rnd.randbytes(w * 3) for _ in range(h))
            def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
            sys.stdout.buffer.write(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))
            """
        return try run("/usr/bin/env", ["python3", "-c", script, String(width), String(height), String(seed)])
            .stdoutData
    }

    @Test func capturesAreSplitUnderTheSizeLimit() throws {
        let (_, storePath) = try CaseBuilder.makeCase()
        let store = try Store.open(at: storePath)
        // Four attempts witnessed in a browser, two slots and what followed, each with its screenshot.
        let page = try Fixtures.data("rdv-creneau-aucun.html")
        let base = try #require(TimeFormat.parse("2026-11-20 10:00"))
        for (i, outcome) in [Outcome.slotAvailable, .noSlot, .slotAvailable, .noSlot].enumerated() {
            let at = base.addingTimeInterval(Double(i) * 43_200)
            let png = try Self.noisePNG(width: 600, height: 700, seed: i)
            _ = try store.append(
                type: .attempt,
                captures: [
                    PendingCapture(bytes: page, role: "page", mediaType: "text/html", name: "dom.html"),
                    PendingCapture(bytes: png, role: CaptureRef.screenshotRole, mediaType: "image/png"),
                ], now: at
            ) { body in
                body.provenance = .witnessed
                body.observedAt = TimeFormat.utc(at)
                body.timeBasis = .witnessed
                body.url = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/"
                body.outcome = outcome
                body.profile = "rdv-prefecture"
            }
        }
        let data = try DossierData.load(store: store, path: storePath, from: nil, to: nil)
        let whole = try DossierWriter(
            store: store, data: data,
            options: DossierOptions(outputFolder: TempDir().path, language: .fr, pageImages: .off)
        ).write()
        let pj2 = try #require(whole.files.first { $0.piece == 2 })
        #expect(pj2.bytes > 4_000_000)
        let limit = pj2.bytes * 6 / 10
        let out = TempDir()
        let result = try DossierWriter(
            store: store, data: data,
            options: DossierOptions(outputFolder: out.path, language: .fr, maxFileBytes: limit, pageImages: .off)
        ).write()
        let parts = result.files.filter { $0.piece == 2 }
        #expect(parts.count >= 2)
        var shownSeqs: [String] = []
        var images = 0
        for (n, part) in parts.enumerated() {
            #expect(part.part == n + 1 && part.parts == parts.count)
            #expect(part.name.hasPrefix("PJ2-\(n + 1)_") && TelerecoursName.isValid(part.name))
            #expect(part.bytes <= limit, "\(part.name): \(part.bytes) bytes")
            let text = CaseBuilder.flat(try CaseBuilder.pdftotext(part.path))
            #expect(text.contains("partie \(n + 1) sur \(parts.count)"))
            // The index of distinct pages, once, in the last part.
            #expect(text.contains("Index des pages distinctes") == (n == parts.count - 1))
            shownSeqs += text.components(separatedBy: " : tentative n° ").dropFirst().map {
                String($0.prefix { $0.isNumber })
            }
            // Distinct image objects (a tall screenshot is drawn in slices over two pages, one object).
            let list = try run("/usr/bin/env", ["pdfimages", "-list", part.path]).stdout.split(separator: "\n")
                .dropFirst(2)
            images += Set(list.map { $0.split(separator: " ", omittingEmptySubsequences: true)[10] }).count
        }
        // Every page shown once (eight: the most PJ2 shows), over the parts, and the four screenshots.
        #expect(shownSeqs.count == Set(shownSeqs).count && shownSeqs.count == 8, "\(shownSeqs)")
        #expect(images == 4)
        let inventory = CaseBuilder.compact(try CaseBuilder.pdftotext(out.path + "/" + TelerecoursName.inventory))
        for part in parts { #expect(inventory.contains(part.name)) }
    }

    @Test func aTamperedStoreStillGivesADossierThatSaysSo() throws {
        let (dir, store) = try CaseBuilder.makeCase()
        try tamper(
            store,
            "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'no_slot', 'site_error') AS BLOB) WHERE seq = 5"
        )
        let out = dir.file("out")
        let r = try temoin(["dossier", "--out", out, "--lang", "fr", "--no-page-images"], store: store)
        #expect(r.status == 1)
        #expect(r.stderr.contains("anomalies"))
        let pj1 = try #require(try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasPrefix("PJ1") })
        let page1 = CaseBuilder.flat(try CaseBuilder.pdftotext(out + "/" + pj1, first: 1, last: 1))
        #expect(page1.contains("Registre non intact"))
        #expect(page1.contains("la première à l'entrée n° 5"))
    }

    @Test func theChartShowsEveryDayOfThePeriodIncludingDaysWithoutAttempts() {
        // Across the change to winter time (25 October 2026): each calendar day once.
        let days = CaseStatistics.everyDay(from: "2026-10-24", to: "2026-10-27")
        #expect(days == ["2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"])
        #expect(CaseStatistics.everyDay(from: "2026-12-31", to: "2027-01-01") == ["2026-12-31", "2027-01-01"])
        #expect(CaseStatistics.everyDay(from: nil, to: nil).isEmpty)
    }

    @Test func witnessedScreenshotsAreTheImagesOfTheirPages() throws {
        let (dir, storePath) = try CaseBuilder.makeCase()
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
        let r = try temoin(["dossier", "--out", out, "--lang", "fr", "--no-page-images"], store: storePath)
        #expect(r.status == 0, "\(r.stderr)")
        let pj2 = try #require(try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasPrefix("PJ2") })
        // The last no-slot attempt is the witnessed one: its screenshot is its image, the others are text.
        let images = try run("/usr/bin/env", ["pdfimages", "-list", out + "/" + pj2]).stdout.split(separator: "\n")
            .dropFirst(2)
        #expect(images.count == 1)
        #expect(
            CaseBuilder.flat(try CaseBuilder.pdftotext(out + "/" + pj2)).contains(
                "capture d'écran prise par le navigateur"))
        let html = try String(
            contentsOfFile: out + "/" + DossierWriter.workingFolderName + "/dossier.html", encoding: .utf8)
        #expect(html.contains("data:image/png;base64," + png.base64EncodedString()))
    }
}
