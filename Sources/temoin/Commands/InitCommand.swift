import ArgumentParser
import Foundation
import TemoinKit

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("init", key: "InitCommand")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: .text("InitCommand.applicant")) var applicant: String?
    @Option(help: .text("InitCommand.prefecture")) var prefecture: String?
    @Option(help: .text("InitCommand.procedure")) var procedure: String?
    @Option(name: .customLong("booking-url"), help: .text("InitCommand.bookingURL")) var bookingURL: String?
    @Option(help: .text("InitCommand.profile")) var profile: String = "auto"
    @Option(help: .text("InitCommand.facts")) var facts: String?
    @Option(name: .customLong("tsa"), help: .text("InitCommand.tsa", value: "url")) var tsa: [String] = []

    func validate() throws {
        for url in tsa where (try? URLCheck.validate(url)) == nil {
            throw ValidationError(TemoinError.invalidURL(value: url).description)
        }
    }

    func run() throws {
        try guarded {
            let questions = CaseQuestions(
                applicant: applicant, prefecture: prefecture, procedure: procedure, bookingURL: bookingURL, facts: facts
            )
            let interview = isatty(STDIN_FILENO) == 1 && !output.json ? CaseInterview(.terminal) : nil
            if interview == nil, !questions.missingOptions.isEmpty {
                let missing = questions.missingOptions.joined(separator: ", ")
                throw ValidationError(tr("init.missing_options", ["options": missing]))
            }
            // The store's place first: a person on a borrowed laptop may want it on a USB stick.
            let askPlace = storeOptions.store == nil && ProcessInfo.processInfo.environment["TEMOIN_STORE"] == nil
            let path =
                interview?.introduce(
                    questions: questions.unanswered + (tsa.isEmpty ? 1 : 0), askPlace: askPlace,
                    path: storeOptions.path) ?? storeOptions.path
            let fields = try questions.answers(profile: profile, asking: interview)
            let tsas = tsa.isEmpty ? interview?.askTSAs() ?? [] : tsa
            let store = try Store.create(at: path, case: fields)
            let sealed = try Sealer.addAndSeal(tsas, store: store)
            if output.json {
                print(JSONOutput.string(InitJSON(store: store, head: try store.head(), tsas: tsas, seals: sealed)))
                return
            }
            for line in InitText.sealLines(tsas, sealed) { line.isError ? printError(line.text) : print(line.text) }
            let chosen = path != storeOptions.path ? path : nil
            for line in InitText.doneLines(store: store.path, chosen: chosen) { print(line) }
        }
    }
}
