import Foundation
import TestSupport
import Testing

@testable import TemoinKit

@Suite struct ImportTests {
    static let creneau = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/"

    @Test func aSavedPageBecomesAnImportedAttemptWithItsURLAndDeclaredTime() throws {
        let (_, store) = try makeStore()
        let r = try Importer(store: store).importFile(Fixtures.page("rdv-creneau-aucun.html"), options: ImportOptions())
        let body = try #require(r.entry?.body)
        #expect(body.type == .attempt)
        #expect(body.provenance == .imported)
        #expect(body.url == Self.creneau)
        #expect(body.source?.urlSource == "saved_from_comment")
        #expect(body.timeBasis == .fileModificationTime)
        #expect(body.observedAt == body.source?.fileModifiedAt)
        #expect(body.outcome == .noSlot)
        #expect(body.profile == "rdv-prefecture")
        #expect(body.facts?.lastPublication?.at == "2026-11-18T09:00")
        let page = try #require(body.captures?.first)
        #expect(page.role == "page")
        #expect(try store.captureBytes(digest: page.digest) == Fixtures.data("rdv-creneau-aucun.html"))
    }

    @Test func urlSourcesAreRecorded() throws {
        let (_, store) = try makeStore()
        let importer = try Importer(store: store)
        let canonical = try importer.importFile(Fixtures.page("rdv-creneau-semaine.html"), options: ImportOptions())
        #expect(canonical.entry?.body?.source?.urlSource == "canonical_link")
        let mhtml = try importer.importFile(Fixtures.page("single-file.mhtml"), options: ImportOptions())
        #expect(mhtml.entry?.body?.source?.urlSource == "mhtml_header")
        #expect(mhtml.entry?.body?.url == Self.creneau)
        #expect(mhtml.entry?.body?.outcome == .noSlot)
        // The archive as saved is kept beside the HTML it contains.
        #expect(mhtml.entry?.body?.captures?.map(\.role) == ["page", "saved_file"])
    }

    @Test func aPageWithoutURLAsksForOneAndAcceptsTheOption() throws {
        let (_, store) = try makeStore()
        let importer = try Importer(store: store)
        let path = Fixtures.page("sans-url.html")
        #expect(throws: TemoinError.noURL(path: path)) { try importer.importFile(path, options: ImportOptions()) }
        let observed = try #require(TimeFormat.parse("2026-11-19T07:58"))
        let r = try importer.importFile(path, options: ImportOptions(url: Self.creneau, observedAt: observed))
        #expect(r.entry?.body?.source?.urlSource == "option")
        #expect(r.entry?.body?.timeBasis == .declared)
        #expect(r.entry?.body?.observedAt == "2026-11-19T06:58:00.000Z")
        #expect(r.entry?.body?.outcome == .noSlot)
    }

    @Test func aCompleteSaveKeepsItsResourceFolder() throws {
        let (_, store) = try makeStore()
        let r = try Importer(store: store).importFile(
            Fixtures.page("complete/Prendre un rendez-vous.html"), options: ImportOptions())
        let captures = try #require(r.entry?.body?.captures)
        #expect(captures.first?.role == "page")
        #expect(
            Set(captures.dropFirst().compactMap(\.name))
                == [
                    "Prendre un rendez-vous_files/logo.svg", "Prendre un rendez-vous_files/marianne.png",
                    "Prendre un rendez-vous_files/style.css",
                ])
        #expect(captures.dropFirst().allSatisfy { $0.role == "resource" })
    }

    @Test func theSamePageAtTheSameTimeIsNotCountedTwice() throws {
        let (_, store) = try makeStore()
        let importer = try Importer(store: store)
        let path = Fixtures.page("legacy-aucune-plage.html")
        let first = try importer.importFile(path, options: ImportOptions())
        let again = try importer.importFile(path, options: ImportOptions())
        #expect(again.entry == nil)
        #expect(again.duplicateOf == first.entry?.seq)
        // The same page observed at another time is another attempt.
        let later = try importer.importFile(
            path, options: ImportOptions(observedAt: try #require(TimeFormat.parse("2026-11-21T14:05"))))
        #expect(later.entry?.seq == 3)
        #expect(try store.entries().count == 3)
    }

    @Test func refusedFilesSayWhyAndRecordNothing() throws {
        let (dir, store) = try makeStore()
        let importer = try Importer(store: store)
        let cases: [(String, (TemoinError) -> Bool)] = [
            (Fixtures.page("empty.html"), { if case .fileEmpty = $0 { true } else { false } }),
            (Fixtures.page("binary.png"), { if case .notHTML(_, "PNG") = $0 { true } else { false } }),
            (Fixtures.page("not-html.txt"), { if case .notHTML = $0 { true } else { false } }),
            (dir.file("absent.html"), { if case .fileMissing = $0 { true } else { false } }),
            (Fixtures.page("complete"), { if case .notHTML = $0 { true } else { false } }),
        ]
        for (path, check) in cases {
            do {
                _ = try importer.importFile(path, options: ImportOptions())
                Issue.record("\(path) was accepted")
            } catch let error as TemoinError {
                #expect(check(error), "\(path): \(error)")
                #expect(error.exitCode == 4)
                #expect(error.description.contains(path))
            }
        }
        #expect(try store.entries().count == 1)
    }

    @Test func filesOverTheSizeCapAreRefused() throws {
        let (_, store) = try makeStore()
        let path = Fixtures.page("rdv-creneau-aucun.html")
        #expect(throws: TemoinError.self) {
            try Importer(store: store).importFile(path, options: ImportOptions(maxSize: 1000))
        }
        let size = try Fixtures.data("rdv-creneau-aucun.html").count
        #expect(try Importer(store: store).importFile(path, options: ImportOptions(maxSize: Int64(size))).entry != nil)
    }

    @Test func aFutureDateIsRefused() throws {
        let (_, store) = try makeStore()
        let tomorrow = Date().addingTimeInterval(86_400)
        let error = #expect(throws: TemoinError.self) {
            try Importer(store: store).importFile(
                Fixtures.page("rdv-creneau-aucun.html"), options: ImportOptions(observedAt: tomorrow))
        }
        guard case .dateInFuture = error else {
            Issue.record("expected dateInFuture, got \(String(describing: error))")
            return
        }
    }

    @Test func directoriesExpandToTheirSavedPages() {
        let expanded = Importer.expand([Fixtures.page("complete")])
        #expect(expanded.map { ($0 as NSString).lastPathComponent } == ["Prendre un rendez-vous.html"])
    }

    @Test func savedFromCommentsAreReadExactly() {
        let page = Data(
            "<!-- saved from url=(0054)https://www.val-de-marne.gouv.fr/booking/create/4963/1 -->\n<html><p>x</p></html>"
                .utf8)
        #expect(SavedPage.embeddedURL(page)?.0 == "https://www.val-de-marne.gouv.fr/booking/create/4963/1")
        let local = Data("<!-- saved from url=(0014)about:internet -->\n<html><p>x</p></html>".utf8)
        #expect(SavedPage.embeddedURL(local) == nil)
    }
}

@Suite struct ProfileFileTests {
    @Test func aCustomRuleFileDecidesTheOutcome() throws {
        let dir = TempDir()
        let rules = dir.write(
            "essonne.json",
            #"{"id":"essonne-2026","name":"Essonne","url_patterns":[],"rules":[{"id":"no-slot","outcome":"no_slot","text":["Bonjour les créneaux sont épuisés"]}]}"#
        )
        let page = dir.write(
            "page.html", "<html><body><p>BONJOUR les  créneaux sont épuisés.</p></body></html>")
        let (_, store) = try makeStore()
        var options = ImportOptions(url: "https://www.essonne.gouv.fr/rdv/")
        options.ruleSet = try RuleSet.load(url: URL(fileURLWithPath: rules))
        let r = try Importer(store: store).importFile(page, options: options)
        #expect(r.entry?.body?.rule == "essonne-2026/no-slot")
        #expect(r.entry?.body?.outcome == .noSlot)
        #expect(r.entry?.body?.profile == "essonne-2026")
        // The same page under the built-in generic rules is not recognised.
        let plain = try Importer(store: store).importFile(
            page, options: ImportOptions(url: "https://www.essonne.gouv.fr/rdv/", observedAt: Date()))
        #expect(plain.entry?.body?.outcome == .unexpected)
    }

    @Test func anInvalidRuleFileIsRefusedThroughTheCLI() throws {
        let dir = TempDir()
        let rules = dir.write(
            "bad.json",
            #"{"id":"x","name":"x","url_patterns":[],"rules":[{"id":"r","outcome":"no_slot","xpath":"//p["}]}"#)
        let store = dir.file("t.sqlite")
        #expect(try temoin(Fixtures.initArguments, store: store).status == 0)
        let r = try temoin(
            ["import", "--profile-file", rules, Fixtures.page("legacy-aucune-plage.html")], store: store)
        #expect(r.status == 4)
        #expect(r.stderr.contains("PROFILES.md") && r.stderr.contains("rule r"))
        #expect(try Store.open(at: store, readOnly: true).entries().count == 1)
    }

    @Test func aBatchSaysEachFileAsItIsDoneAndAClockInDoubtOnce() throws {
        let (dir, store) = try makeStore()
        let pages = [Fixtures.page("rdv-creneau-aucun.html"), Fixtures.page("legacy-aucune-plage.html")]
        // Recorded by a computer whose clock is a month behind: before the case, which the chain contradicts.
        let behind = { Date().addingTimeInterval(-30 * 86_400) }
        let options = ImportOptions(observedAt: behind().addingTimeInterval(-3_600))
        var said: [Utterance] = []
        let importer = try Importer(store: store)
        let report = try importer.importFiles(
            pages + [dir.file("missing.html")], options: options, json: false, now: behind
        ) { said += $0 }
        #expect(report.recorded == 2)
        let doubts = report.files.compactMap { importer.clockDoubt($0) }
        try #require(doubts.count == 2)
        let asides = said.filter { if case .aside = $0 { true } else { false } }
        #expect(!asides.isEmpty)
        #expect(asides == AttemptText.timeWarnings(doubts[0]))
        #expect(said.first == .line(ImportText.lines(report.files[0]).out[0]))
        #expect(said.last == .problem(try #require(report.files.last?.error)))
        // With --json the report says it all; only the clock's doubt is said, on standard error.
        let (_, other) = try makeStore()
        var quiet: [Utterance] = []
        _ = try Importer(store: other).importFiles(pages, options: options, json: true, now: behind) { quiet += $0 }
        #expect(!quiet.isEmpty)
        #expect(quiet.allSatisfy { if case .aside = $0 { true } else { false } })
    }
}
