import ArgumentParser
import Foundation
import TemoinKit

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the store and record the case.",
        discussion: """
            Records who is trying to get an appointment, where, for which procedure, and the facts that
            make it urgent (expiry of the current permit, a job at risk, children...). These are the
            first entry of the chain; `temoin case set` amends them later, and every amendment is kept.

            In a terminal, the questions not answered by options are asked one by one, each with an
            example, starting with where to keep the store: it can live anywhere, a USB stick included
            (--store /media/usb/temoin.sqlite). Without a terminal (scripts), give the options.

            Time-stamp authorities (--tsa URL, repeatable; asked in a terminal) seal the record just
            before and just after each attempt, so a third party bounds the time of each one
            (docs/TRUST.md). They need the Internet; temoin takes a first seal at once to check that
            they answer, and a failed seal never stops anything.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Applicant's full name.") var applicant: String?
    @Option(help: "Prefecture, e.g. \"Préfecture du Val-de-Marne (Créteil)\".") var prefecture: String?
    @Option(help: "Procedure, e.g. \"Admission exceptionnelle au séjour\".") var procedure: String?
    @Option(name: .customLong("booking-url"), help: "The page where appointments are booked.") var bookingURL: String?
    @Option(help: "Booking system: auto, prefecture-legacy, rdv-prefecture or generic.") var profile: String = "auto"
    @Option(help: "Facts that bear on urgency (permit expiry date, job, children...).") var facts: String?
    @Option(
        name: .customLong("tsa"),
        help: ArgumentHelp(
            "A time-stamp authority (RFC 3161 URL) to seal each attempt, e.g. https://freetsa.org/tsr; repeat for several.",
            valueName: "url"))
    var tsa: [String] = []

    func validate() throws {
        for url in tsa where (try? URLCheck.validate(url)) == nil {
            throw ValidationError(TemoinError.invalidURL(value: url).description)
        }
    }

    func run() throws {
        try guarded {
            let interactive = isatty(STDIN_FILENO) == 1 && !output.json
            var answers = [String: String]()
            let questions: [(String, String?, Bool)] = [
                ("applicant", applicant, true), ("prefecture", prefecture, true), ("procedure", procedure, true),
                ("booking_url", bookingURL, true), ("facts", facts, false),
            ]
            var path = storeOptions.path
            if interactive {
                // The store's place first: a person on a borrowed laptop may want it on a USB stick.
                let asked = questions.filter { $0.1?.trimmingCharacters(in: .whitespaces).isEmpty ?? true }.count
                let askPlace = storeOptions.store == nil && ProcessInfo.processInfo.environment["TEMOIN_STORE"] == nil
                print(tr("init.intro", ["count": String(asked + (askPlace ? 1 : 0) + (tsa.isEmpty ? 1 : 0))]))
                print("")
                if askPlace {
                    path = askStorePlace(default: path)
                } else {
                    print(tr("init.place_given", ["path": absolute(path)]))
                    print("")
                }
            }
            var missing: [String] = []
            for (key, given, required) in questions {
                if let given, !given.trimmingCharacters(in: .whitespaces).isEmpty {
                    answers[key] = given.trimmingCharacters(in: .whitespaces)
                } else if interactive {
                    answers[key] = ask(key, required: required)
                } else if required {
                    missing.append("--" + key.replacingOccurrences(of: "_", with: "-"))
                } else {
                    answers[key] = ""
                }
            }
            if !missing.isEmpty {
                throw ValidationError(tr("init.missing_options", ["options": missing.joined(separator: ", ")]))
            }
            let fields = try CaseFields(
                applicant: answers["applicant"]!, prefecture: answers["prefecture"]!, procedure: answers["procedure"]!,
                bookingURL: answers["booking_url"]!, profile: profile, facts: answers["facts"] ?? ""
            ).validated()
            let tsas = interactive && tsa.isEmpty ? askTSAs() : tsa
            let store = try Store.create(at: path, case: fields)
            let sealed = try configure(tsas, store: store, json: output.json)
            let head = try store.head()
            if output.json {
                struct Out: Encodable {
                    let store: String
                    let store_id: String
                    let head: ChainHead?
                    let tsas: [String]
                    let seals: [SealOutcomeJSON]
                }
                print(
                    JSONOutput.string(
                        Out(
                            store: store.path, store_id: store.storeID, head: head, tsas: tsas,
                            seals: sealed.map {
                                SealOutcomeJSON(url: $0.url, seal: $0.seal, error: $0.error?.description)
                            })))
            } else {
                print(tr("init.done", ["path": absolute(store.path)]))
                // From the portable folder the store is already on the stick.
                if Installation.current.portableRoot == nil { print(tr("init.usb_hint")) }
                if path != storeOptions.path { print(tr("init.remember_store", ["path": absolute(path)])) }
                print(tr("init.next"))
            }
        }
    }

    /// Offers the suggested public time-stamp authorities, other addresses, or none.
    private func askTSAs() -> [String] {
        let suggested = PublicTSA.suggested.map(\.url)
        print(tr("init.ask.tsa", ["suggested": suggested.joined(separator: " ")]))
        while true {
            print("> ", terminator: "")
            fflush(nil)
            guard let line = readLine() else { return [] }
            let answer = line.trimmingCharacters(in: .whitespaces)
            let urls: [String]
            if answer.isEmpty {
                urls = suggested
            } else if ["no", "non", "n"].contains(answer.lowercased()) {
                urls = []
            } else {
                urls = answer.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
                if let bad = urls.first(where: { (try? URLCheck.validate($0)) == nil }) {
                    print(TemoinError.invalidURL(value: bad).description)
                    continue
                }
            }
            print("")
            return urls
        }
    }

    /// Adds the TSAs to the new store and takes a first seal of entry 1, to show at once whether they
    /// answer. A TSA that does not answer stays configured (the Internet may be back at the next
    /// attempt); nothing here fails `init`.
    private func configure(_ urls: [String], store: Store, json: Bool) throws -> [Sealer.Outcome] {
        guard !urls.isEmpty else { return [] }
        for url in urls {
            try store.addTSA(url: url, name: PublicTSA.suggested.first { $0.url == url }?.name)
        }
        let outcomes = (try? Sealer(store: store).seal(urls: urls, trust: (try? TSATrust.load()) ?? TSATrust())) ?? []
        if !json {
            print(tr("init.tsa_added", ["urls": urls.joined(separator: ", ")]))
            for o in outcomes {
                if let s = o.seal {
                    print("  " + sealLine(s))
                } else if let e = o.error {
                    printError(tr("init.tsa_failed", ["reason": e.description]))
                }
            }
        }
        return outcomes
    }

    /// Explains where the store will be, names the USB sticks plugged in, and asks until the answer
    /// is a place where a new store can be created.
    private func askStorePlace(default defaultPath: String) -> String {
        print(tr("init.ask.store", ["default": absolute(defaultPath)]))
        let media = StoreLocation.removableMedia()
        if !media.isEmpty { print(tr("init.usb_found", ["paths": media.joined(separator: ", ")])) }
        while true {
            print("> ", terminator: "")
            fflush(nil)
            guard let line = readLine() else { return defaultPath }
            let path = StoreLocation.resolve(answer: line, defaultPath: defaultPath)
            if let problem = StoreLocation.problem(creating: path) {
                print(problem)
                continue
            }
            print("")
            return path
        }
    }

    /// Asks one question with an example until a valid answer (or an empty one, if optional) is given.
    private func ask(_ key: String, required: Bool) -> String {
        print(tr("init.ask.\(key)"))
        while true {
            print("> ", terminator: "")
            fflush(nil)
            guard let line = readLine() else { return "" }
            let answer = line.trimmingCharacters(in: .whitespaces)
            if answer.isEmpty && required {
                print(tr("init.required"))
                continue
            }
            if key == "booking_url", !answer.isEmpty, (try? URLCheck.validate(answer)) == nil {
                print(TemoinError.invalidURL(value: answer).description)
                continue
            }
            // Arrow keys in a plain prompt type escape sequences: refused at once, asked again.
            if key != "booking_url", let c = FieldText.forbiddenInLine(answer) {
                print(TemoinError.controlCharacter(field: key, character: FieldText.describe(c)).description)
                continue
            }
            print("")
            return answer
        }
    }
}
