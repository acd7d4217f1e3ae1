import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// `temoin step add` in a terminal: the questions the options leave out, one at a time, each checked.
@Suite(.serialized) struct StepTerminalTests {
    func answer(_ term: PseudoTerminal, after prompt: String, from mark: Int = 0, with text: String) -> Bool {
        let found = term.read(until: prompt, from: mark)
        term.type(text)
        return found
    }

    @Test func guidedStepAddAsksWhatWasDoneTheFilesTheDateAndTheTrackingNumber() throws {
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        try #require(try temoin(Fixtures.initArguments, store: store).status == 0)
        let notImage = dir.write("photo-lettre.jpg", Data("<html>pas une photo</html>".utf8))
        let term = try PseudoTerminal()
        let p = try term.launch(["step", "add", "--store", store])
        #expect(term.read(until: "5 question(s)"))
        var mark = term.transcript.count
        #expect(answer(term, after: "Type its number", with: "9"))
        #expect(term.read(until: "Type a number from 1 to 7.", from: mark))
        term.type("1")  // a registered letter
        mark = term.transcript.count
        #expect(answer(term, after: "Files that prove it", from: mark, with: "'\(notImage)'"))
        #expect(term.read(until: "the name says image, but the file holds a web page", from: mark))
        mark = term.transcript.count
        term.type(StepFixtures.path("lettre-prefet.pdf").replacingOccurrences(of: " ", with: "\\ "))
        #expect(term.read(until: "Kept: lettre-prefet.pdf (a PDF document).", from: mark))
        term.type("")
        mark = term.transcript.count
        #expect(answer(term, after: "When? (e.g. 03/11/2026", from: mark, with: "03/11/2099"))
        #expect(term.read(until: "2099-11-03", from: mark))
        mark = term.transcript.count
        term.type("03/11/2026")
        #expect(answer(term, after: "To whom?", from: mark, with: "Monsieur le Préfet du Val-de-Marne"))
        mark = term.transcript.count
        #expect(answer(term, after: "what did you ask or say?", from: mark, with: ""))
        #expect(term.read(until: "This answer is needed.", from: mark))
        term.type("Demande de rendez-vous pour déposer ma demande")
        mark = term.transcript.count
        #expect(answer(term, after: "tracking number", from: mark, with: "1A 0123 4567 890"))
        mark = term.transcript.count
        #expect(answer(term, after: "(preuve de dépôt)", from: mark, with: StepFixtures.path("preuve-de-depot.png")))
        #expect(term.read(until: "Kept: preuve-de-depot.png (a PNG image).", from: mark))
        term.type("")
        #expect(term.read(until: "Head of the chain"))
        term.read()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(term.text)")
        #expect(term.text.contains("Recorded #2: Registered letter of 2026-11-03 (date declared by the applicant)."))
        let step = try #require(try Store.open(at: store, readOnly: true).entry(seq: 2).body?.step)
        #expect(step.kind == .registeredLetter && step.date == StepDate(day: "2026-11-03"))
        #expect(step.to == "Monsieur le Préfet du Val-de-Marne" && step.trackingNumber == "1A01234567890")
        let roles = try Store.open(at: store, readOnly: true).entry(seq: 2).body?.captures?.map(\.role)
        #expect(roles == ["document", "postal_receipt"])
    }

    @Test func guidedStepAddInFrenchTakesTheEmailsDateOnEnter() throws {
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        try #require(try temoin(Fixtures.initArguments, store: store).status == 0)
        let term = try PseudoTerminal()
        let p = try term.launch(
            [
                "step", "add", "--lang", "fr", "--store", store, "--kind", "email", "--offline", "--file",
                StepFixtures.path("accuse-reception.eml"),
            ])
        #expect(term.read(until: "3 question(s)"))
        #expect(answer(term, after: "Entrée : le champ Date du courriel", with: ""))
        #expect(answer(term, after: "À qui ?", with: ""))
        #expect(answer(term, after: "qu'avez-vous demandé ou dit ?", with: "Réponse automatique de la préfecture"))
        term.read()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(term.text)")
        #expect(term.text.contains("Enregistré n° 2 : Courriel du 2026-11-10 09:12 (champ Date du courriel)."))
        #expect(!term.text.contains("numéro de suivi"), "no tracking question for an e-mail")
    }
}
