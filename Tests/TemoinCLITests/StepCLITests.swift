import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// `temoin step` through the real binary: every kind of step with its files, what followed, the list,
/// `show`, `log`, both verifiers, tampering, and refused input in both languages.
@Suite(.serialized) struct StepCLITests {
    func newStore() throws -> (TempDir, String) {
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        let r = try temoin(Fixtures.initArguments, store: store)
        try #require(r.status == 0, "\(r.stderr)")
        return (dir, store)
    }

    func json(_ r: RunResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any], "\(r.stdout)\(r.stderr)")
    }

    @Test func everyKindOfStepWithItsFilesIsListedShownAndVerified() throws {
        let (dir, store) = try newStore()
        let offline = ["--offline"]
        // Before any letter, status advises one, and says what it should ask for.
        let before = try temoin(["status"], store: store)
        #expect(before.stdout.contains("No registered letter to the préfet is recorded"))
        #expect(before.stdout.contains("asking for an appointment to file your application"))
        let letter = try temoin(
            [
                "step", "add", "--kind", "registered-letter", "--date", "03/11/2026", "--to",
                "Monsieur le Préfet du Val-de-Marne", "--summary",
                "Demande de rendez-vous pour déposer ma demande de titre de séjour", "--tracking", "1A 0123 4567 890",
                "--file", StepFixtures.path("lettre-prefet.pdf"), "--receipt", StepFixtures.path("preuve-de-depot.png"),
            ], store: store)
        #expect(letter.status == 0, "\(letter.stderr)")
        #expect(
            letter.stdout.contains("Recorded #2: Registered letter of 2026-11-03 (date declared by the applicant)."))
        #expect(letter.stdout.contains("2 file(s) kept byte for byte"))
        #expect(letter.stdout.contains("temoin did not witness it"))
        let ar = try temoin(
            [
                "step", "followup", "2", "--kind", "receipt-returned", "--date", "2026-11-05", "--file",
                StepFixtures.path("avis-de-reception.jpg"),
            ], store: store)
        #expect(ar.status == 0, "\(ar.stderr)")
        #expect(ar.stdout.contains("Recorded #3: Avis de réception returned for #2, 2026-11-05"))
        let others: [[String]] = [
            [
                "--kind", "letter", "--date", "2026-10-20", "--to", "Bureau des étrangers", "--summary",
                "Lettre simple", "--file", StepFixtures.path("lettre-prefet.pdf"),
            ],
            [
                "--kind", "email", "--to", "pref-etrangers@val-de-marne.test", "--summary", "Demande par courriel",
                "--file", StepFixtures.path("courriel-envoye.eml"),
            ] + offline,
            [
                "--kind", "contact-form", "--date", "2026-10-25 21:14", "--summary", "Formulaire « Contactez-nous »",
                "--file", StepFixtures.path("preuve-de-depot.png"),
            ],
            [
                "--kind", "visit", "--date", "2026-10-28 08:30", "--to", "Guichet de la préfecture, Créteil",
                "--summary", "Guichet fermé sans rendez-vous", "--file", StepFixtures.path("photo-guichet.heic"),
            ],
            [
                "--kind", "phone-call", "--date", "2026-10-29", "--to", "Standard de la préfecture", "--summary",
                "Personne n'a répondu",
            ],
            ["--kind", "other", "--date", "2026-10-30", "--summary", "Saisine du Défenseur des droits"],
        ]
        for args in others {
            let r = try temoin(["step", "add"] + args, store: store)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        // step list: each step, what followed, the files, the e-mail's verdict.
        let list = try temoin(["step", "list"], store: store)
        #expect(list.status == 0)
        for expected in [
            "#2  2026-11-03 (date declared by the applicant)  Registered letter  → Monsieur le Préfet du Val-de-Marne",
            "Tracking number: 1A01234567890", "Received on 2026-11-05, according to the avis de réception (entry #3)",
            "La Poste deposit receipt: preuve-de-depot.png  image/png", "Document: lettre-prefet.pdf  application/pdf",
            "#3  2026-11-05 (date declared by the applicant)  Avis de réception returned",
            "Avis de réception: avis-de-reception.jpg  image/jpeg",
            "#5  2026-11-09 18:03 (the e-mail's Date field)  E-mail  → pref-etrangers@val-de-marne.test",
            "Subject: Demande de rendez-vous - admission exceptionnelle au sejour", "DKIM: no signature",
            "Contact form", "Visit to the counter", "image/heic", "Phone call", "Other step",
        ] {
            #expect(list.stdout.contains(expected), "missing: \(expected)\n\(list.stdout)")
        }
        let listed = try #require(
            try JSONSerialization.jsonObject(with: try temoin(["step", "list", "--json"], store: store).stdoutData)
                as? [[String: Any]])
        #expect(
            listed.map { $0["kind"] as? String } == [
                "registered_letter", "letter", "email", "contact_form", "visit", "phone_call", "other",
            ])
        let followups = try #require(listed[0]["followups"] as? [[String: Any]])
        #expect(followups.first?["kind"] as? String == "receipt_returned")
        let proofs = try #require(listed[0]["proofs"] as? [[String: Any]])
        #expect(proofs.map { $0["role"] as? String } == ["document", "postal_receipt"])
        // show: the step in full, the e-mail's fields.
        let show = try temoin(["show", "5"], store: store)
        #expect(show.status == 0)
        for expected in [
            "Step", "E-mail", "From: Amina Diallo <amina.diallo@example.org>", "Message-ID: <a1b2c3@example.org>",
            "No DKIM signature",
        ] {
            #expect(show.stdout.contains(expected), "missing: \(expected)\n\(show.stdout)")
        }
        let shown = try json(try temoin(["show", "2", "--json"], store: store))
        let step = try #require(shown["step"] as? [String: Any])
        #expect(step["tracking_number"] as? String == "1A01234567890" && step["date_basis"] as? String == "declared")
        // The .eml comes back byte for byte.
        let eml = try temoin(["show", "5", "--capture", "email"], store: store)
        #expect(
            eml.stdoutData == (try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path("courriel-envoye.eml")))))
        // log names every step entry.
        let log = try temoin(["log"], store: store)
        #expect(log.stdout.contains("step: Registered letter of 2026-11-03"))
        #expect(log.stdout.contains("Avis de réception returned for #2"))
        // Both verifiers accept the new entries.
        let verify = try temoin(["verify", "--json"], store: store)
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(try json(verify)["entries"] as? Int == 9)
        let (status, report) = try referenceVerify(store)
        #expect(status == 0 && report["verdict"] as? String == "intact" && report["entries"] as? Int == 9)
        // status no longer advises the letter.
        let statusJSON = try json(try temoin(["status", "--json"], store: store))
        let rules = (statusJSON["advice"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(!rules.contains("no_registered_letter"))
        _ = dir
    }

    @Test func tamperingWithAStepsFileOrBodyIsCaughtByBothVerifiers() throws {
        let (_, store) = try newStore()
        let r = try temoin(
            [
                "step", "add", "--kind", "registered-letter", "--date", "2026-11-03", "--to", "Monsieur le Préfet",
                "--summary", "Demande de rendez-vous", "--file", StepFixtures.path("lettre-prefet.pdf"),
            ], store: store)
        try #require(r.status == 0, "\(r.stderr)")
        let copy = store + ".copy"
        try FileManager.default.copyItem(atPath: store, toPath: copy)
        // The letter's bytes changed in place (same size): capture_altered at the step.
        let pdf = try Data(contentsOf: URL(fileURLWithPath: StepFixtures.path("lettre-prefet.pdf")))
        var altered = pdf
        if let i = altered.firstRange(of: Data("rendez-vous".utf8))?.lowerBound { altered[i] = UInt8(ascii: "R") }
        try tamper(
            store, "UPDATE captures SET encoding = 'identity', data = ? WHERE digest = ?",
            arguments: [altered, sha256Hex(pdf)])
        let v = try json(try temoin(["verify", "--json"], store: store))
        #expect(v["verdict"] as? String == "tampered" && v["first_bad_seq"] as? Int == 2)
        #expect((v["problems"] as? [[String: Any]])?.first?["code"] as? String == "capture_altered")
        let (status, ref) = try referenceVerify(store)
        #expect(status == 1 && ref["first_bad_seq"] as? Int == 2)
        // The date moved back a month in the body: hash_mismatch at the step.
        try tamper(
            copy,
            "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), '2026-11-03', '2026-10-03') AS BLOB) WHERE seq = 2"
        )
        let w = try json(try temoin(["verify", "--json", "--store", copy]))
        #expect(w["verdict"] as? String == "tampered" && w["first_bad_seq"] as? Int == 2)
        #expect((w["problems"] as? [[String: Any]])?.contains { $0["code"] as? String == "hash_mismatch" } == true)
        let (status2, ref2) = try referenceVerify(copy)
        #expect(status2 == 1 && ref2["first_bad_seq"] as? Int == 2)
    }

    @Test func refusedInputIsExplainedInBothLanguagesAndRecordsNothing() throws {
        let (dir, store) = try newStore()
        let pdf = StepFixtures.path("lettre-prefet.pdf")
        let notImage = dir.write("photo-lettre.jpg", Data("<html><body>pas une photo</body></html>".utf8))
        let notMail = dir.write("reponse.eml", try Data(contentsOf: URL(fileURLWithPath: pdf)))
        let empty = dir.write("vide.png", Data())
        let huge = dir.write("scan-enorme.pdf", Data("%PDF-1.4\n".utf8) + Data(count: 2_000_000))
        let base = ["step", "add", "--kind", "letter", "--summary", "Lettre", "--date", "2026-11-03"]
        let cases: [([String], Int32, String, String)] = [
            (
                base + ["--file", notImage], 4, "the name says image, but the file holds a web page (HTML)",
                "le nom annonce une image, mais le fichier contient une page web (HTML)"
            ),
            (
                base + ["--file", notMail], 4,
                "is not an e-mail: line 1 of its header is not a header field (the file holds a PDF document)",
                "n'est pas un courriel : la ligne 1 de son en-tête n'est pas un champ d'en-tête (le fichier contient un document PDF)"
            ),
            (base + ["--file", empty], 4, "is empty (0 bytes)", "est vide (0 octet)"),
            (
                base + ["--file", huge, "--max-size", "1MB"], 4, "more than the limit of 1.0 MB",
                "plus que la limite de 1.0 MB"
            ),
            (
                ["step", "add", "--kind", "letter", "--summary", "Lettre", "--date", "2099-01-01"], 64, "2099-01-01",
                "2099-01-01"
            ),
            (
                ["step", "add", "--kind", "letter", "--summary", "Lettre", "--date", "31/02/2026"], 64, "31/02/2026",
                "31/02/2026"
            ),
            (["step", "add", "--kind", "letter", "--date", "2026-11-03"], 64, "--summary", "--summary"),
            (
                [
                    "step", "add", "--kind", "registered-letter", "--summary", "Lettre", "--date", "2026-11-03",
                    "--tracking", "RR123456784FR",
                ], 64, "is not a La Poste tracking number", "n'est pas un numéro de suivi La Poste"
            ),
            (
                ["step", "followup", "1", "--kind", "answer-received", "--date", "2026-11-03"], 64,
                "Entry #1 is not a step", "L'entrée n° 1 n'est pas une démarche"
            ),
        ]
        let head = try Store.open(at: store, readOnly: true).head()
        for (args, code, english, french) in cases {
            let en = try temoin(args, store: store)
            #expect(en.status == code, "\(args): \(en.stderr)")
            #expect(en.stderr.contains(english), "\(args): \(en.stderr)")
            let fr = try temoin(args + ["--lang", "fr"], store: store)
            #expect(fr.status == code, "\(args): \(fr.stderr)")
            #expect(fr.stderr.contains(french), "\(args): \(fr.stderr)")
            if args.contains("--summary") {
                #expect(en.stderr.contains("Nothing was recorded") && fr.stderr.contains("Rien n'a été enregistré"))
            }
        }
        let store2 = try Store.open(at: store, readOnly: true)
        #expect(try store2.head() == head, "nothing was recorded")
        #expect(try store2.captureState(digest: sha256Hex(try Data(contentsOf: URL(fileURLWithPath: pdf)))) == .absent)
    }
}

/// E-mails through the CLI: signed by dkimpy, keys served on 127.0.0.1, checked at import or later.
@Suite(.serialized, .enabled(if: DKIMTool.available, DKIMTool.missing)) struct StepEmailCLITests {
    let dir = TempDir()

    func signedReply() throws -> (path: String, record: String) {
        let (key, record) = try DKIMTool.keygen("rsa", in: dir, name: "pref")
        let out = dir.file("accuse-reception-signe.eml")
        try DKIMTool.sign(
            StepFixtures.path("accuse-reception.eml"), to: out, key: key, algorithm: "rsa-sha256", selector: "s2026")
        return (out, record)
    }

    @Test func aSignedEmailIsVerifiedAtImportWithTheKeyKeptInTheEntry() throws {
        let (_, store) = try StepCLITests().newStore()
        let (eml, record) = try signedReply()
        let dns = try LocalDNS(["s2026._domainkey.val-de-marne.test": record], dir: dir)
        let r = try temoin(
            ["step", "add", "--kind", "email", "--summary", "Accusé de réception de la préfecture", "--file", eml],
            store: store, environment: ["TEMOIN_DNS_SERVER": dns.address])
        #expect(r.status == 0, "\(r.stderr)")
        for expected in [
            "Recorded #2: E-mail of 2026-11-10 09:12 (the e-mail's Date field).",
            "From: Préfecture du Val-de-Marne <ne-pas-repondre@val-de-marne.test>",
            "Subject: Accusé de réception de votre demande de rendez-vous", "DKIM: valid, signed by val-de-marne.test",
            "a holder of the key val-de-marne.test publishes (its mail server, or a service sending mail on its behalf) signed this message",
            "The Date « Tue, 10 Nov 2026 09:12:44 +0100 » is covered by that signature",
            "it does not prove the message was sent, received or read that day",
            "Domains change keys",
        ] {
            #expect(r.stdout.contains(expected), "missing: \(expected)\n\(r.stdout)")
        }
        let body = try #require(try Store.open(at: store, readOnly: true).entry(seq: 2).body?.step?.emails?.first)
        #expect(body.dkim.first?.key?.record == record)
        #expect(body.verdict == .pass)
        // Later, with the DNS server gone: the kept key checks it again, offline; nothing new is recorded.
        let down = "127.0.0.1:\(deadDNSPort())"
        let again = try temoin(["step", "check", "2", "--dns-server", down], store: store)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("DKIM: valid, signed by val-de-marne.test"))
        #expect(again.stdout.contains("nothing new to record"))
        #expect(try Store.open(at: store, readOnly: true).head()?.seq == 2)
        // The same file with its body changed is still stored byte for byte, and judged invalid.
        let changed = dir.write(
            "falsifie.eml",
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: eml)), as: UTF8.self)
                .replacingOccurrences(of: "9 novembre", with: "2 novembre"))
        let bad = try temoin(
            ["step", "add", "--kind", "email", "--summary", "Copie modifiée", "--file", changed], store: store,
            environment: ["TEMOIN_DNS_SERVER": dns.address])
        #expect(bad.status == 0)
        #expect(bad.stdout.contains("DKIM: INVALID"))
        #expect(bad.stdout.contains("the body was changed after signing"))
        let list = try temoin(["step", "list"], store: store)
        #expect(list.stdout.contains("⚠ The e-mail's signature does not verify (#3)"))
    }

    @Test func anEmailImportedOfflineIsNotCheckedUntilStepCheckRecordsTheVerdict() throws {
        let (_, store) = try StepCLITests().newStore()
        let (eml, record) = try signedReply()
        let r = try temoin(
            ["step", "add", "--kind", "email", "--summary", "Accusé de réception", "--file", eml, "--lang", "fr"],
            store: store, environment: ["TEMOIN_DNS_SERVER": "127.0.0.1:\(deadDNSPort())"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.contains(
                "DKIM : non vérifié (la clé n'a pas pu être obtenue) : `temoin step check 2` une fois en ligne"))
        // Still offline: nothing new, nothing recorded.
        let stillOffline = try temoin(
            ["step", "check", "2", "--dns-server", "127.0.0.1:\(deadDNSPort())"], store: store)
        #expect(stillOffline.stdout.contains("DNS gave no answer for the missing keys"))
        #expect(try Store.open(at: store, readOnly: true).head()?.seq == 2)
        let dns = try LocalDNS(["s2026._domainkey.val-de-marne.test": record], dir: dir)
        let check = try temoin(["step", "check", "2", "--dns-server", dns.address], store: store)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("DKIM: valid, signed by val-de-marne.test"))
        #expect(check.stdout.contains("Recorded #3"))
        // The step is unchanged; the check is an entry of its own, and the list shows the latest verdict.
        let s = try Store.open(at: store, readOnly: true)
        #expect(try s.entry(seq: 2).body?.step?.emails?.first?.verdict == .notChecked)
        #expect(try s.entry(seq: 3).body?.type == .stepCheck)
        let list = try temoin(["step", "list"], store: store)
        #expect(list.stdout.contains("DKIM: valid, signed by val-de-marne.test"))
        #expect(list.stdout.contains("Signatures checked again in #3"))
        #expect(!list.stdout.contains("not checked"))
        let shown = try temoin(["show", "3"], store: store)
        #expect(
            shown.stdout.contains("Checks step")
                && shown.stdout.contains("key s2026._domainkey.val-de-marne.test fetched"))
        #expect(try temoin(["verify"], store: store).status == 0)
        #expect(try referenceVerify(store).0 == 0)
        // A key missing from DNS: a permanent error with its reason, recorded.
        let empty = try LocalDNS([:], dir: dir)
        let missing = try temoin(["step", "check", "2", "--refetch", "--dns-server", empty.address], store: store)
        #expect(missing.stdout.contains("the domain publishes no key under this selector"))
        #expect(missing.stdout.contains("Recorded #4"))
    }
}
