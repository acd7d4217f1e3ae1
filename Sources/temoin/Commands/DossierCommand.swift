import ArgumentParser
import Foundation
import Synchronization
import TemoinKit

struct DossierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Write the court dossier: PDFs named and numbered for Télérecours, an inventory, an HTML copy.",
        discussion: """
            Verifies the store, then writes into --out:
              PJ1_Releve_horodate_des_tentatives_de_rendez-vous.pdf   synthesis, charts, chronology, method
              PJ2_Captures_des_pages_de_la_prefecture.pdf             the pages received (PJ2-1, PJ2-2... over 32 MB)
              Inventaire_detaille_des_pieces.pdf                      numbered list of the pièces
              dossier.html                                            the same content, offline, for review
            and with --requete a draft of the "Faits et procédure" section to review and paste.

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

    @Flag(name: .long, help: "Also write a draft of the requête's \"Faits et procédure\" and list of pièces.")
    var requete = false

    @Option(
        name: .customLong("max-file-size"),
        help: ArgumentHelp("Largest PDF in MB before PJ2 is split (default 32, Télérecours citoyens).", valueName: "mb")
    )
    var maxFileSize: Int = 32

    func validate() throws {
        try storeOptions.validate()
        guard maxFileSize >= 1 else { throw ValidationError(tr("dossier.bad_max_size")) }
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
                maxFileBytes: maxFileSize * 1024 * 1024)
            let writer = try DossierWriter(store: store, data: data, options: options)
            let writing = ProgressReporter.standardError(
                label: tr("dossier.progress_write"), unit: .items, json: output.json)
            let total = Int64(requete ? 5 : 4)
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
                for f in result.files {
                    let size = ByteCount.format(Int64(f.bytes))
                    if f.pages == 1 {
                        print(tr("dossier.file_one_page", ["name": f.name, "size": size]))
                    } else if let pages = f.pages {
                        print(tr("dossier.file", ["name": f.name, "pages": String(pages), "size": size]))
                    } else {
                        print(tr("dossier.file_nopages", ["name": f.name, "size": size]))
                    }
                }
                if let draft = result.files.first(where: { $0.name.hasSuffix(".txt") }) {
                    print(tr("dossier.draft_written", ["name": draft.name]))
                }
            }
            if result.verdict != .intact {
                printError(tr("dossier.not_intact"))
                throw ExitCode(.tampered)
            }
        }
    }
}
