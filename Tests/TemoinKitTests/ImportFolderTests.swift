import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// `import FOLDER`: every page at any depth, a "complete" save as one page, every other file reported
/// with why; a missing folder is not an empty one; the page's own address is kept beside `--url`.
@Suite struct ImportFolderTests {
    @Test func aFolderIsWalkedToAnyDepthAndEverySkippedFileIsNamed() throws {
        let dir = try Fixtures.downloads()
        let plan = ImportPlan([dir.path])
        let names = plan.pages.map { String($0.dropFirst(dir.path.count + 1)) }
        #expect(
            names == [
                "2026-11/archive.mhtml", "2026-11/complet/Prendre un rendez-vous.html", "2026-11/lundi/creneau.html",
                "2026-11/mardi/semaine.htm",
            ])
        let skipped = Dictionary(
            uniqueKeysWithValues: plan.skipped.map { (String($0.path.dropFirst(dir.path.count + 1)), $0.reason) })
        #expect(
            skipped == [
                "2026-11/.DS_Store": .hiddenFile, "2026-11/notes.txt": .notAPage,
                "2026-11/orphelin_files": .orphanResources, "2026-11/raccourci": .symbolicLink,
            ])
        #expect(plan.emptyFolders.isEmpty)

        let (_, store) = try makeStore()
        var seen: [ImportFileReport] = []
        let report = try Importer(store: store).importFiles([dir.path], options: ImportOptions()) { seen.append($0) }
        #expect(report.exitStatus == .success)
        #expect(report.recorded == 4)
        #expect(seen.count == 8)
        let complete = try #require(report.files.first { $0.file.hasSuffix("Prendre un rendez-vous.html") })
        let entry = try store.entry(seq: try #require(complete.seq))
        #expect(entry.body?.captures?.filter { $0.role == "resource" }.count == 2)
    }

    @Test func aMissingFolderIsNotAnEmptyOne() throws {
        let (_, store) = try makeStore()
        let dir = TempDir()
        let missing = try Importer(store: store).importFiles([dir.file("Téléchargements")], options: ImportOptions())
        #expect(missing.exitStatus == .inputRefused)
        #expect(missing.files.first?.error == TemoinError.fileMissing(path: dir.file("Téléchargements")).description)

        let empty = dir.file("vide")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let r = try Importer(store: store).importFiles([empty], options: ImportOptions())
        #expect(r.exitStatus == .inputRefused)
        #expect(r.files.count == 1)
        #expect(r.files[0].error == tr("import.folder_empty", ["path": empty]))
        #expect(
            r.files[0].error?.contains("n'existe pas") != true && r.files[0].error?.contains("does not exist") != true)

        dir.write("notes/a-lire.txt", "rien")
        let notes = try Importer(store: store).importFiles([dir.file("notes")], options: ImportOptions())
        #expect(notes.files.map(\.status) == [.skipped, .refused])
        #expect(notes.files[1].error == tr("import.folder_without_page", ["path": dir.file("notes")]))
        #expect(try store.head()?.seq == 1)
    }

    @Test func thePagesOwnAddressIsKeptBesideURLAndTheRulesFollowIt() throws {
        let (_, store) = try makeStore()
        let given = "https://www.val-de-marne.gouv.fr/booking/create/4963/1"
        var options = ImportOptions()
        options.url = given
        let r = try Importer(store: store).importFile(Fixtures.page("rdv-creneau-aucun.html"), options: options)
        let body = try #require(r.entry?.body)
        #expect(body.url == given)
        #expect(body.source?.urlSource == "option")
        #expect(body.source?.declaredURL == Fixtures.rdv)
        #expect(body.source?.declaredURLSource == "saved_from_comment")
        #expect(body.source?.profileBasis == .pageAddress)
        #expect(body.profile == "rdv-prefecture")
        #expect(r.warnings.map(\.kind) == [.originMismatch])
        #expect(r.warnings.first?.text.contains(Fixtures.rdv) == true)
        #expect(r.warnings.first?.text.contains(given) == true)
        // The address is the person's, not the booking system's: its rules say so rather than count it.
        #expect(body.outcome == .unexpected)
        #expect(body.setAside?.first?.reason == .otherSite)

        // The same address given as the page's own: no warning, nothing declared twice.
        options.url = Fixtures.rdv + "/"
        let same = try Importer(store: store).importFile(Fixtures.page("rdv-creneau-semaine.html"), options: options)
        #expect(same.warnings.isEmpty)
        #expect(same.analysis.outcome == .noSlot)
    }

    @Test func withoutAnAddressInThePageItsStructureChoosesTheProfile() throws {
        let dir = TempDir()
        // A legacy-module page saved without its address, imported with an RDV Préfecture --url.
        let html = try String(decoding: Fixtures.data("legacy-aucune-plage.html"), as: UTF8.self)
            .replacingOccurrences(
                of: "<!-- saved from url=(0054)https://www.val-de-marne.gouv.fr/booking/create/4963/1 -->", with: "")
        let path = dir.write("page.html", html)
        let store = try Store.create(at: dir.file("s.sqlite"), case: Fixtures.sampleCase)
        var options = ImportOptions()
        options.url = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/"
        let r = try Importer(store: store).importFile(path, options: options)
        #expect(r.profile == "prefecture-legacy")
        #expect(r.profileBasis == .pageStructure)
        #expect(r.analysis.rule == "prefecture-legacy/legacy-no-slot")
        #expect(r.warnings.isEmpty)
    }

    @Test func theCasesProfileWinsAndIsSaidSo() throws {
        let dir = TempDir()
        var fields = Fixtures.sampleCase
        fields.profile = "generic"
        let store = try Store.create(at: dir.file("s.sqlite"), case: fields)
        let r = try Importer(store: store).importFile(Fixtures.page("rdv-creneau-aucun.html"), options: ImportOptions())
        #expect(r.profile == "generic")
        #expect(r.profileBasis == .caseProfile)
    }
}
