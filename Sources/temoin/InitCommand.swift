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

            In a terminal, the questions not answered by options are asked one by one. The store can
            live anywhere, a USB stick included: pass --store /media/usb/temoin.sqlite.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Applicant's full name.") var applicant: String?
    @Option(help: "Prefecture, e.g. \"Préfecture du Val-de-Marne (Créteil)\".") var prefecture: String?
    @Option(help: "Procedure, e.g. \"Admission exceptionnelle au séjour\".") var procedure: String?
    @Option(name: .customLong("booking-url"), help: "The page where appointments are booked.") var bookingURL: String?
    @Option(help: "Booking system: auto, prefecture-legacy, rdv-prefecture or generic.") var profile: String = "auto"
    @Option(help: "Facts that bear on urgency (permit expiry date, job, children...).") var facts: String?

    func run() throws {
        try guarded {
            let interactive = isatty(STDIN_FILENO) == 1 && !output.json
            var answers = [String: String]()
            let questions: [(String, String?, Bool)] = [
                ("applicant", applicant, true), ("prefecture", prefecture, true), ("procedure", procedure, true),
                ("booking_url", bookingURL, true), ("facts", facts, false),
            ]
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
            let store = try Store.create(at: storeOptions.path, case: fields)
            let head = try store.head()
            if output.json {
                struct Out: Encodable {
                    let store: String
                    let store_id: String
                    let head: ChainHead?
                }
                print(JSONOutput.string(Out(store: store.path, store_id: store.storeID, head: head)))
            } else {
                print(tr("init.done", ["path": absolute(store.path)]))
                print(tr("init.usb_hint"))
                print(tr("init.next"))
            }
        }
    }

    /// Asks one question with an example until a valid answer (or an empty one, if optional) is given.
    private func ask(_ key: String, required: Bool) -> String {
        while true {
            print(tr("init.ask.\(key)"))
            print("> ", terminator: "")
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
            return answer
        }
    }
}

func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}
