import Foundation
import TestSupport
import Testing

@testable import TemoinKit

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.serialized) struct TerminalTests {
    /// Answers the next question once its words appear; returns where to look for the next one.
    func answer(_ term: PseudoTerminal, after prompt: String, with text: String) -> Bool {
        let found = term.read(until: prompt)
        term.type(text)
        return found
    }

    @Test func guidedInitAsksEachQuestionWithAnExampleAndWhereTheStoreGoes() throws {
        let dir = TempDir()
        let folder = dir.file("cle-usb")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let term = try PseudoTerminal()
        let p = try term.launch(["init"], directory: dir.path)
        // Where the store goes comes first, with the USB stick named as a possibility.
        #expect(term.read(until: "USB stick"))
        #expect(term.text.contains("Press Enter for \(dir.path)/temoin.sqlite"))
        #expect(term.text.contains("7 question(s)"))
        // A folder that is not there (an unplugged stick) is explained, and asked again.
        #expect(answer(term, after: "> ", with: "/media/absent-stick/temoin.sqlite"))
        #expect(term.read(until: "Is the USB stick plugged in?"))
        term.type(folder)  // a folder: the store goes inside it as temoin.sqlite
        var mark = term.transcript.count
        #expect(term.read(until: "Applicant's full name (e.g. Amina Diallo)", from: mark))
        term.type("")  // nothing typed: asked again
        #expect(term.read(until: "This answer is needed.", from: mark))
        term.type("Amina Diallo")
        mark = term.transcript.count
        #expect(answer(term, after: "Prefecture (e.g.", with: "Préfecture du Val-de-Marne"))
        #expect(answer(term, after: "Procedure (e.g.", with: "Admission exceptionnelle au séjour"))
        #expect(term.read(until: "booking page", from: mark))
        #expect(term.text.contains("(e.g. https://www.rdv-prefecture.interieur.gouv.fr/"))
        mark = term.transcript.count
        term.type("rdv-prefecture, je crois")
        #expect(term.read(until: "is not a web address", from: mark))
        term.type("https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/")
        #expect(
            answer(term, after: "Facts that make it urgent (expiry date", with: "Récépissé expiré le 1er octobre 2026"))
        // Time-stamp authorities: the free public ones are offered; an address must be one; no: none.
        mark = term.transcript.count
        #expect(answer(term, after: "Time-stamp authorities (optional", with: "freetsa"))
        #expect(term.text.contains("Press Enter for the free public ones suggested (https://freetsa.org/tsr"))
        #expect(term.read(until: "is not a web address", from: mark))
        term.type("no")
        #expect(term.read(until: "temoin status"))
        term.read()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(term.text)")
        let store = folder + "/temoin.sqlite"
        #expect(term.text.contains("Store created: \(store)"))
        #expect(term.text.contains("export TEMOIN_STORE=\(store)"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("temoin.sqlite")))
        let fields = try Store.open(at: store, readOnly: true).caseRecord().fields
        #expect(fields.applicant == "Amina Diallo")
        #expect(try Store.open(at: store, readOnly: true).tsas().isEmpty)
        #expect(fields.prefecture == "Préfecture du Val-de-Marne")
        #expect(fields.procedure == "Admission exceptionnelle au séjour")
        #expect(fields.bookingURL == "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/")
        #expect(fields.facts == "Récépissé expiré le 1er octobre 2026")
        #expect(fields.profile == "auto")
    }

    @Test func guidedInitInFrenchAsksOnlyWhatTheOptionsLeaveOut() throws {
        let dir = TempDir()
        let store = dir.file("amina.sqlite")
        let term = try PseudoTerminal()
        let p = try term.launch(
            [
                "init", "--lang", "fr", "--store", store, "--applicant", "Amina Diallo", "--prefecture",
                "Préfecture de l'Essonne",
            ],
            environment: ["LANG": "en_GB.UTF-8"])
        #expect(term.read(until: "Démarche (ex. :"))
        #expect(term.text.contains("4 question(s)"))
        #expect(term.text.contains("Le registre sera créé ici : \(store)"))
        #expect(term.text.contains("clé USB"))
        #expect(!term.text.contains("Nom complet"), "the applicant was given as an option")
        term.type("Renouvellement de titre de séjour")
        #expect(answer(term, after: "ex. : https://", with: "https://www.essonne.gouv.fr/booking/create/14056/0"))
        #expect(answer(term, after: "Éléments d'urgence", with: ""))
        #expect(answer(term, after: "Autorités d'horodatage (facultatif", with: "non"))
        term.read()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(term.text)")
        #expect(term.text.contains("Registre créé : \(store)"))
        let fields = try Store.open(at: store, readOnly: true).caseRecord().fields
        #expect(
            fields.prefecture == "Préfecture de l'Essonne" && fields.procedure == "Renouvellement de titre de séjour")
        #expect(fields.facts.isEmpty)
    }

    /// A store with a few captures, so verification has bytes to report progress on.
    func storeWithCaptures() throws -> String {
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        #expect(try temoin(Fixtures.initArguments, store: store).status == 0)
        let imported = try temoin(
            ["import", Fixtures.page("rdv-creneau-aucun.html"), Fixtures.page("legacy-aucune-plage.html")], store: store
        )
        #expect(imported.status == 0, "\(imported.stderr)")
        return store
    }

    @Test func verifyDrawsAProgressBarOnlyInATerminalAndNeverWithJSON() throws {
        let store = try storeWithCaptures()
        let term = try PseudoTerminal()
        let p = try term.launch(["verify", "--store", store])
        term.read()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(term.text.contains("Verifying captures  ["))
        #expect(term.text.contains("100 %"))
        #expect(term.text.contains("\r\u{1B}[K"), "the bar is erased before the result is printed")
        #expect(term.text.contains("INTACT"))

        let json = try PseudoTerminal()
        let q = try json.launch(["verify", "--json", "--store", store])
        json.read()
        q.waitUntilExit()
        #expect(q.terminationStatus == 0)
        #expect(!json.text.contains("Verifying") && !json.text.contains("\u{1B}["))

        // Standard error piped (a script, a log file): nothing but the result.
        let piped = try temoin(["verify"], store: store)
        #expect(piped.status == 0 && piped.stderr.isEmpty)
        #expect(!piped.stdout.contains("\u{1B}["))
        // Standard output in a terminal but standard error piped: still silent.
        let err = Pipe()
        let half = try PseudoTerminal()
        let r = try half.launch(["status", "--store", store], stderr: err)
        half.read()
        r.waitUntilExit()
        try err.fileHandleForWriting.close()
        #expect(err.fileHandleForReading.readDataToEndOfFile().isEmpty)
        #expect(half.text.contains("INTACT"))
    }

    @Test func statusPrintsAPlainSummaryAndJSON() throws {
        let store = try storeWithCaptures()
        let text = try temoin(["status"], store: store)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Case: Amina Diallo — Préfecture du Val-de-Marne"))
        #expect(text.stdout.contains("INTACT"))
        #expect(text.stdout.contains("What to do now:"))
        #expect(text.stdout.contains("435594"), "two attempts: too few, and in one week")
        let fr = try temoin(["status", "--lang", "fr"], store: store)
        #expect(fr.stdout.contains("Que faire maintenant"))
        #expect(fr.stdout.contains("Tentatives"))
        let json = try temoin(["status", "--json"], store: store)
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        let stats = try #require(object["statistics"] as? [String: Any])
        #expect(stats["attempts"] as? Int == 2)
        #expect((object["verification"] as? [String: Any])?["verdict"] as? String == "intact")
        let rules = (object["advice"] as? [[String: Any]])?.compactMap { $0["rule"] as? String } ?? []
        #expect(rules.contains("few_attempts") && rules.contains("declared_times_only"))
        #expect(object["seals"] as? Int == 0)
        // An altered store: exit 1, and the first advice says so.
        try tamper(
            store,
            "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'no_slot', 'captcha') AS BLOB) WHERE seq = 2")
        let altered = try temoin(["status"], store: store)
        #expect(altered.status == 1)
        #expect(altered.stdout.contains("NOT INTACT"))
        #expect(try temoin(["status"], store: TempDir().file("absent.sqlite")).status == 2)
    }

    @Test func everyCommandTakesLangAndMessagesFollowIt() throws {
        for command in [
            ["init"], ["case", "show"], ["case", "set"], ["attempt"], ["watch"], ["schedule"], ["import"], ["status"],
            ["log"], ["show"], ["verify"], ["withhold"], ["profiles", "list"], ["profiles", "show"], ["simulate"], [],
        ] {
            let help = try temoin(command + ["--help"])
            #expect(help.stdout.contains("--lang"), "\(command) has no --lang")
        }
        // Wherever --lang stands, validation messages follow it.
        let watch = try temoin(["watch", "--every", "1m", "--lang", "fr"])
        #expect(watch.status == 64)
        #expect(watch.stderr.contains("trop court"), "\(watch.stderr)")
        let before = try temoin(["--lang", "fr", "profiles", "show", "nowhere"])
        #expect(before.stderr.contains("Système de réservation inconnu"), "\(before.stderr)")
        #expect(
            try temoin(["--lang=fr", "log"], store: TempDir().file("absent.sqlite")).stderr.contains("Aucun registre"))
    }

    @Test func completionsAndManualComeFromTheArgumentParser() throws {
        let bash = try temoin(["--generate-completion-script", "bash"])
        #expect(bash.status == 0 && bash.stdout.contains("status") && bash.stdout.contains("complete"))
        let zsh = try temoin(["--generate-completion-script", "zsh"])
        #expect(zsh.status == 0 && zsh.stdout.hasPrefix("#compdef temoin"))
        let fish = try temoin(["--generate-completion-script", "fish"])
        #expect(fish.status == 0 && fish.stdout.contains("complete -c 'temoin'"))
        let script = repositoryRoot.appendingPathComponent("scripts/manpage.py").path
        let dump = try temoin(["--experimental-dump-help"])
        let dumpFile = TempDir().write("help.json", dump.stdoutData)
        let man = try run("/usr/bin/env", ["python3", script, dumpFile])
        #expect(man.status == 0, "\(man.stderr)")
        #expect(man.stdout.contains(".Dt TEMOIN 1"))
        #expect(man.stdout.contains(".Sh EXIT STATUS"))
        for command in ["init", "attempt", "watch", "import", "status", "verify", "case set"] {
            #expect(man.stdout.contains(command), "\(command) missing from the manual")
        }
        // man's formatter reads it without a warning, and the reader sees the commands.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/groff") {
            let page = TempDir().write("temoin.1", man.stdoutData)
            let rendered = try run("/usr/bin/groff", ["-k", "-mandoc", "-Tutf8", "-ww", "-P-cbou", page])
            #expect(rendered.status == 0 && rendered.stderr.isEmpty, "\(rendered.stderr)")
            #expect(rendered.stdout.contains("EXIT STATUS") && rendered.stdout.contains("TEMOIN_STORE"))
        }
        #expect(try temoin(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == Temoin.version)
    }

    /// What `make install` runs after copying the binary, into a DESTDIR of our own.
    @Test func installPutsTheManualAndCompletionsWhereShellsLook() throws {
        let prefix = TempDir().file("destdir/usr/local")
        let installer = repositoryRoot.appendingPathComponent("scripts/install-docs.sh").path
        let r = try run("/usr/bin/env", ["bash", installer, temoinBinary, prefix])
        #expect(r.status == 0, "\(r.stderr)")
        for (file, marker) in [
            ("share/man/man1/temoin.1", ".Dt TEMOIN 1"), ("share/bash-completion/completions/temoin", "_temoin temoin"),
            ("share/zsh/site-functions/_temoin", "#compdef temoin"),
            ("share/fish/vendor_completions.d/temoin.fish", "complete -c 'temoin'"),
        ] {
            let text = (try? String(contentsOfFile: prefix + "/" + file, encoding: .utf8)) ?? ""
            #expect(text.contains(marker), "\(file)")
        }
        // bash loads the completion and knows the subcommands.
        let bash = try run(
            "/bin/bash",
            [
                "-c",
                "source '\(prefix)/share/bash-completion/completions/temoin'; complete -p temoin",
            ])
        #expect(bash.status == 0 && bash.stdout.contains("temoin"), "\(bash.stderr)")
    }
}

@Suite struct ProgressTests {
    @Test func theBarShowsTheShareDoneAndTheUnit() {
        let half = ProgressReporter.render(
            label: "Verifying", done: 5_000_000, total: 10_000_000, unit: .bytes, columns: 80)
        #expect(half.hasPrefix("Verifying  ["))
        #expect(half.hasSuffix("]  50 %  5.0 MB / 10.0 MB"))
        #expect(half.count <= 79)
        let cells = half.filter { $0 == "█" || $0 == "░" }
        #expect(cells.filter { $0 == "█" }.count * 2 == cells.count)
        let items = ProgressReporter.render(label: "Pages", done: 1204, total: 5000, unit: .items, columns: 60)
        #expect(items.hasSuffix("24 %  1 204 / 5 000"))
        #expect(items.count <= 59)
        let wait = ProgressReporter.render(
            label: "Next attempt in", done: 600, total: 4500, unit: .countdown, columns: 80)
        #expect(wait.hasSuffix("13 %  1 h 05 min"))
        #expect(ProgressReporter.duration(270) == "4 min 30 s" && ProgressReporter.duration(12) == "12 s")
        // Out-of-range values never break the bar.
        let over = ProgressReporter.render(label: "x", done: 12, total: 10, unit: .items, columns: 20)
        #expect(over.contains("100 %") && !over.contains("░"))
        let none = ProgressReporter.render(label: "x", done: 0, total: 0, unit: .bytes, columns: 20)
        #expect(none.contains("0 %") && !none.contains("█"))
        // A narrow terminal still gets a bar of 10 cells.
        let narrow = ProgressReporter.render(label: "Verifying captures", done: 1, total: 2, unit: .bytes, columns: 30)
        #expect(narrow.filter { $0 == "█" || $0 == "░" }.count == 10)
    }

    @Test func silentWithJSONWhenPipedOrOnADumbTerminal() {
        #expect(ProgressReporter.shouldShow(json: false, stderrIsTerminal: true, environment: ["TERM": "xterm"]))
        #expect(!ProgressReporter.shouldShow(json: true, stderrIsTerminal: true, environment: ["TERM": "xterm"]))
        #expect(!ProgressReporter.shouldShow(json: false, stderrIsTerminal: false, environment: ["TERM": "xterm"]))
        #expect(!ProgressReporter.shouldShow(json: false, stderrIsTerminal: true, environment: ["TERM": "dumb"]))
        let written = DataBox()
        let off = ProgressReporter(label: "x", enabled: false, columns: 80) { written.data.append(Data($0.utf8)) }
        off.update(done: 1, total: 2)
        off.update(done: 2, total: 2)
        off.finish()
        #expect(written.data.isEmpty)
    }

    @Test func anEnabledBarRedrawsInPlaceAndIsErasedAtTheEnd() {
        let written = DataBox()
        let bar = ProgressReporter(label: "x", unit: .items, enabled: true, columns: 40) {
            written.data.append(Data($0.utf8))
        }
        bar.update(done: 0, total: 4)
        bar.update(done: 0, total: 4)  // unchanged: not drawn again
        bar.update(done: 4, total: 4)  // the end is always drawn
        bar.finish()
        let text = String(decoding: written.data, as: UTF8.self)
        #expect(text.components(separatedBy: "\r").count - 1 == 3, "two draws and one erase: \(text.debugDescription)")
        #expect(text.contains("0 %") && text.contains("100 %"))
        #expect(text.hasSuffix("\r\u{1B}[K"))
    }
}
