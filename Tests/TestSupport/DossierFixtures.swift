import Foundation
import TemoinKit
import Testing

/// Cases built through the library, the way temoin records them, for the dossier's tests: attempts
/// with their exchanges, pages (fixtures we wrote), outcomes decided by the real analysis, notes.
package enum CaseBuilder {
    package static let legacyBase = "https://www.val-de-marne.gouv.fr/booking/create/4963"

    /// The counter choice page of the legacy module (written by us, after DOMAIN.md's markers).
    package static let counterPage = Data(
        """
        <!DOCTYPE html>
        <html lang="fr"><head><meta charset="utf-8"><title>Prendre un rendez-vous - Les services de l'État dans le Val-de-Marne</title></head>
        <body><main><h1>Demande de rendez-vous</h1>
        <form id="FormBookingCreate" name="FormBookingCreate" method="post" action="">
        <fieldset><legend>Choix du guichet</legend>
        <p><input type="radio" id="planning7" name="planning" value="7" /><label for="planning7">Guichet 2 - Admission exceptionnelle au séjour (Créteil)</label></p>
        <p><input type="radio" id="planning8" name="planning" value="8" /><label for="planning8">Guichet 3 - Renouvellement de titre</label></p>
        <p><input type="submit" name="nextButton" value="Etape suivante" class="Bouton" /></p>
        </fieldset></form></main></body></html>
        """.utf8)

    /// The legacy module's date choice (a slot), written by us.
    package static let slotPage = Data(
        """
        <!DOCTYPE html>
        <html lang="fr"><head><meta charset="utf-8"><title>Prendre un rendez-vous - Les services de l'État dans le Val-de-Marne</title></head>
        <body><main><h1>Demande de rendez-vous</h1>
        <form id="FormBookingCreate" name="FormBookingCreate" method="post" action="">
        <fieldset><legend>Choix d'une plage horaire</legend>
        <h2>Choix d'une plage horaire</h2>
        <p><input type="radio" id="nextStepDate0" name="nextStepDate" value="2026-12-01T09:20" /><label for="nextStepDate0">mardi 1 décembre 2026 à 09:20</label></p>
        <input type="hidden" name="planning" value="7" />
        <p><input type="submit" name="nextButton" value="Etape suivante" class="Bouton" /></p>
        </fieldset></form></main></body></html>
        """.utf8)

    package static let legacyRules: RuleSet = {
        guard let r = try? RuleSet.loadBuiltIn("prefecture-legacy") else { return RuleSet.common }
        return r
    }()

    package static func pdftotext(_ pdf: String, first: Int? = nil, last: Int? = nil, raw: Bool = true) throws -> String
    {
        var args = ["-enc", "UTF-8"]
        if raw { args.append("-raw") }
        if let first { args += ["-f", String(first)] }
        if let last { args += ["-l", String(last)] }
        let r = try run("/usr/bin/env", ["pdftotext"] + args + [pdf, "-"])
        #expect(r.status == 0, "pdftotext \(pdf): \(r.stderr)")
        return r.stdout
    }

    package static func pages(_ pdf: String) throws -> Int {
        let info = try run("/usr/bin/env", ["pdfinfo", pdf]).stdout
        let line = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        return Int(line?.split(separator: " ").last ?? "") ?? -1
    }

    package static func info(_ pdf: String, _ key: String) throws -> String? {
        let info = try run("/usr/bin/env", ["pdfinfo", pdf]).stdout
        guard let line = info.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
        return line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
    }

    /// Whether a command is installed (tests that need it are skipped otherwise).
    package static func has(_ tool: String) -> Bool {
        (try? run("/usr/bin/env", ["sh", "-c", "command -v \(tool)"]).status) == 0
    }
}

extension PageAnalyzer {
    package static func analyzeWith(_ rules: RuleSet, _ data: Data, url: String) -> PageAnalysis {
        PageAnalyzer(ruleSet: rules).analyze(data, url: url)
    }
}

extension RuleSet {
    package func analyze(_ data: Data, url: String) -> PageAnalysis {
        PageAnalyzer(ruleSet: self).analyze(data, url: url)
    }
}

/// Dossier reading helpers and the cases several suites build.
extension CaseBuilder {
    /// Whitespace of every kind (no-break spaces included) as one space.
    package static func flat(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace || $0 == "\u{00A0}" || $0 == "\u{202F}" }).joined(
            separator: " ")
    }

    package static func compact(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init))
    }

    /// Members of a zip file and their compression method (0 stored, 8 deflated), in order.
    package static func zipMembers(_ path: String) throws -> [String] {
        let script =
            "import sys,zipfile\nfor i in zipfile.ZipFile(sys.argv[1]).infolist(): print(i.filename, i.compress_type)"
        return try run("/usr/bin/env", ["python3", "-c", script, path]).stdout.split(separator: "\n").map(String.init)
    }

    /// One member's text.
    package static func zipMember(_ path: String, _ name: String) throws -> String {
        let script = "import sys,zipfile\nsys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())"
        return try run("/usr/bin/env", ["python3", "-c", script, path, name]).stdout
    }

    /// The draft's text as pandoc (a real ODF reader) reads it, in Markdown: headings stay headings.
    package static func draftMarkdown(_ path: String) throws -> String {
        let r = try run("/usr/bin/env", ["pandoc", "-f", "odt", "-t", "markdown", "--wrap=none", path])
        #expect(r.status == 0, "pandoc: \(r.stderr)")
        return r.stdout
    }

    package static let imports: [(page: String, at: String)] = [
        ("legacy-aucune-plage.html", "2026-10-05 08:31"),
        ("rdv-creneau-aucun.html", "2026-10-05 14:02"),
        ("surcharge-502.html", "2026-10-07 19:45"),
        ("legacy-aucune-plage-latin1.html", "2026-10-13 09:10"),
        ("legacy-motifs-val-de-marne.html", "2026-10-21 07:55"),
        ("rdv-creneau-semaine.html", "2026-10-26 02:30"),
        ("legacy-aucune-plage.html", "2026-11-03 12:15"),
        ("rdv-creneau-aucun.html", "2026-11-03 23:59"),
        ("rdv-creneaux-disponibles.html", "2026-11-09 00:01"),
        ("legacy-aucune-plage.html", "2026-11-15 18:00"),
    ]

    /// A store made through the real binary, as an applicant would.
    package static func makeCase() throws -> (TempDir, String) {
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        let f = Fixtures.sampleCase
        let initRun = try temoin(
            [
                "init", "--applicant", f.applicant, "--prefecture", f.prefecture, "--procedure", f.procedure,
                "--booking-url", f.bookingURL, "--facts", f.facts,
            ], store: store)
        try #require(initRun.status == 0, "\(initRun.stderr)")
        for (page, at) in imports {
            let r = try temoin(["import", Fixtures.page(page), "--observed-at", at], store: store)
            try #require(r.status == 0, "\(page): \(r.stderr)")
        }
        return (dir, store)
    }
}
