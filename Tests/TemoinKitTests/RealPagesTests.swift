import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// Pages saved by other people from the live sites, and a private alert site's pages that quote the
/// prefecture's wording (../shared/real-pages, with their provenance). They are read from there,
/// never copied into the project; the suite is skipped where the folder is absent (a clean clone).
@Suite(.enabled(if: RealPages.available)) struct RealPagesTests {
    static let noSlotSentence =
        "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. Veuillez recommencer ultérieurement."
    static let overload =
        "Service surchargé\nLe service que vous avez demandé est actuellement surchargé et/ou il n'y plus de créneaux de rendez-vous disponibles pour le moment. Veuillez réitérer votre demande ultérieurement."

    @Test func theValDOiseNoSlotPageIsNoSlotWithItsWholeSentence() throws {
        let (_, store) = try makeStore()
        let r = try Importer(store: store).importFile(
            RealPages.path("valdoise_cergy_11343_step2_noslot.html"), options: ImportOptions())
        #expect(r.analysis.outcome == .noSlot)
        #expect(r.analysis.rule == "prefecture-legacy/legacy-no-slot")
        #expect(r.analysis.message == Self.noSlotSentence)
        #expect(r.analysis.visibility == VisibilityRecord(basis: "markup"))
        #expect(r.entry?.body?.url == "https://www.val-doise.gouv.fr/booking/create/11343/2")
        #expect(r.profileBasis == .pageAddress)
    }

    @Test func theCompleteSaveIsOnePageWithItsResources() throws {
        let (_, store) = try makeStore()
        var lines: [ImportFileReport] = []
        let report = try Importer(store: store).importFiles(
            [RealPages.path("valdoise_cergy_11343_step2_complete")], options: ImportOptions()
        ) { lines.append($0) }
        #expect(report.exitStatus == .success)
        #expect(report.files.count == 1, "\(report.files.map(\.file))")
        let file = try #require(report.files.first)
        #expect(file.status == .recorded)
        #expect(file.outcome == .noSlot)
        #expect(file.message == Self.noSlotSentence)
        let entry = try store.entry(seq: try #require(file.seq))
        let resources = entry.body?.captures?.filter { $0.role == "resource" } ?? []
        let onDisk = try FileManager.default.contentsOfDirectory(
            atPath: RealPages.path(
                "valdoise_cergy_11343_step2_complete/en Préfecture de Cergy - Les services de l'État dans le Val-d'Oise_files"
            ))
        #expect(resources.count == onDisk.count)
        #expect(lines.count == report.files.count)
    }

    @Test func theOverloadPageIsASiteErrorWithHeadingAndBody() throws {
        let (_, store) = try makeStore()
        let r = try Importer(store: store).importFile(
            RealPages.path("valdoise_cergy_service_surcharge_1.htm"), options: ImportOptions())
        #expect(r.analysis.outcome == .siteError)
        #expect(r.analysis.rule == "common/common-overload-text")
        #expect(r.analysis.message == Self.overload)
    }

    static let decoys = [
        "decoy_rdvprefecturefacile_index.html", "decoy_rdvprefecturefacile_blog_strategies.html",
        "decoy_rdvprefecturefacile_blog_titre_expire.html",
    ]

    /// Under every profile, with the site's own address or a booking system's.
    @Test(arguments: decoys)
    func theAlertSitesPagesAreNeverAnOutcome(_ name: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: RealPages.path(name)))
        let own = SavedPage.embeddedURL(data)?.0 ?? "https://rdvprefecturefacile.fr/blog/\(name)"
        let addresses = [
            own, "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/",
            "https://www.val-doise.gouv.fr/booking/create/11343/2", "https://teleservices.paris.fr/rdvtitres/",
        ]
        for profile in RuleSet.builtInNames {
            for url in addresses {
                let a = PageAnalyzer(ruleSet: try RuleSet.loadBuiltIn(profile)).analyze(data, url: url)
                #expect(a.outcome == .unexpected, "\(name) [\(profile), \(url)]: \(a.outcome) by \(a.rule ?? "-")")
                #expect(a.rule == nil)
            }
        }
        // Imported as a person would: the page's own address, or none (then --url is asked for).
        let (_, store) = try makeStore()
        var options = ImportOptions()
        if SavedPage.embeddedURL(data) == nil { options.url = own }
        let r = try Importer(store: store).importFile(RealPages.path(name), options: options)
        #expect(r.analysis.outcome == .unexpected)
    }

    @Test func theBlogsSayWhyTheirQuotesAreNotCounted() throws {
        let data = try Data(
            contentsOf: URL(fileURLWithPath: RealPages.path("decoy_rdvprefecturefacile_blog_strategies.html")))
        let a = PageAnalyzer(ruleSet: try RuleSet.loadBuiltIn("generic")).analyze(
            data, url: "https://rdvprefecturefacile.fr/blog/strategies-creneaux-prefecture-pris.html")
        #expect(a.setAside.contains { $0.reason == .quoted || $0.reason == .prose })
        let mistyped = PageAnalyzer(ruleSet: try RuleSet.loadBuiltIn("rdv-prefecture")).analyze(
            data, url: "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/")
        #expect(mistyped.setAside.first?.reason == .otherSite)
        #expect(mistyped.setAside.first?.detail?.contains("rdvprefecturefacile.fr") == true)
    }

    @Test func importingTheWholeFolderReportsWhatIsNotAPage() throws {
        let (_, store) = try makeStore()
        let report = try Importer(store: store).importFiles([RealPages.folder], options: ImportOptions())
        let skipped = report.files.filter { $0.status == .skipped }
        #expect(skipped.contains { $0.file.hasSuffix("PROVENANCE.md") && $0.skipReason == .notAPage })
        // Six pages: the two Val-d'Oise pages, the same page as a complete save, the three decoys (two
        // without an address: refused, the person is asked for --url).
        #expect(report.files.filter { $0.status != .skipped }.count == 6)
        #expect(report.files.filter { $0.status == .refused }.count == 2)
        #expect(report.exitStatus == .inputRefused)
    }
}

enum RealPages {
    /// `TEMOIN_REAL_PAGES`, else `shared/real-pages` beside the repository.
    static var folder: String {
        if let env = ProcessInfo.processInfo.environment["TEMOIN_REAL_PAGES"], !env.isEmpty { return env }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/real-pages").path
    }

    static var available: Bool {
        FileManager.default.fileExists(atPath: path("valdoise_cergy_11343_step2_noslot.html"))
    }

    static func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
}
