import Foundation
import TestSupport
import Testing

@testable import TemoinKit

@Suite struct EmailMessageTests {
    @Test func theHeaderFieldsAreReadAsAPersonReadsThem() throws {
        let m = try EmailMessage(try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path("accuse-reception.eml"))))
        #expect(m.display("From") == "Préfecture du Val-de-Marne <ne-pas-repondre@val-de-marne.test>")
        #expect(m.display("Subject") == "Accusé de réception de votre demande de rendez-vous")
        #expect(m.display("To") == "Amina Diallo <amina.diallo@example.org>")
        #expect(m.field("message-id")?.value == "<20261110091244.4242@val-de-marne.test>")
        #expect(m.fromDomain == "val-de-marne.test")
        #expect(m.date.map(TimeFormat.utc) == "2026-11-10T08:12:44.000Z")
        // A folded field keeps its folding in raw, unfolded in value.
        let received = try #require(m.field("Received"))
        #expect(received.raw.contains(0x0A))
        #expect(received.value.hasSuffix("with ESMTPS id 4Zt2k81Q; Tue, 10 Nov 2026 09:12:47 +0100"))
        #expect(String(decoding: m.body, as: UTF8.self).hasPrefix("Bonjour,\r\n"))
    }

    @Test func aFileSavedWithBareLineFeedsIsReadWithCRLF() throws {
        let m = try EmailMessage(try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path("courriel-envoye.eml"))))
        #expect(m.fields.count == 6)
        #expect(m.display("Subject") == "Demande de rendez-vous - admission exceptionnelle au sejour")
        #expect(String(decoding: m.body, as: UTF8.self).hasPrefix("Madame, Monsieur,\r\n\r\n"))
        #expect(m.date.map(TimeFormat.utc) == "2026-11-09T17:03:10.000Z")
    }

    @Test func encodedWordsAreDecodedAndJoined() {
        #expect(
            EncodedWords.decode("=?UTF-8?B?UsOpcG9uc2U=?= =?UTF-8?Q?_=C3=A0_votre_courriel?=")
                == "Réponse à votre courriel")
        #expect(EncodedWords.decode("=?iso-8859-1?q?Pr=E9fecture?= de Cr\u{E9}teil") == "Préfecture de Créteil")
        #expect(EncodedWords.decode("=?x-unknown?Q?abc?= reste") == "=?x-unknown?Q?abc?= reste")
        #expect(EncodedWords.decode("Objet simple") == "Objet simple")
    }

    @Test(arguments: [
        ("Tue, 10 Nov 2026 09:12:44 +0100", "2026-11-10T08:12:44.000Z"),
        ("10 Nov 2026 09:12 -0500", "2026-11-10T14:12:00.000Z"),
        ("Tue, 10 Nov 26 09:12:44 GMT", "2026-11-10T09:12:44.000Z"),
        ("Tue,  3 Nov 2026 21:00:00 +0000 (UTC)", "2026-11-03T21:00:00.000Z"),
        ("Sun, 1 Nov 2026 10:00:00 PST", "2026-11-01T18:00:00.000Z"),
    ])
    func datesInEveryFormMailProgramsWrite(text: String, utc: String) {
        #expect(MailDate.parse(text).map(TimeFormat.utc) == utc)
    }

    @Test func hostileBytesAreRefusedOrReadNeverCrash() throws {
        #expect(MailDate.parse("1 Jan 99999999999999 00:00 +0000") == nil)
        #expect(MailDate.parse("1 Jan -5 00:00 +9999") == nil)
        let original = try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path("accuse-reception.eml")))
        let signature = Data(
            "DKIM-Signature: v=1; a=rsa-sha256; d=val-de-marne.test; s=s; c=relaxed/simple; l=99999999999; h=from:from:date; bh=; b=\r\n"
                .utf8)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            var bytes = [UInt8](signature + original)
            for _ in 0..<(1 + round % 8) {
                let i = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[i] =
                    [0x0D, 0x0A, 0x3A, 0x3B, 0x3D, 0x20, 0x00, UInt8.random(in: 0...255, using: &generator)][round % 8]
            }
            if let m = try? EmailMessage(Data(bytes)) {
                _ = StepRecorder.facts(
                    m, digest: "", resolver: OfflineKeyResolver(), knownKeys: [:], now: Date())
            }
        }
    }

    @Test func theReadableTextIsThePlainPartDecoded() throws {
        let simple = try EmailMessage(
            try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path("accuse-reception.eml"))))
        let text = try #require(simple.readableText)
        #expect(text.source == .plain && text.attachments.isEmpty)
        #expect(text.text.hasPrefix("Bonjour,\n\nNous accusons réception de votre message du 9 novembre 2026."))
        let html = Data(
            "<html><body><p>R\u{E9}ponse : <b>aucun</b> rendez-vous.</p><script>x()</script></body></html>".utf8)
        let multipart = """
            From: Bureau des etrangers <pref-etrangers@val-de-marne.test>\r
            Date: Wed, 18 Nov 2026 10:00:00 +0100\r
            Subject: =?ISO-8859-1?Q?R=E9ponse?=\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="ext"\r
            \r
            preamble\r
            --ext\r
            Content-Type: multipart/alternative; boundary=alt\r
            \r
            --alt\r
            Content-Type: text/plain; charset=ISO-8859-1\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Madame, votre demande a bien =E9t=E9 re=E7ue. Aucun cr=E9neau n'est disponib=\r
            le pour le moment.\r
            --alt\r
            Content-Type: text/html; charset=UTF-8\r
            Content-Transfer-Encoding: base64\r
            \r
            \(html.base64EncodedString())\r
            --alt--\r
            --ext\r
            Content-Type: application/pdf; name="convocation.pdf"\r
            Content-Disposition: attachment; filename="convocation.pdf"\r
            Content-Transfer-Encoding: base64\r
            \r
            JVBERi0xLjQK\r
            --ext--\r

            """
        let m = try EmailMessage(Data(multipart.utf8))
        #expect(m.display("Subject") == "Réponse")
        let read = try #require(m.readableText)
        #expect(read.source == .plain)
        #expect(read.text == "Madame, votre demande a bien été reçue. Aucun créneau n'est disponible pour le moment.")
        #expect(read.attachments == ["convocation.pdf"])
        // Only HTML: its visible text, scripts left out.
        let onlyHTML = try EmailMessage(
            Data(
                "From: a@b.test\r\nDate: Wed, 18 Nov 2026 10:00:00 +0100\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\(html.base64EncodedString())\r\n"
                    .utf8))
        let fromHTML = try #require(onlyHTML.readableText)
        #expect(
            fromHTML.source == .html && fromHTML.text.contains("Réponse : aucun rendez-vous.")
                && !fromHTML.text.contains("x()"))
    }

    @Test func impossibleDatesDoNotParse() {
        #expect(MailDate.parse("31 Feb 2026 10:00:00 +0100") == nil)
        #expect(MailDate.parse("demain matin") == nil)
        #expect(MailDate.parse("10 Nov 2026 25:00 +0100") == nil)
    }

    @Test func whatIsNotAnEmailSaysWhy() throws {
        func problem(_ data: Data) -> EmailMessage.Problem? {
            do {
                _ = try EmailMessage(data)
                return nil
            } catch { return error as? EmailMessage.Problem }
        }
        #expect(
            problem(try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path("lettre-prefet.pdf"))))
                == .malformedLine(1))
        #expect(problem(Data("<!DOCTYPE html><html><body>Courriel</body></html>".utf8)) == .malformedLine(1))
        #expect(
            problem(Data("Subject: sans expéditeur\r\nDate: Tue, 10 Nov 2026 09:12:44 +0100\r\n\r\nx".utf8))
                == .missingFrom)
        #expect(problem(Data("From: a@b.test\r\nSubject: sans date\r\n\r\nx".utf8)) == .missingDate)
        #expect(problem(Data("From: a@b.test\r\nX: \u{0}\r\n".utf8)) == .binary)
        #expect(problem(Data(" suite sans champ\r\nFrom: a@b.test\r\n".utf8)) == .malformedLine(1))
        #expect(problem(Data("\r\ncorps seul".utf8)) == .noHeader)
        // An mbox "From " line first is not a field: skipped.
        #expect(
            problem(
                Data(
                    "From amina Tue Nov 10 09:12:44 2026\nFrom: a@b.test\nDate: Tue, 10 Nov 2026 09:12:44 +0100\n\nx"
                        .utf8)) == nil)
    }
}
