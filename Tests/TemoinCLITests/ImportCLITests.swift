import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// `temoin import` as a person runs it: what it says about folders, skipped files and addresses.
@Suite(.serialized) struct ImportCLITests {
    @Test func aFolderIsImportedWithEverySkippedFileNamedInTheUsersLanguage() throws {
        let dir = try Fixtures.downloads()
        let work = TempDir()
        let store = work.file("temoin.sqlite")
        #expect(try temoin(Fixtures.initArguments, store: store).status == 0)
        let r = try temoin(["import", dir.path, "--lang", "fr"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Laissé de côté : \(dir.file("2026-11/notes.txt")) (pas une page enregistrée"))
        #expect(r.stdout.contains("lien symbolique, non suivi"))
        #expect(r.stdout.contains("4 fichiers laissés de côté"))
        #expect(r.stdout.components(separatedBy: "n° ").count - 1 == 4, "\(r.stdout)")

        let json = try temoin(["import", dir.path, "--json"], store: store)
        let lines = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [[String: Any]])
        #expect(lines.filter { $0["status"] as? String == "skipped" }.count == 4)
        #expect(lines.filter { $0["status"] as? String == "duplicate" }.count == 4)
        #expect(lines.contains { $0["skip_reason"] as? String == "orphan_resources" })
    }

    @Test func aMissingFolderAndAnEmptyOneAreToldApart() throws {
        let work = TempDir()
        let store = work.file("temoin.sqlite")
        #expect(try temoin(Fixtures.initArguments, store: store).status == 0)
        let missing = try temoin(["import", work.file("Téléchargements")], store: store)
        #expect(missing.status == 4)
        #expect(missing.stderr.contains("does not exist"))
        try FileManager.default.createDirectory(atPath: work.file("vide"), withIntermediateDirectories: true)
        let empty = try temoin(["import", work.file("vide")], store: store)
        #expect(empty.status == 4)
        #expect(empty.stderr.contains("is empty"))
        #expect(!empty.stderr.contains("does not exist"))
    }

    @Test func aContradictingURLIsKeptBesideThePagesAndWarnedAbout() throws {
        let work = TempDir()
        let store = work.file("temoin.sqlite")
        #expect(try temoin(Fixtures.initArguments, store: store).status == 0)
        let given = "https://www.val-de-marne.gouv.fr/booking/create/4963/1"
        let r = try temoin(["import", Fixtures.page("rdv-creneau-aucun.html"), "--url", given], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("the page says it was saved from \(Fixtures.rdv)"))
        #expect(r.stderr.contains("--url gives \(given)"))
        let show = try temoin(["show", "2"], store: store)
        #expect(show.stdout.contains(Fixtures.rdv))
        #expect(show.stdout.contains("the address the page gives"))
        #expect(show.stdout.contains("Not counted, the page belongs to another site"))
    }
}
