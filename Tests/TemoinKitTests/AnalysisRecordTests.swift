import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// The members the analysis adds to an entry (`description`, `visibility`, `set_aside`,
/// `source.declared_url`, `source.profile_basis`) are optional: older stores stay valid, both
/// verifiers ignore them, and an older entry's description is never shown as the page's words.
@Suite struct AnalysisRecordTests {
    @Test func bothVerifiersAcceptEntriesWithTheNewMembers() throws {
        let (dir, store) = try makeStore()
        var options = ImportOptions()
        options.url = "https://forum.vivre-en-france.example/t/4512"
        let mention = try Importer(store: store).importFile(Fixtures.page("mention-forum.html"), options: options)
        #expect(mention.entry?.body?.setAside?.isEmpty == false)
        options.url = "https://www.val-de-marne.gouv.fr/booking/create/4963/1"
        let moved = try Importer(store: store).importFile(Fixtures.page("rdv-creneau-aucun.html"), options: options)
        #expect(moved.entry?.body?.source?.declaredURL != nil)
        let slots = try Importer(store: store).importFile(
            Fixtures.page("rdv-creneaux-disponibles.html"), options: ImportOptions())
        let raw = String(decoding: try #require(slots.entry?.bodyBytes), as: UTF8.self)
        #expect(raw.contains("\"description\":") && raw.contains("\"visibility\":{\"basis\":\"markup\"}"))
        #expect(raw.contains("\"profile_basis\":\"page_address\""))

        let path = dir.file("temoin.sqlite")
        let report = try Verifier().verify(path: path)
        #expect(report.verdict == .intact, "\(report.problems)")
        let (status, json) = try referenceVerify(path)
        #expect(status == 0)
        #expect(json["verdict"] as? String == "intact")
        #expect(json["entries"] as? Int == 4)
    }

    /// An entry written before the page's words and temoin's were kept apart: a structural rule's
    /// fixed text, and a network failure's, sat in `message`.
    @Test func anOlderEntrysDescriptionIsNotShownAsThePagesWords() throws {
        let (_, store) = try makeStore()
        let slot = try store.append(type: .attempt, captures: []) { body in
            body.provenance = .captured
            body.observedAt = "2026-11-20T08:02:11.000Z"
            body.timeBasis = .witnessed
            body.url = "https://www.val-de-marne.gouv.fr/booking/create/4963/2"
            body.outcome = .slotAvailable
            body.rule = "prefecture-legacy/legacy-date-choice"
            body.message = "Le module propose une date de rendez-vous (choix de date affiché)."
            body.profile = "prefecture-legacy"
        }
        let down = try store.append(type: .attempt, captures: []) { body in
            body.provenance = .captured
            body.observedAt = "2026-11-20T09:02:11.000Z"
            body.timeBasis = .witnessed
            body.url = "https://www.val-de-marne.gouv.fr/booking/create/4963/0"
            body.outcome = .unreachable
            body.message = "Le site a refusé la connexion : Connection refused"
        }
        let noSlot = try store.append(type: .attempt, captures: []) { body in
            body.provenance = .captured
            body.observedAt = "2026-11-20T10:02:11.000Z"
            body.timeBasis = .witnessed
            body.url = "https://www.val-de-marne.gouv.fr/booking/create/4963/1"
            body.outcome = .noSlot
            body.rule = "prefecture-legacy/legacy-no-slot"
            body.message = "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous."
        }
        for entry in [slot, down] {
            let view = EntryView(entry)
            #expect(view.message == nil)
            #expect(view.description == entry.body?.message)
            #expect(!view.detail.contains("«"))
        }
        let view = EntryView(noSlot)
        #expect(view.message == noSlot.body?.message)
        #expect(view.detail.contains("« Il n'existe plus"))
        #expect(view.visibility == nil)
        // The dossier reads them the same way, and says an earlier analysis decided them.
        let data = try DossierData.load(store: store, path: store.path, from: nil, to: nil)
        // An older entry's description reaches the dossier as its text; the dossier quotes a text only
        // when the page's visible text holds it (DossierContext.isPageWords): these entries hold no page.
        #expect(data.attempts.map(\.message) == [slot.body?.message, down.body?.message, noSlot.body?.message])
        #expect(data.attempts.allSatisfy { $0.page == nil })
        #expect(data.attempts.map(\.earlierAnalysis) == [true, false, true])
    }

    @Test func everyCodeHasItsWordsInBothLanguages() {
        var keys = VisibilityDoubt.allCases.map { "visibility.doubt.\($0.rawValue)" }
        keys += SetAsideReason.allCases.map { "set_aside.reason.\($0.rawValue)" }
        keys += SkipReason.allCases.map { "skip.\($0.rawValue)" }
        keys += ProfileBasis.allCases.map { "profile_basis.\($0.rawValue)" }
        keys += ["visibility.basis.markup", "visibility.basis.browser", "visibility.basis.status"]
        let catalogue = Messages.shared.catalogue
        for key in keys {
            #expect(catalogue[key]?["fr"]?.isEmpty == false, "\(key) has no French text")
            #expect(catalogue[key]?["en"]?.isEmpty == false, "\(key) has no English text")
        }
        for language in ["fr", "en"] {
            let labels = try? String(
                contentsOf: repositoryRoot.appendingPathComponent(
                    "Sources/TemoinKit/Resources/Templates/\(language)/labels.mustache"), encoding: .utf8)
            for doubt in VisibilityDoubt.allCases {
                #expect(labels?.contains("visibility.\(doubt.rawValue) = ") == true, "\(language): \(doubt.rawValue)")
            }
        }
    }
}
