import ArgumentParser
import Foundation
import Synchronization
import TemoinKit

struct DossierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Write the court dossier: PDFs named and numbered for Télérecours, an inventory, working files.",
        discussion: """
            Verifies the store, then writes into --out the files to file with the court:
              PJ1_Releve_horodate_des_tentatives_de_prise_de_rendez-vous.pdf   page 1 answers the judge's
                  questions; then one line per day, slots and what followed, charts, technical
                  conditions (NF Z67-147), method
              PJ2_Pages_recues_du_site_de_prise_de_rendez-vous.pdf   pages drawn as images from the
                  stored bytes (a headless Chrome/Chromium, no network), then an index of every
                  distinct page (PJ2-1, PJ2-2... over --max-file-size)
              PJ3_Journal_complet_des_tentatives.pdf   with --journal: one line per attempt
              PJ4_... and after   one pièce per proof file of the applicant's steps (temoin step): a PDF
                  as it is, a photo or scan on A4 pages, an e-mail as a readable page (headers, DKIM
                  verdict, text) whose .eml is put with the working files
              Inventaire_detaille_des_pieces.pdf       the pièces, as lines ready for the bordereau
            and into its sub-folder Documents_de_travail_a_ne_pas_deposer/ the working files:
              dossier.html (offline review copy), Bordereau_des_pieces.txt, and with --requete
              Requete_refere_mesures_utiles_PROJET.odt (a draft requête to complete).
            --first-piece N numbers the pièces from N (the lawyer's own pièces come first).

            The wording comes from Mustache templates (Templates/ in the source); --templates DIR uses an
            adapted copy (DIR/fr/*.mustache, DIR/en/*.mustache). Dates are Paris time.
            Exit 0 written; 1 written, but verification found problems (the dossier says so);
            2 store unreadable; 4 bad template; 7 output not writable; 64 bad arguments or empty period.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Folder to write the dossier into (created if needed).", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("First day or instant of the period (Paris time).", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Last day or instant of the period (Paris time).", valueName: "date"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("Folder of adapted templates (fr/ and en/ inside).", valueName: "dir"))
    var templates: String?

    @Flag(name: .long, help: "Also write a draft requête (OpenDocument text) in the working folder.")
    var requete = false

    @Flag(name: .long, help: "Also write the journal of every attempt, one line each, as a pièce of its own.")
    var journal = false

    @Option(
        name: .customLong("first-piece"),
        help: ArgumentHelp(
            "Number of the first pièce (default 1; the lawyer's own pièces may come first).", valueName: "n"))
    var firstPiece: Int = 1

    @Flag(
        name: .customLong("no-page-images"), help: "Show the pages of PJ2 as text, without drawing them in a browser.")
    var noPageImages = false

    @Option(
        name: .customLong("browser-path"),
        help: ArgumentHelp(
            "The browser that draws the pages of PJ2 (default: the first Chrome, Chromium or Edge found).",
            valueName: "path"))
    var browserPath: String?

    @Option(
        name: .customLong("max-file-size"),
        help: ArgumentHelp("Largest PDF in MB before PJ2 is split (default 32, Télérecours citoyens).", valueName: "mb")
    )
    var maxFileSize: Int = 32

    func validate() throws {
        try storeOptions.validate()
        guard maxFileSize >= 1 else { throw ValidationError(tr("dossier.bad_max_size")) }
        guard (1...999).contains(firstPiece) else { throw ValidationError(tr("dossier.bad_first_piece")) }
    }

    /// `--to 2026-11-20` means the whole of that day.
    private func period() throws -> (Date?, Date?) {
        let start = try from.map { try parseDate($0) }
        var end = try to.map { try parseDate($0) }
        if let to, !to.contains(":"), let e = end { end = e.addingTimeInterval(86_400 - 0.001) }
        if let s = start, let e = end, s > e {
            throw ValidationError(tr("dossier.from_after_to", ["from": from ?? "", "to": to ?? ""]))
        }
        return (start, end)
    }

    private func fileLine(_ f: DossierFile) -> String {
        let size = ByteCount.format(Int64(f.bytes))
        if f.pages == 1 { return tr("dossier.file_one_page", ["name": f.name, "size": size]) }
        if let pages = f.pages { return tr("dossier.file", ["name": f.name, "pages": String(pages), "size": size]) }
        return tr("dossier.file_nopages", ["name": f.name, "size": size])
    }

    func run() throws {
        try guarded {
            let (start, end) = try period()
            let path = storeOptions.path
            let store = try Store.open(at: path, readOnly: true)
            // Progress bars on standard error when it is a terminal; nothing when piped or with --json.
            let verifying = ProgressReporter.standardError(
                label: tr("dossier.progress_verify"), unit: .bytes, json: output.json)
            let data = try DossierData.load(store: store, path: path, from: start, to: end) { done, total in
                verifying.update(done: done, total: total)
            }
            verifying.finish()
            let options = DossierOptions(
                outputFolder: out, language: storeOptions.lang ?? Messages.shared.language,
                templatesFolder: templates, from: start, to: end, requete: requete,
                maxFileBytes: maxFileSize * 1024 * 1024, firstPiece: firstPiece, journal: journal,
                pageImages: noPageImages ? .off : .auto, browserPath: browserPath)
            let writer = try DossierWriter(store: store, data: data, options: options)
            let writing = ProgressReporter.standardError(
                label: tr("dossier.progress_write"), unit: .items, json: output.json)
            let total = Int64(writer.progressSteps)
            let done = Mutex<Int64>(0)
            let result = try writer.write { _ in
                writing.update(
                    done: done.withLock {
                        $0 += 1
                        return $0
                    }, total: total)
            }
            writing.finish()
            if output.json {
                print(JSONOutput.string(result))
            } else {
                print(
                    tr(
                        "dossier.written",
                        ["folder": result.folder, "attempts": String(result.attempts), "head": result.head.display]))
                for f in result.files where f.filing { print(fileLine(f)) }
                print(tr("dossier.working", ["folder": result.workingFolder]))
                for f in result.files where !f.filing { print(fileLine(f)) }
                if let draft = result.files.first(where: { $0.name.hasSuffix(".odt") }) {
                    print(tr("dossier.draft_written", ["name": draft.name]))
                }
                if let why = result.pageImagesUnavailable {
                    printError(tr("dossier.no_page_images", ["reason": why]))
                }
                for p in result.proofsNotShown {
                    let args = ["piece": String(p.piece), "file": p.file, "reason": p.reason]
                    if let original = p.original {
                        printError(tr("dossier.proof_not_shown", args.merging(["original": original]) { $1 }))
                    } else {
                        printError(tr("dossier.proof_missing", args))
                    }
                }
            }
            if let days = result.staleDays {
                printError(tr("dossier.stale", ["days": String(days)]))
            }
            if result.verdict != .intact {
                printError(tr("dossier.not_intact"))
                throw ExitCode(.tampered)
            }
        }
    }
}
