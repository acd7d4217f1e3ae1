import Foundation
import TestSupport
import Testing

@testable import TemoinKit

@Suite struct StepTests {
    /// 2026-11-20 10:00 Paris.
    static let now = TimeFormat.parse("2026-11-20T10:00")!

    @Test func datesAreReadInTheFormsPeopleTypeAndTheFutureIsRefused() throws {
        #expect(try StepDate.parse("2026-11-03", now: Self.now) == StepDate(day: "2026-11-03"))
        #expect(try StepDate.parse("3/11/2026", now: Self.now) == StepDate(day: "2026-11-03"))
        #expect(try StepDate.parse("03/11/2026 9:05", now: Self.now) == StepDate(day: "2026-11-03", time: "09:05"))
        #expect(
            try StepDate.parse("2026-11-20", now: Self.now) == StepDate(day: "2026-11-20"), "today is not the future")
        #expect(throws: TemoinError.step(.dateInFuture(value: "2026-11-21"))) {
            try StepDate.parse("21/11/2026", now: Self.now)
        }
        #expect(throws: TemoinError.step(.dateInFuture(value: "2026-11-20 11:00"))) {
            try StepDate.parse("2026-11-20 11:00", now: Self.now)
        }
        for bad in ["31/02/2026", "2026-13-01", "hier", "03/11/26", "1989-01-01", "2026-11-03 24:10"] {
            #expect(throws: TemoinError.step(.invalidDate(value: bad))) { try StepDate.parse(bad, now: Self.now) }
        }
    }

    @Test func trackingNumbersAreNormalisedAndS10CheckDigitsChecked() throws {
        #expect(try TrackingNumber.normalise("1A 012 345 6789 0") == "1A01234567890")
        #expect(try TrackingNumber.normalise("rr123456785fr") == "RR123456785FR")
        #expect(throws: TemoinError.step(.invalidTrackingNumber(value: "RR123456784FR"))) {
            try TrackingNumber.normalise("RR123456784FR")
        }
        #expect(throws: TemoinError.step(.invalidTrackingNumber(value: "12345"))) {
            try TrackingNumber.normalise("12345")
        }
        #expect(throws: TemoinError.step(.invalidTrackingNumber(value: "1A0123456789#"))) {
            try TrackingNumber.normalise("1A0123456789#")
        }
    }

    @Test func proofFilesAreRecognisedByTheirBytes() throws {
        #expect(try ProofFile.read(path: StepFixtures.path("lettre-prefet.pdf")).format == .pdf)
        #expect(try ProofFile.read(path: StepFixtures.path("preuve-de-depot.png")).format == .png)
        #expect(try ProofFile.read(path: StepFixtures.path("avis-de-reception.jpg")).format == .jpeg)
        #expect(try ProofFile.read(path: StepFixtures.path("photo-guichet.heic")).format == .heic)
        let mail = try ProofFile.read(path: StepFixtures.path("accuse-reception.eml"))
        #expect(mail.format == .email && mail.email != nil)
        // A photo whose name says .jpg but is a PNG is still an image.
        let dir = TempDir()
        let renamed = dir.write(
            "photo.jpg", try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path("preuve-de-depot.png"))))
        #expect(try ProofFile.read(path: renamed).format == .png)
    }

    @Test func whatIsNotWhatItsNameSaysIsRefusedWithTheReason() throws {
        let dir = TempDir()
        let pdf = try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path("lettre-prefet.pdf")))
        let html = Data("<!DOCTYPE html><html><body>scan</body></html>".utf8)
        let fakeImage = dir.write("scan.jpg", html)
        #expect(throws: TemoinError.step(.notAnImage(path: fakeImage, looksLike: "step.looks_like.html"))) {
            try ProofFile.read(path: fakeImage)
        }
        let pdfAsImage = dir.write("lettre.png", pdf)
        #expect(throws: TemoinError.step(.notAnImage(path: pdfAsImage, looksLike: "step.looks_like.pdf"))) {
            try ProofFile.read(path: pdfAsImage)
        }
        let fakePDF = dir.write("lettre.pdf", Data("Lettre au préfet".utf8))
        #expect(throws: TemoinError.step(.notAPDF(path: fakePDF, looksLike: "step.looks_like.text"))) {
            try ProofFile.read(path: fakePDF)
        }
        let pdfAsMail = dir.write("reponse.eml", pdf)
        #expect(throws: TemoinError.step(.notAnEmail(path: pdfAsMail, problem: .malformedLine(1), looksLike: "pdf"))) {
            try ProofFile.read(path: pdfAsMail)
        }
        let outlook = dir.write("reponse.msg", Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        #expect(throws: TemoinError.step(.outlookMessage(path: outlook))) { try ProofFile.read(path: outlook) }
        let unknown = dir.write("notes.docx", Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]))
        #expect(throws: TemoinError.step(.unsupportedFile(path: unknown, looksLike: "step.looks_like.zip"))) {
            try ProofFile.read(path: unknown)
        }
        let empty = dir.write("vide.pdf", Data())
        #expect(throws: TemoinError.step(.fileEmpty(path: empty))) { try ProofFile.read(path: empty) }
        #expect(
            throws: TemoinError.step(
                .fileTooLarge(path: StepFixtures.path("lettre-prefet.pdf"), size: Int64(pdf.count), limit: 100))
        ) {
            try ProofFile.read(path: StepFixtures.path("lettre-prefet.pdf"), maxSize: 100)
        }
        #expect(throws: TemoinError.fileMissing(path: dir.file("absent.pdf"))) {
            try ProofFile.read(path: dir.file("absent.pdf"))
        }
        // Every refusal reads as a sentence in both languages, naming the file.
        for error in [TemoinError.step(.notAnImage(path: fakeImage, looksLike: "step.looks_like.html"))] {
            for language in Language.allCases {
                let old = Messages.shared.language
                Messages.shared.language = language
                defer { Messages.shared.language = old }
                #expect(error.description.contains(fakeImage) && !error.description.contains("step."))
                #expect(error.exitCode == 4)
            }
        }
    }

    @Test func aStepAndWhatFollowedAreReadBackTogetherWithTheirDoubts() throws {
        let (_, store) = try makeStore()
        let recorder = StepRecorder(store: store, resolver: OfflineKeyResolver())
        let letter = try recorder.add(
            StepRequest(
                kind: .registeredLetter, date: StepDate(day: "2026-11-03"), to: "Monsieur le Préfet du Val-de-Marne",
                summary: "Demande de rendez-vous", trackingNumber: "1A 0123 4567 890",
                files: [StepFixtures.path("lettre-prefet.pdf")],
                postalReceipts: [StepFixtures.path("preuve-de-depot.png")]),
            now: Self.now)
        let ar = try recorder.followUp(
            FollowUpRequest(
                of: letter.seq, kind: .receiptReturned, date: StepDate(day: "2026-11-02"),
                files: [StepFixtures.path("avis-de-reception.jpg")]), now: Self.now)
        let mail = try recorder.add(
            StepRequest(
                kind: .email, date: StepDate(day: "2026-11-09"), to: "pref-etrangers@val-de-marne.test",
                summary: "Demande de rendez-vous par courriel", files: [StepFixtures.path("accuse-reception.eml")]),
            now: Self.now)
        let ledger = try StepLedger(store: store)
        #expect(ledger.records.map(\.seq) == [letter.seq, mail.seq])
        let l = ledger.records[0]
        #expect(l.trackingNumber == "1A01234567890" && l.dateBasis == .declared)
        #expect(l.proofs.map(\.role) == [.document, .postalReceipt])
        #expect(l.proofs.map(\.mediaType) == ["application/pdf", "image/png"])
        #expect(
            l.proofs[0].digest
                == sha256Hex(try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path("lettre-prefet.pdf")))))
        #expect(l.followUps.map(\.seq) == [ar.seq] && l.followUps[0].proofs.map(\.role) == [.acknowledgement])
        #expect(l.receivedOn == StepDate(day: "2026-11-02"))
        #expect(l.doubts.map(\.code) == [.followUpBeforeStep], "an avis dated before the letter was sent")
        let m = ledger.records[1]
        #expect(m.emails.count == 1 && m.emails[0].verdict == .none, "the file is not signed")
        #expect(m.emails[0].subject == "Accusé de réception de votre demande de rendez-vous")
        // The e-mail's Date is 10 November; the person said 9: shown, not smoothed over.
        #expect(m.doubts.map(\.code) == [.emailDateDiffers])
        #expect(m.doubts.first?.text.contains("2026-11-10") == true)
        #expect(ledger.lettersToPrefect.map(\.seq) == [letter.seq])
        // The bytes are the files', exactly.
        let stored = try store.captureBytes(digest: m.emails[0].digest)
        #expect(stored == (try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path("accuse-reception.eml")))))
    }

    @Test func anEmailStepTakesItsDateFromTheEmailAndSaysSo() throws {
        let (_, store) = try makeStore()
        let entry = try StepRecorder(store: store, resolver: OfflineKeyResolver()).add(
            StepRequest(
                kind: .email, date: nil, to: nil, summary: "Réponse automatique",
                files: [StepFixtures.path("accuse-reception.eml")]),
            now: Self.now)
        let step = try #require(entry.body?.step)
        #expect(step.date == StepDate(day: "2026-11-10", time: "09:12") && step.dateBasis == .emailDate)
        // Without an e-mail, a date is needed.
        #expect(throws: TemoinError.step(.missingDate)) {
            try StepRecorder(store: store, resolver: OfflineKeyResolver()).add(
                StepRequest(kind: .visit, date: nil, to: nil, summary: "Guichet fermé"), now: Self.now)
        }
    }

    @Test func refusedInputRecordsNothing() throws {
        let (dir, store) = try makeStore()
        let recorder = StepRecorder(store: store, resolver: OfflineKeyResolver())
        let before = try store.head()
        let fake = dir.write("scan.jpg", Data("pas une image".utf8))
        #expect(throws: TemoinError.self) {
            try recorder.add(
                StepRequest(
                    kind: .letter, date: StepDate(day: "2026-11-03"), to: nil, summary: "Lettre",
                    files: [StepFixtures.path("lettre-prefet.pdf"), fake]), now: Self.now)
        }
        #expect(throws: TemoinError.step(.emptySummary)) {
            try recorder.add(
                StepRequest(kind: .letter, date: StepDate(day: "2026-11-03"), to: nil, summary: "  "), now: Self.now)
        }
        #expect(throws: TemoinError.step(.trackingNotRegistered)) {
            try recorder.add(
                StepRequest(
                    kind: .letter, date: StepDate(day: "2026-11-03"), to: nil, summary: "Lettre",
                    trackingNumber: "1A01234567890"),
                now: Self.now)
        }
        #expect(throws: TemoinError.step(.notAStep(seq: 1))) {
            try recorder.followUp(
                FollowUpRequest(of: 1, kind: .answerReceived, date: StepDate(day: "2026-11-03")), now: Self.now)
        }
        #expect(try store.head() == before)
        #expect(
            try store.captureState(
                digest: sha256Hex(try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path("lettre-prefet.pdf")))))
                == .absent)
    }

    @Test func statusAdvisesARegisteredLetterToThePrefetOnlyUntilOneIsRecorded() throws {
        let stats = CaseStatistics()
        func rules(_ letters: Int?) -> [Advice.Rule] {
            CaseAdvice.evaluate(
                stats, facts: "Récépissé expiré", verdict: .intact, seals: nil, lettersToPrefect: letters
            ).map(\.rule)
        }
        #expect(rules(0).contains(.noRegisteredLetter))
        #expect(!rules(1).contains(.noRegisteredLetter))
        #expect(!rules(nil).contains(.noRegisteredLetter))
        let text = Advice(.noRegisteredLetter, .warning).text
        #expect(text.contains("préfet") && text.contains("appointment") && !text.contains("448178"))
        // Only a letter whose recipient names the préfet counts; « la préfecture » is not the préfet.
        let (_, store) = try makeStore()
        let recorder = StepRecorder(store: store, resolver: OfflineKeyResolver())
        for to in ["Préfecture du Val-de-Marne", "Bureau des étrangers"] {
            try recorder.add(
                StepRequest(kind: .registeredLetter, date: StepDate(day: "2026-11-03"), to: to, summary: "Demande"),
                now: Self.now)
        }
        #expect(try StepLedger(store: store).lettersToPrefect.isEmpty)
        try recorder.add(
            StepRequest(
                kind: .registeredLetter, date: StepDate(day: "2026-11-04"),
                to: "Monsieur le PREFET du Val-de-Marne, Préfecture, 21-29 av. du Général de Gaulle", summary: "Demande"
            ),
            now: Self.now)
        #expect(try StepLedger(store: store).lettersToPrefect.count == 1)
    }
}
