import ArgumentParser
import Foundation
import TemoinKit

struct StepAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Record a step: a registered letter, a letter, an e-mail, a form, a visit, a call.",
        discussion: """
            In a terminal, the questions not answered by options are asked one by one, each with an \
            example. Without a terminal (scripts), give --kind and --summary, and --date unless an .eml \
            file gives it. The date is recorded as declared: temoin did not witness it.

            Files are kept byte for byte: scans and photos (PNG, JPEG, HEIC, WebP, TIFF, GIF), PDFs, and \
            e-mails saved as .eml, whose DKIM signatures are checked with keys fetched from DNS now and \
            kept in the entry (--offline: not checked; `temoin step check SEQ` later).

            Examples:
              temoin step add --kind registered-letter --date 03/11/2026 --to "Monsieur le Préfet du Val-de-Marne" \\
                  --summary "Demande de rendez-vous pour déposer ma demande de titre de séjour" \\
                  --tracking 1A01234567890 --file lettre.pdf --receipt preuve-de-depot.jpg
              temoin step add --kind email --file reponse-prefecture.eml --summary "Réponse automatique"
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var dns: DNSOptions

    @Option(help: "What was done: \(StepKind.allValueStrings.joined(separator: ", ")).") var kind: StepKind?
    @Option(help: "When (YYYY-MM-DD or DD/MM/YYYY, optionally HH:MM; Paris time). An e-mail: its Date by default.")
    var date: String?
    @Option(help: "To whom (e.g. \"Monsieur le Préfet du Val-de-Marne\").") var to: String?
    @Option(help: "What was asked or said, in a few words.") var summary: String?
    @Option(help: "Registered letters: La Poste's tracking number.") var tracking: String?
    @Option(name: .customLong("file"), help: "A file that proves the step (scan, photo, PDF, .eml). Repeatable.")
    var files: [String] = []
    @Option(
        name: .customLong("receipt"), help: "Registered letters: La Poste's deposit receipt (scan, photo). Repeatable.")
    var receipts: [String] = []
    @Option(help: "A note kept with the entry.") var note: String?
    @Option(name: .customLong("max-size"), help: "Largest file accepted (default 20MB).") var maxSize: String = "20MB"

    func validate() throws {
        if ByteCount.parse(maxSize) == nil { throw ValidationError(tr("import.bad_max_size", ["value": maxSize])) }
    }

    func run() throws {
        try guarded {
            let interactive = isatty(STDIN_FILENO) == 1 && !output.json
            var request = StepRequest(
                kind: kind ?? .other, date: try date.map { try StepDate.parse($0) }, to: to, summary: summary ?? "",
                trackingNumber: tracking,
                files: files, postalReceipts: receipts, note: note)
            let resolver = try dns.resolver()
            let limit = ByteCount.parse(maxSize)!
            if interactive {
                request = ask(request, limit: limit)
            } else {
                var missing: [String] = []
                if kind == nil { missing.append("--kind") }
                if (summary ?? "").trimmingCharacters(in: .whitespaces).isEmpty { missing.append("--summary") }
                if !missing.isEmpty {
                    throw ValidationError(tr("step.missing_options", ["options": missing.joined(separator: ", ")]))
                }
            }
            let store = try Store.open(at: storeOptions.path)
            let entry = try StepRecorder(store: store, resolver: resolver, maxSize: limit).add(request)
            renderRecorded(entry, store: store, json: output.json)
        }
    }

    /// Asks, one at a time and with an example, what the options left out.
    private func ask(_ given: StepRequest, limit: Int64) -> StepRequest {
        var r = given
        let registered = { r.kind == .registeredLetter }
        var count = 0
        if kind == nil { count += 1 }
        if files.isEmpty { count += 1 }
        if date == nil { count += 1 }
        if to == nil { count += 1 }
        if summary == nil { count += 1 }
        print(tr("step.ask.intro", ["count": String(count)]))
        print("")
        if kind == nil {
            print(tr("step.ask.kind"))
            while true {
                let answer = prompt()
                if let n = Int(answer), (1...StepKind.allCases.count).contains(n) {
                    r.kind = StepKind.allCases[n - 1]
                    break
                }
                print(tr("step.ask.kind_invalid"))
            }
            print("")
        }
        if files.isEmpty {
            r.files = askFiles("step.ask.files", limit: limit)
        }
        let email = r.files.lazy.compactMap { try? ProofFile.read(path: $0, maxSize: limit) }.first { $0.email != nil }
        if date == nil {
            let today = String(TimeFormat.parisWallTime(Date()).prefix(10))
            print(email != nil ? tr("step.ask.date_email") : tr("step.ask.date", ["today": today]))
            while true {
                let answer = prompt()
                if answer.isEmpty {
                    r.date = email != nil ? nil : StepDate(day: today)
                    break
                }
                do {
                    r.date = try StepDate.parse(answer)
                    break
                } catch {
                    print((error as? TemoinError)?.description ?? "\(error)")
                }
            }
            print("")
        }
        if to == nil {
            print(tr("step.ask.to"))
            r.to = prompt()
            print("")
        }
        if summary == nil {
            print(tr("step.ask.summary"))
            while true {
                let answer = prompt()
                if !answer.isEmpty {
                    r.summary = answer
                    break
                }
                print(tr("step.ask.required"))
            }
            print("")
        }
        if registered(), tracking == nil {
            print(tr("step.ask.tracking"))
            while true {
                let answer = prompt()
                if answer.isEmpty { break }
                do {
                    r.trackingNumber = try TrackingNumber.normalise(answer)
                    break
                } catch {
                    print((error as? TemoinError)?.description ?? "\(error)")
                }
            }
            print("")
        }
        if registered(), receipts.isEmpty {
            r.postalReceipts = askFiles("step.ask.receipts", limit: limit)
        }
        return r
    }

    /// Paths, one per line, each checked as it is typed; an empty line ends the list.
    private func askFiles(_ question: String, limit: Int64) -> [String] {
        print(tr(question))
        var paths: [String] = []
        while true {
            let answer = Self.cleanPath(prompt())
            if answer.isEmpty { break }
            do {
                let proof = try ProofFile.read(path: answer, maxSize: limit)
                print(
                    tr(
                        "step.ask.file_ok",
                        [
                            "name": (answer as NSString).lastPathComponent,
                            "kind": tr("step.looks_like.\(proof.format.rawValue)"),
                        ]))
                paths.append(answer)
            } catch {
                print((error as? TemoinError)?.description ?? "\(error)")
            }
        }
        print("")
        return paths
    }

    private func prompt() -> String {
        print("> ", terminator: "")
        fflush(nil)
        return (readLine() ?? "").trimmingCharacters(in: .whitespaces)
    }

    /// A path as terminals paste a dragged file: quoted, with backslash-escaped spaces, or a file:// URL.
    static func cleanPath(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.count >= 2, let first = t.first, first == "'" || first == "\"", t.last == first {
            t = String(t.dropFirst().dropLast())
        } else {
            t = t.replacingOccurrences(of: "\\ ", with: " ")
        }
        if t.hasPrefix("file://"), let url = URL(string: t), url.isFileURL { t = url.path }
        return t
    }
}
