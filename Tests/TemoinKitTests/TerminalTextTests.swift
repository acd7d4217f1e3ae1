import Foundation
import GRDB
import TestSupport
import Testing

@testable import TemoinKit

#if canImport(Glibc)
    import Glibc
#endif

/// Cursor up and erase a line, twice; then a forged verdict; then "conceal" so that what follows (the
/// real problem lines) would be invisible: what a hostile attestation name made `verify` show.
let forgedScreen =
    "Marie\u{1B}[1A\u{1B}[2K\u{1B}[1A\u{1B}[2K\rINTACT: the chain verifies\u{9B}2K\u{1B}[8m"

/// Bytes a terminal obeys: ESC, the other C0 controls but line feed (and carriage return, which a
/// terminal's line discipline adds), and C1 controls in UTF-8.
func terminalControls(_ data: Data) -> [UInt8] {
    var found: [UInt8] = []
    let bytes = [UInt8](data)
    for (i, b) in bytes.enumerated() {
        if b < 0x20, b != 0x0A, b != 0x0D { found.append(b) }
        if b == 0xC2, i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) { found.append(bytes[i + 1]) }
        if b == 0x7F { found.append(b) }
    }
    return found
}

@Suite struct TerminalTextTests {
    @Test func controlsAreShownNeverObeyed() {
        #expect(TerminalText.line("Marie\u{1B}[2J") == "Marie\\x1b[2J")
        #expect(TerminalText.line("a\nb\rc\td") == "a\\x0ab\\x0dc\\x09d")
        #expect(TerminalText.line("csi\u{9B}2J del\u{7F}") == "csi\\x9b2J del\\x7f")
        #expect(TerminalText.line("p\u{2028}q") == "p\\u2028q")
        #expect(TerminalText.text("line one\nline \u{1B}two") == "line one\nline \\x1btwo")
        #expect(TerminalText.block("a\nb\u{7}", continuation: "    ") == "a\n    b\\x07")
        // Ordinary text, accents and non-Latin scripts pass unchanged.
        for plain in ["Amina Diallo", "Préfecture du Val-de-Marne", "أمينة", "名前", "«  »"] {
            #expect(TerminalText.line(plain) == plain)
            #expect(TerminalText.text(plain) == plain)
        }
    }

    @Test func bidiOverridesCannotReachPastTheirValue() {
        // An unclosed right-to-left override would reverse the rest of the line on a bidi terminal.
        let shown = TerminalText.line("Marie\u{202E}evil")
        #expect(shown == "\u{2068}Marie\u{202E}evil\u{202C}\u{2069}")
        // Closers that match nothing are escaped (they could close our isolate early).
        #expect(TerminalText.line("a\u{2069}\u{202C}b") == "\u{2068}a\\u2069\\u202cb\u{2069}")
        // Balanced and nested: closed in the right order.
        #expect(TerminalText.line("\u{2067}x\u{202B}y") == "\u{2068}\u{2067}x\u{202B}y\u{202C}\u{2069}\u{2069}")
        // Per line in a text: a line cannot leave an override open for the next one.
        #expect(TerminalText.text("a\u{202E}\nb") == "\u{2068}a\u{202E}\u{202C}\u{2069}\nb")
    }

    @Test func theReferenceVerifierShowsTextExactlyAsTemoinDoes() throws {
        let samples = [
            forgedScreen, "a\nb", "x\u{9B}y\u{85}", "Marie\u{202E}evil", "a\u{2069}\u{202C}b", "\u{2067}x\u{202B}y",
            "p\u{2028}q\u{7F}", "Préfecture",
        ]
        let script = """
            import importlib.util, json, sys
            spec = importlib.util.spec_from_file_location("v", sys.argv[1])
            m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
            print(json.dumps([m.terminal_safe(s) for s in json.load(sys.stdin)]))
            """
        let input = try JSONSerialization.data(withJSONObject: samples)
        let r = try run(
            "/usr/bin/env",
            ["python3", "-c", script, repositoryRoot.appendingPathComponent("docs/verify_reference.py").path],
            stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        let python = try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [String])
        #expect(python == samples.map(TerminalText.line))
    }

    @Test func jsonOutputEscapesWhatATerminalWouldObeyAndStaysJSON() throws {
        struct Value: Encodable { let name: String }
        let text = JSONOutput.string(Value(name: forgedScreen + "\u{202E}\u{85}\u{2028}"))
        #expect(terminalControls(Data(text.utf8)).isEmpty)
        #expect(!text.unicodeScalars.contains { TerminalText.isBidiControl($0) || $0.value == 0x2028 })
        let back = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(back?["name"] == forgedScreen + "\u{202E}\u{85}\u{2028}")
    }

    /// Everything the executable writes goes through Terminal/Output.swift (its `print` neutralises):
    /// no command writes to standard output or error another way, but `show --capture`'s raw bytes.
    @Test func theExecutableWritesThroughOneHelper() throws {
        let folder = repositoryRoot.appendingPathComponent("Sources/temoin")
        let bypass = try NSRegularExpression(
            pattern: #"Swift\.print|FileHandle\.standard(Output|Error)|fputs|fwrite|STD(OUT|ERR)_FILENO|putchar"#)
        for name in FileManager.default.enumerator(atPath: folder.path)?.compactMap({ $0 as? String }) ?? []
        where name.hasSuffix(".swift") && !name.hasSuffix("Terminal/Output.swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for m in bypass.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let found = String(text[Range(m.range, in: text)!])
                let allowed =
                    name.hasSuffix("ShowCommand.swift") && found.hasPrefix("FileHandle.standardOutput")
                    || name.hasSuffix("ShowCommand.swift") && found == "STDOUT_FILENO"
                #expect(allowed, "\(name) writes around TerminalText: \(found)")
            }
        }
    }

    @Test func oneLineFieldsRefuseControlsAndLineBreaks() throws {
        #expect(FieldText.forbiddenInLine("Amina Diallo") == nil)
        #expect(FieldText.forbiddenInLine("Amina\nDiallo") == "\n")
        #expect(FieldText.forbiddenInLine("Amina\u{1B}[D") == "\u{1B}")
        #expect(FieldText.forbiddenInLine("Amina\u{202E}") == "\u{202E}")
        #expect(FieldText.forbiddenInLine("Amina\u{85}") == "\u{85}")
        #expect(FieldText.forbiddenInText("Récépissé expiré.\nCDI suspendu.\tDeux enfants.") == nil)
        #expect(FieldText.forbiddenInText("x\u{1B}[8m") == "\u{1B}")
        var fields = Fixtures.sampleCase
        fields.applicant = "Amina\nINTACT"
        let error = #expect(throws: TemoinError.self) { try fields.validated() }
        #expect(error?.exitStatus == .usage)
        #expect(error?.description.contains("U+000A") == true)
    }
}

/// What held in the audit, kept so: ESC and other C0 controls in a page's text never reach the
/// recorded message or title (C1 controls do, and are neutralised when shown: TerminalText).
@Suite struct PageTextControlsTests {
    @Test func escapeSequencesInAPageAreNotRecorded() throws {
        let url = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/"
        let html = """
            <html><head><title>Choix\u{1B}[2J du cr\u{7}éneau</title></head><body>
            <h2>Aucun créneau disponible\u{1B}[1A\u{1B}[2K</h2>
            <p>Aucun créneau disponible à partir de cette date.\u{1B}[8m Veuillez réessayer\u{0} ultérieurement.</p>
            </body></html>
            """
        let analysis = PageAnalyzer(ruleSet: try RuleSet.named("auto", url: url)).analyze(
            Data(html.utf8), status: 200, url: url)
        #expect(analysis.outcome == .noSlot)
        for text in [analysis.message, analysis.title].compactMap({ $0 }) {
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(text.debugDescription)")
        }
    }
}

/// Through the real binary: a hostile store, bundle or attestation cannot drive the terminal.
@Suite(.serialized) struct TerminalSafetyCLITests {
    /// A store whose chain was edited after an attestation with a forged-screen name was planted in it.
    func hostileStore() throws -> (TempDir, String) {
        let (dir, store) = try populatedStore()
        try plantAttestation(store.path, try hostileAttestation(store, name: forgedScreen))
        try tamper(
            store.path,
            "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'no_slot', 'slot_available') AS BLOB) WHERE seq = 3"
        )
        return (dir, store.path)
    }

    @Test func verifyOfATamperedStoreCannotBeMadeToShowIntactOnATerminal() throws {
        let (_, store) = try hostileStore()
        let term = try PseudoTerminal()
        let errors = Pipe()
        let p = try term.launch(["verify", "--store", store], stderr: errors)
        #expect(term.read())
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        // Nothing in what reached the terminal is a control sequence: the name is shown, escaped.
        #expect(terminalControls(term.transcript).isEmpty, "\(term.text.debugDescription)")
        let lines = term.text.replacingOccurrences(of: "\r", with: "").split(separator: "\n")
        #expect(lines.first.map(String.init) == Messages.shared.text("verify.tampered", language: .en))
        #expect(term.text.contains("Marie\\x1b[1A\\x1b[2K"))
        #expect(term.text.contains("hash_mismatch"))
        // No line of the screen starts with the forged verdict.
        #expect(!lines.contains { $0.hasPrefix("INTACT") })
        // The reference verifier shows the same name the same way.
        let reference = try run(
            "/usr/bin/env", ["python3", repositoryRoot.appendingPathComponent("docs/verify_reference.py").path, store])
        #expect(reference.status == 1)
        #expect(terminalControls(reference.stdoutData).isEmpty, "\(reference.stdout.debugDescription)")
        #expect(reference.stdout.contains("Marie\\x1b[1A\\x1b[2K"))
        // JSON keeps the name exactly, and stays JSON.
        let json = try temoin(["verify", "--json"], store: store)
        let report = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        let names = (report["attestations"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == [forgedScreen])
    }

    @Test func storeTextNeverReachesTheTerminalRaw() throws {
        let (_, store) = try hostileStore()
        // Every text command that shows what the store holds.
        for arguments in [["log"], ["show", "1"], ["case", "show"], ["status"], ["attestation", "list"], ["verify"]] {
            let r = try temoin(arguments, store: store)
            #expect(terminalControls(r.stdoutData).isEmpty, "\(arguments): \(r.stdout.debugDescription)")
            #expect(terminalControls(Data(r.stderr.utf8)).isEmpty, "\(arguments): \(r.stderr.debugDescription)")
        }
        // Case fields written by a hostile party straight into entry 1 (the chain then says tampered).
        try tamper(
            store,
            "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'Amina Diallo', 'Amina\\u001b[2J\\nINTACT') AS BLOB) WHERE seq = 1"
        )
        for arguments in [["log"], ["show", "1"], ["case", "show"], ["status"]] {
            let r = try temoin(arguments, store: store)
            #expect(terminalControls(r.stdoutData).isEmpty, "\(arguments): \(r.stdout.debugDescription)")
            #expect(!r.stdout.contains("\nINTACT"), "\(arguments): a line was forged")
        }
    }

    @Test func rawCapturesGoToFilesNotTerminals() throws {
        let (_, store) = try populatedStore()
        let term = try PseudoTerminal()
        let p = try term.launch(["show", "2", "--capture", "page", "--store", store.path])
        #expect(term.read())
        p.waitUntilExit()
        #expect(p.terminationStatus == 64)
        #expect(term.text.contains("capture.html"))
        // Into a file (a pipe here), the bytes exactly as stored.
        let r = try temoin(["show", "2", "--capture", "page"], store: store.path)
        #expect(r.status == 0)
        #expect(r.stdoutData == (try Fixtures.data("rdv-creneau-aucun.html")))
    }

    @Test func oneLineFieldsAreRefusedWithControlsAtEveryEntrance() throws {
        let dir = TempDir()
        var arguments = Fixtures.initArguments
        arguments[2] = "Amina\u{1B}[2J"
        let refused = try temoin(arguments, store: dir.file("a.sqlite"))
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("U+001B (ESC)"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("a.sqlite")))
        let store = dir.file("temoin.sqlite")
        #expect(try temoin(Fixtures.initArguments, store: store).status == 0)
        for (field, value) in [
            ("applicant", "Amina\nINTACT"), ("prefecture", "Val\u{202E}enraM"), ("procedure", "x\u{9B}2J"),
        ] {
            let r = try temoin(["case", "set", field, value], store: store)
            #expect(r.status == 64, "\(field): \(r.stderr)")
        }
        #expect(try temoin(["case", "set", "facts", "Récépissé expiré.\nCDI suspendu."], store: store).status == 0)
        #expect(try temoin(["case", "set", "facts", "x\u{1B}[8m"], store: store).status == 64)
        #expect(
            try temoin(["case", "set", "prefecture", "Préfecture de l'Essonne", "--reason", "a\nb"], store: store)
                .status == 64)
        // Nothing was recorded by the refusals: entry 1 and the facts amendment only.
        #expect(try Store.open(at: store, readOnly: true).entries().count == 2)

        // attest: the volunteer's own name; attestation add: a file signed by anyone.
        let key = dir.file("v.key")
        #expect(try temoin(["key", "new", "--out", key]).status == 0)
        let attest = try temoin(["attest", store, "--key", key, "--name", "Marie\u{1B}[1A", "--organisation", "Cimade"])
        #expect(attest.status == 64, "\(attest.stderr)")
        let file = try hostileAttestation(try Store.open(at: store), name: forgedScreen)
        let path = dir.write("hostile.json", try file.encoded())
        let add = try temoin(["attestation", "add", path], store: store)
        #expect(add.status == 4, "\(add.stderr)")
        #expect(add.stderr.contains("name"))
        #expect(try Store.open(at: store, readOnly: true).attestations().isEmpty)
    }

    @Test func guidedInitAsksAgainWhenArrowKeysTypedEscapes() throws {
        let dir = TempDir()
        let term = try PseudoTerminal()
        let store = dir.file("temoin.sqlite")
        let p = try term.launch([
            "init", "--store", store, "--prefecture", "P", "--procedure", "Q", "--facts", "F",
            "--booking-url", "https://www.val-de-marne.gouv.fr/booking/create/4963/0",
        ])
        #expect(term.read(until: "Applicant's full name"))
        let mark = term.transcript.count
        term.type("Amina\u{1B}[DDiallo")
        #expect(term.read(until: "U+001B", from: mark))
        term.type("Amina Diallo")
        // The last question offers time-stamp authorities; none here (no network in tests).
        #expect(term.read(until: "Time-stamp authorities (optional"))
        term.type("no")
        #expect(term.read())
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(try Store.open(at: store, readOnly: true).caseRecord().fields.applicant == "Amina Diallo")
    }
}
