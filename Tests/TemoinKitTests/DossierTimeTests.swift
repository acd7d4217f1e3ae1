import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// The times in the dossier (issue 13, section 2): page 1 says how each time was checked, from
/// `TimeCorroboration`; a contradicted time is listed with its figures and counted in no day or week.
@Suite(.serialized) struct DossierTimeTests {
    static let day: TimeInterval = 86_400

    /// A store opened at `opened`, and the PJ1 page 1 and whole text of its dossier written at `now`.
    static func dossier(_ store: Store, now: Date) throws -> (page1: String, all: String, data: DossierData) {
        let d = try dossierWithPath(store, now: now)
        return (d.page1, d.all, d.data)
    }

    /// The same, with the path of PJ1.
    static func dossierWithPath(_ store: Store, now: Date) throws
        -> (page1: String, all: String, data: DossierData, pj1: String)
    {
        let data = try DossierData.load(store: store, path: store.path, from: nil, to: nil, now: now)
        let result = try DossierWriter(
            store: store, data: data,
            options: DossierOptions(outputFolder: TempDir().path, language: .fr, requete: false, pageImages: .off)
        ).write()
        let pj1 = try #require(result.files.first { $0.piece == 1 }).path
        // Whatever page 1 says of the times, it holds on page 1.
        #expect(try DossierTests.pageOneIsWhole(pj1), "page 1 runs onto page 2")
        return (
            CaseBuilder.flat(try CaseBuilder.pdftotext(pj1, first: 1, last: 1)),
            CaseBuilder.flat(try CaseBuilder.pdftotext(pj1)), data, pj1
        )
    }

    static func store(opened: Date) throws -> (TempDir, Store) {
        let dir = TempDir()
        return (dir, try Store.create(at: dir.file("temoin.sqlite"), case: Fixtures.sampleCase, now: opened))
    }

    /// The computer's clock ahead or behind by minutes and by months on the middle attempt.
    @Test(arguments: [180.0, -180.0, 61 * 86_400.0, -61 * 86_400.0])
    func aWrongClockIsListedApartWithTheServersTime(_ off: TimeInterval) throws {
        let opened = try #require(TimeFormat.parse("2026-11-02 08:00"))
        let (_, store) = try Self.store(opened: opened)
        let page = try Fixtures.data("legacy-aucune-plage.html")
        let real = [
            opened.addingTimeInterval(3600), opened.addingTimeInterval(8 * Self.day),
            opened.addingTimeInterval(15 * Self.day),
        ]
        try CaseBuilder.captured(store, at: real[0], page: page, serverAt: real[0])
        try CaseBuilder.captured(store, at: real[1].addingTimeInterval(off), page: page, serverAt: real[1])
        try CaseBuilder.captured(store, at: real[2], page: page, serverAt: real[2])
        let (page1, all, data) = try Self.dossier(store, now: real[2].addingTimeInterval(Self.day))
        #expect(data.time.contradictedSeqs == [3] && data.time.byServer == 2)
        // Counted in no day or week: two days, in two ISO weeks, whatever the wrong clock said.
        #expect(data.statistics.setAside == [3])
        #expect(data.statistics.days.count == 2 && data.statistics.weeks.count == 2)
        #expect(
            page1.contains(
                "Heures : pour 2 des 3 tentatives, l'horloge du serveur de la préfecture concorde avec l'ordinateur à"
            ))
        #expect(page1.contains("1 tentative dont l'heure est contredite par les éléments de la chaîne, comptée à part"))
        #expect(page1.contains("n° 3, datée du"))
        #expect(page1.contains("Période du lundi 2 novembre 2026 au mardi 17 novembre 2026"))
        // The server's time and why the computer's is contradicted, in short (in full in « Les heures »).
        #expect(page1.contains("selon le serveur de la préfecture (Aucun créneau) :"))
        let direction = off > 0 ? "en retard sur" : "en avance sur"
        #expect(page1.contains("l'horloge du serveur de la préfecture était "))
        #expect(page1.contains(" \(direction) celle de l'ordinateur"), "\(page1)")
        // « Les heures » gives both times in full.
        #expect(all.contains("l'horloge du serveur de la préfecture ("))
        #expect(page1.contains("Heures contredites : 1 tentative"))
        // A clock months ahead makes #3 the latest recorded time: page 1's last attempt says it is contradicted.
        let lastLine = try #require(
            page1.range(of: "Dernière tentative").map { String(page1[$0.lowerBound...].prefix(160)) })
        #expect(lastLine.contains("heure contredite") == (off > Self.day), "\(lastLine)")
        // The method section states the counts of this store.
        #expect(all.contains("Dans ce registre : 2 heures confirmées, 0 non confirmée, 1 contredite."))
        #expect(all.contains("Ces tentatives ne figurent ni dans le relevé jour par jour"))
        #expect(!all.contains("3 semaines"))
    }

    @Test func anAttemptBeforeItsPredecessorAndBeforeTheCaseIsNamed() throws {
        let opened = try #require(TimeFormat.parse("2026-11-02 08:00"))
        let (_, store) = try Self.store(opened: opened)
        let page = try Fixtures.data("legacy-aucune-plage.html")
        try CaseBuilder.captured(
            store, at: opened.addingTimeInterval(3600), page: page, serverAt: opened.addingTimeInterval(3600))
        // A clock a month behind, on a site that gave no Date: only the chain's order shows it.
        try CaseBuilder.captured(store, at: opened.addingTimeInterval(-30 * Self.day), page: page)
        let (page1, _, data) = try Self.dossier(store, now: opened.addingTimeInterval(2 * Self.day))
        #expect(data.time.contradictedSeqs == [3])
        #expect(page1.contains("Heures : pour 1 des 2 tentatives"))
        #expect(page1.contains("avant l'ouverture du dossier"))
        #expect(page1.contains("avant l'entrée n° 2 qui la précède"))
        #expect(!page1.contains("selon le serveur de la préfecture"), "no server time to give for #3")
    }

    /// Five attempts made on a laptop whose clock was a month behind: page 1 lists two with their
    /// figures, then how many others and their numbers, with the page where all are listed.
    @Test func manyContradictedTimesAreCountedOnPageOneAndListedInTheTimesSection() throws {
        let opened = try #require(TimeFormat.parse("2026-11-02 08:00"))
        let (_, store) = try Self.store(opened: opened)
        let page = try Fixtures.data("legacy-aucune-plage.html")
        for i in 0..<8 {
            let real = opened.addingTimeInterval(Double(i + 1) * 86_400)
            let off: TimeInterval = (2...6).contains(i) ? -30 * Self.day : 0
            try CaseBuilder.captured(store, at: real.addingTimeInterval(off), page: page, serverAt: real)
        }
        let (page1, all, data, pj1) = try Self.dossierWithPath(store, now: opened.addingTimeInterval(10 * Self.day))
        #expect(data.time.contradictedSeqs == [4, 5, 6, 7, 8])
        #expect(
            page1.contains("5 tentatives dont l'heure est contredite par les éléments de la chaîne, comptées à part"))
        #expect(page1.contains("n° 4, datée du "))
        #expect(page1.contains("n° 5, datée du "))
        #expect(!page1.contains("n° 6, datée du "))
        // The others named, with the page of « Les heures », which lists each with its figures.
        let more = try #require(
            page1.firstMatch(of: /et 3 autres : n° 6–8 \(p\. (\d+)\)\./), "\(page1)")
        let heures = CaseBuilder.flat(try CaseBuilder.pdftotext(pj1, first: Int(more.1), last: Int(more.1)))
        #expect(heures.contains("Les heures, tentative par tentative"))
        for seq in 4...8 { #expect(all.contains("n° \(seq), datée du ")) }
    }

    /// A store like `make demo`'s: attempts by temoin (an overloaded site, a slot with the person's
    /// note), one made on a laptop whose clock is 61 days behind, ten pages imported over seven weeks
    /// (CAPTCHA pages among them), a registered letter with its avis de réception and an e-mail. Page 1
    /// says all of it, the contradicted attempt with its figures, and holds on one page.
    @Test func aStoreLikeTheDemosHoldsPageOneOnOnePage() throws {
        // Now, as the demo: the steps are added through the CLI, at the real time, after the attempts.
        let base = Date().addingTimeInterval(-2 * 3600)
        let (dir, store) = try Self.store(opened: base)
        let noSlot = try Fixtures.data("legacy-aucune-plage.html")
        var t = base.addingTimeInterval(60)
        for page in [noSlot, try Fixtures.data("surcharge-502.html"), noSlot, noSlot] {
            try CaseBuilder.captured(store, at: t, page: page, serverAt: t)
            t += 60
        }
        let slot = try CaseBuilder.captured(store, at: t, page: CaseBuilder.slotPage, serverAt: t)
        try store.addNote(
            about: slot.seq,
            text: "J'ai cliqué sur le créneau aussitôt ; la page suivante disait qu'il n'était plus disponible.",
            now: t.addingTimeInterval(30))
        t += 60
        // The borrowed laptop: its clock 61 days behind the prefecture's server.
        try CaseBuilder.captured(store, at: t.addingTimeInterval(-61 * Self.day), page: noSlot, serverAt: t)
        t += 60
        let captcha = try Fixtures.data("rdv-cgu-captcha.html")
        for k in 0..<10 {
            let declared = base.addingTimeInterval(Double(-60 + 5 * k) * Self.day + Double(k) * 3700)
            try CaseBuilder.imported(
                store, at: declared, page: k == 4 || k == 7 ? captcha : noSlot, name: "page-\(k).html",
                recordedAfter: t.addingTimeInterval(Double(k)).timeIntervalSince(declared))
        }
        try DossierStepsTests.step(
            dir.file("temoin.sqlite"),
            [
                "add", "--kind", "registered-letter", "--date",
                String(TimeFormat.parisWallTime(base.addingTimeInterval(-33 * Self.day)).prefix(10)),
                "--to", "Monsieur le Préfet du Val-de-Marne", "--summary",
                "Demande de rendez-vous pour déposer ma demande d'admission exceptionnelle au séjour", "--tracking",
                "1A01234567890", "--file", StepFixtures.path("lettre-prefet.pdf"), "--receipt",
                StepFixtures.path("preuve-de-depot.png"),
            ])
        let letter = try #require(try store.entries().last).seq
        try DossierStepsTests.step(
            dir.file("temoin.sqlite"),
            [
                "followup", String(letter), "--kind", "receipt-returned", "--date",
                String(TimeFormat.parisWallTime(base.addingTimeInterval(-31 * Self.day)).prefix(10)), "--file",
                StepFixtures.path("avis-de-reception.jpg"),
            ])
        try DossierStepsTests.step(
            dir.file("temoin.sqlite"),
            [
                "add", "--kind", "email", "--summary", "Accusé de réception automatique de ma demande de rendez-vous",
                "--file", StepFixtures.path("accuse-reception.eml"), "--offline",
            ])
        let (page1, all, data) = try Self.dossier(store, now: Date().addingTimeInterval(60))
        #expect(data.time.contradicted == 1 && data.steps.count == 2)
        for expected in [
            "Demandeur Amina Diallo", "Semaine par semaine", "« Sans résultat » : 2 tentatives",
            "1 tentative a affiché un créneau (détail p.", "1 note de la personne sur la suite",
            "Autres démarches de la personne", "Lettre recommandée avec avis de réception du ",
            "temoin n'a pas assisté à ces démarches",
            "6 tentatives faites automatiquement par le logiciel temoin",
            "10 pages enregistrées par la personne dans son navigateur",
            "1 tentative dont l'heure est contredite par les éléments de la chaîne, comptée à part",
            "selon le serveur de la préfecture (Aucun créneau) : enregistrée 61 jours avant l'ouverture du dossier",
            "l'horloge du serveur de la préfecture était 61 jours en avance sur celle de l'ordinateur.",
            "Heures contredites : 1 tentative (voir « Heures » ci-dessus ; détail p.",
            "Où en trouver la preuve", "Relevé jour par jour, avec l'heure et le résultat de chaque tentative : p. 2 ;",
        ] {
            #expect(page1.contains(expected), "page 1 lacks: \(expected)\n\(page1)")
        }
        // The full figures are in « Les heures ».
        #expect(all.contains("l'horloge du serveur de la préfecture ("))
    }

    @Test func anImportedPageAndAnUnreachableSiteAreSaidUnconfirmed() throws {
        let opened = try #require(TimeFormat.parse("2026-11-02 08:00"))
        let (_, store) = try Self.store(opened: opened)
        let page = try Fixtures.data("legacy-aucune-plage.html")
        // Declared half a day before the case was opened, imported (recorded) half a day after it.
        try CaseBuilder.imported(
            store, at: opened.addingTimeInterval(-Self.day / 2), page: page, name: "page.html", recordedAfter: Self.day)
        try CaseBuilder.captured(
            store, at: opened.addingTimeInterval(3 * Self.day), page: nil,
            failure: NetworkFailure(kind: "timeout", message: "Timeout", curlCode: 28))
        let (page1, all, data) = try Self.dossier(store, now: opened.addingTimeInterval(4 * Self.day))
        #expect(data.time.contradicted == 0 && data.time.corroborated == 0)
        #expect(
            page1.contains(
                "Heures : 2 non confirmées par un élément indépendant (page importée, heure déclarée : 1 ; site injoignable : 1)."
            ))
        #expect(!page1.contains("dont l'heure est contredite"))
        #expect(!page1.contains("concorde"), "no server clock: no agreement is claimed")
        #expect(all.contains("Dans ce registre : 0 heure confirmée, 2 non confirmées, 0 contredite."))
    }

    /// An attempt holding no exchange at all (an older store's, the benchmark's) is not said to have
    /// met an unreachable site: page 1 gives its own reason.
    @Test func anAttemptWithNoExchangeRecordedIsNotSaidUnreachable() throws {
        let opened = try #require(TimeFormat.parse("2026-11-02 08:00"))
        let (_, store) = try Self.store(opened: opened)
        try CaseBuilder.captured(
            store, at: opened.addingTimeInterval(Self.day), page: nil,
            failure: NetworkFailure(kind: "timeout", message: "Timeout", curlCode: 28))
        try CaseBuilder.captured(store, at: opened.addingTimeInterval(2 * Self.day), page: nil)
        let (page1, _, data) = try Self.dossier(store, now: opened.addingTimeInterval(3 * Self.day))
        #expect(data.time.uncorroborated.unreachable == 1 && data.time.uncorroborated.noExchangeRecorded == 1)
        #expect(
            page1.contains(
                "Heures : 2 non confirmées par un élément indépendant (site injoignable : 1 ; aucun échange HTTP enregistré avec la tentative : 1)."
            ), "\(page1)")
    }

    static let tsa: LocalTSA? = try? LocalTSA()

    /// Seals taken by the test TSA before and after attempts (as `TimeSealTests`): page 1 gives the
    /// windows and the attempt without one, and an entry outside its window is listed as contradicted.
    @Test func sealWindowsAndAnEntryOutsideItsWindowAreOnPageOne() throws {
        let tsa = try #require(Self.tsa, "the test TSA (openssl + python3) did not start")
        let t = try TimedStore()
        func seal() throws {
            let outcomes = try Sealer(store: t.store).seal(urls: [tsa.url("good")])
            try #require(outcomes.allSatisfy { $0.seal != nil }, "\(outcomes.compactMap(\.error))")
        }
        try seal()  // A, of the case
        try t.captured(at: Date())  // #2: the server's clock agrees; names A
        try seal()  // B, of #2
        try t.captured(at: Date(), answered: false)  // #3: no answer; between B and C
        try seal()  // C, of #3
        try t.captured(at: Date(), clockOff: 240, answered: false)  // #4: recorded after D certified it
        try seal()  // D, of #4
        try t.captured(at: Date(), clockOff: -240, answered: false)  // #5: recorded before D; no seal after
        let (page1, all, data) = try Self.dossier(t.store, now: Date().addingTimeInterval(600))
        #expect(data.time.contradictedSeqs == [4, 5])
        #expect(data.statistics.setAside == [4, 5])
        #expect(
            page1.contains(
                "Heures : pour 1 des 4 tentatives, l'horloge du serveur de la préfecture concorde avec l'ordinateur à"))
        #expect(page1.contains("1 tentative sans heure du serveur est encadrée de près par des jetons d'horodatage"))
        #expect(
            page1.contains("2 tentatives dont l'heure est contredite par les éléments de la chaîne, comptées à part"))
        // #4 lies outside its window: recorded after the seal that certified it existed.
        let four = try #require(page1.range(of: "n° 4, datée du").map { String(page1[$0.lowerBound...].prefix(700)) })
        #expect(four.contains("après que l'autorité d'horodatage http://"), "\(four)")
        #expect(four.contains("a certifié que l'entrée n° 4 existait déjà"), "\(four)")
        let five = try #require(page1.range(of: "n° 5, datée du").map { String(page1[$0.lowerBound...].prefix(400)) })
        #expect(five.contains("avant l'heure du scellement"))
        #expect(!page1.contains("n° 3, datée du"), "#3 lies inside its window: not contradicted")
        // The seal-window line: three attempts between two seals, the first and last named, #5 without.
        let line = try #require(
            page1.range(of: "Jetons d'horodatage : ").map { String(page1[$0.lowerBound...].prefix(400)) })
        #expect(
            line.hasPrefix("Jetons d'horodatage : 3 tentatives sont encadrées par deux jetons (n° 2 entre "), "\(line)")
        // The authority named by its URL, as in #4's problem above.
        #expect(line.contains(" selon \(tsa.url("good")) ; n° 4 entre "), "\(line)")
        #expect(line.contains("selon \(tsa.url("good"))) ; sans fenêtre : n° 5 (p. "), "\(line)")
        // (The PDF's text may break the URL's line after "//".)
        let fourJoined = four.replacingOccurrences(of: "// ", with: "//")
        #expect(fourJoined.contains("l'autorité d'horodatage \(tsa.url("good")) a certifié"), "\(four)")
        // The time section lists every window, and the method's tally counts this store.
        #expect(all.contains("n° 3 : entre "))
        #expect(all.contains("Dans ce registre : 2 heures confirmées, 0 non confirmée, 2 contredites."))
    }

    @Test func statusLeavesAContradictedAttemptOutOfItsSpreadAndSaysSo() throws {
        let opened = try #require(TimeFormat.parse("2026-11-02 08:00"))
        let (_, store) = try Self.store(opened: opened)
        let page = try Fixtures.data("legacy-aucune-plage.html")
        let real = [opened.addingTimeInterval(3600), opened.addingTimeInterval(8 * Self.day)]
        try CaseBuilder.captured(store, at: real[0], page: page, serverAt: real[0])
        // A month ahead: a third week that never was.
        try CaseBuilder.captured(store, at: real[1].addingTimeInterval(30 * Self.day), page: page, serverAt: real[1])
        let status = try CaseStatus.compute(path: store.path, now: real[1].addingTimeInterval(Self.day))
        #expect(status.statistics.setAside == [3])
        #expect(status.statistics.days.count == 1 && status.statistics.weeks.count == 1)
        #expect(status.statistics.attempts == 2)
        #expect(status.text.contains("(1 attempt whose time is contradicted left out of days, weeks and hours: #3)"))
    }
}
