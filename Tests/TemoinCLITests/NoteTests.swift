import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// `temoin note`: a dated note about an entry, in the chain (docs/FORMAT.md §4).
@Suite struct NoteTests {
    @Test func aNoteIsAnEntryBothVerifiersAccept() throws {
        let (dir, store) = try CaseBuilder.makeCase()
        // Before: status reminds that a slot was seen and nothing was said about it.
        func rules() throws -> [String] {
            let json = try temoin(["status", "--json"], store: store)
            let status = try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any]
            return (status?["advice"] as? [[String: Any]])?.compactMap { $0["rule"] as? String } ?? []
        }
        #expect(try rules().contains("slot_seen_earlier"))
        // Entry 10 is the slot of 9 November: a note about it is a follow-up.
        let r = try temoin(
            [
                "note", "10",
                "J'ai cliqué sur le créneau à 00:03 ; la page a répondu qu'il n'était plus libre.\nJ'ai réessayé le lendemain.",
                "--at", "2026-11-09 00:03", "--json",
            ], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any])
        #expect(out["seq"] as? Int == 12 && out["about"] as? Int == 10 && out["kind"] as? String == "follow_up")
        #expect(!(try rules()).contains("slot_seen_earlier"))
        let comment = try temoin(["note", "3", "Capture faite depuis le téléphone de ma sœur."], store: store)
        #expect(comment.status == 0)
        #expect(comment.stdout.contains("#13") && comment.stdout.contains("#3"))
        // In the chain: both verifiers say intact, and count only attempts as attempts.
        let verify = try temoin(["verify", "--json"], store: store)
        #expect(verify.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: verify.stdoutData) as? [String: Any])
        #expect(report["entries"] as? Int == 13 && report["attempts"] as? Int == 10)
        let (status, reference) = try referenceVerify(store)
        #expect(status == 0)
        #expect(reference["entries"] as? Int == 13 && reference["attempts"] as? Int == 10)
        // The body, byte for byte as FORMAT.md §4 says.
        let entry = try Store.open(at: store, readOnly: true).entry(seq: 12)
        let body = String(decoding: entry.bodyBytes, as: UTF8.self)
        #expect(body.contains(#""about":10"#) && body.contains(#""kind":"follow_up""#))
        #expect(body.contains(#""occurred_at":"2026-11-08T23:03:00.000Z""#))
        #expect(
            body.contains(
                #""text":"J'ai cliqué sur le créneau à 00:03 ; la page a répondu qu'il n'était plus libre.\nJ'ai réessayé le lendemain.""#
            ))
        #expect(body.contains(#""type":"note""#))
        // log and show present it.
        let log = try temoin(["log", "--lang", "en"], store: store)
        #expect(log.stdout.contains("Note about #10: J'ai cliqué sur le créneau"))
        let show = try temoin(["show", "12", "--lang", "fr"], store: store)
        #expect(show.stdout.contains("Au sujet de l'entrée") && show.stdout.contains("suite donnée à un créneau"))
        // The dossier shows it in the slot's section, dated, in the person's words.
        let dossier = dir.file("out")
        #expect(
            try temoin(["dossier", "--out", dossier, "--lang", "fr", "--no-page-images"], store: store).status == 0)
        let pj1 = try #require(
            try FileManager.default.contentsOfDirectory(atPath: dossier).first { $0.hasPrefix("PJ1") })
        let text = CaseBuilder.flat(try CaseBuilder.pdftotext(dossier + "/" + pj1))
        #expect(
            text.contains(
                "« J'ai cliqué sur le créneau à 00:03 ; la page a répondu qu'il n'était plus libre. J'ai réessayé le lendemain. »"
            ))
        #expect(text.contains("sur des faits qu'elle date du lundi 9 novembre 2026 à 00:03 : « J'ai cliqué"))
        #expect(text.contains("(n° 10) : 1 note de la personne sur la suite"))
    }

    @Test func badNotesAreRefusedAndNothingIsWritten() throws {
        let (_, store) = try CaseBuilder.makeCase()
        for (args, message) in [
            (["note", "99", "texte"], "99"), (["note", "2", "   "], "empty"),
            (["note", "2", "deux\u{1B}[2Jlignes"], "U+001B"), (["note", "2", "x", "--at", "2099-01-01 10:00"], "2099"),
            (["note", "2", "x", "--kind", "alarm"], "kind"),
        ] {
            let r = try temoin(args + ["--lang", "en"], store: store)
            #expect(r.status == 64, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
        #expect(try Store.open(at: store, readOnly: true).entries().count == 11)
    }

    @Test func notesFromALaterVersionAndStoresWithoutNotesStayValid() throws {
        // A store made before notes existed verifies and makes a dossier as before.
        let (dir, store) = try makeStore()
        let page = try Fixtures.data("legacy-aucune-plage.html")
        try CaseBuilder.captured(store, at: TimeFormat.parse("2026-11-02 10:00")!, page: page)
        #expect(try store.notes().isEmpty)
        #expect(try temoin(["verify"], store: store.path).status == 0)
        // A note of a kind this version does not know (a later version's alert) reads as a plain note.
        _ = try store.append(type: .note) { body in
            body.about = 2
            body.kind = NoteKind(rawValue: "alert")
            body.text = "Alerte : créneau publié"
        }
        let notes = try store.notes()
        #expect(notes.count == 1 && notes[0].kind.rawValue == "alert")
        #expect(try temoin(["verify"], store: store.path).status == 0)
        #expect(try referenceVerify(store.path).0 == 0)
        #expect(try temoin(["log"], store: store.path).stdout.contains("Alerte : créneau publié"))
        _ = dir
    }

    @Test func theTextIsCheckedBeforeAnythingIsWritten() throws {
        #expect(try NoteText.validated("  ligne 1\r\nligne 2\t!  ") == "ligne 1\nligne 2\t!")
        #expect(throws: TemoinError.self) { try NoteText.validated("\u{85}") }
        #expect(throws: TemoinError.self) { try NoteText.validated(String(repeating: "a", count: 4001)) }
        let (_, store) = try makeStore()
        let entry = try store.addNote(about: 1, text: "Dossier ouvert avec l'aide de la permanence.")
        #expect(entry.body?.kind == .comment && entry.body?.about == 1)
    }
}
