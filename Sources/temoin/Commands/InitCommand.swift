import ArgumentParser
import Foundation
import TemoinKit

struct InitCommand: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("init", key: "InitCommand")
    @OptionGroup var options: StoreOutputOptions
    @Option(help: .text("InitCommand.applicant")) var applicant: String?
    @Option(help: .text("InitCommand.prefecture")) var prefecture: String?
    @Option(help: .text("InitCommand.procedure")) var procedure: String?
    @Option(name: .customLong("booking-url"), help: .text("InitCommand.bookingURL")) var bookingURL: String?
    @Option(help: .text("InitCommand.profile")) var profile: String = "auto"
    @Option(help: .text("InitCommand.facts")) var facts: String?
    @Option(name: .customLong("tsa"), help: .text("InitCommand.tsa", value: "url")) var tsa: [String] = []

    func validate() throws {
        try validating { try tsa.forEach(URLCheck.validate) }
    }

    func execute() throws {
        let questions = CaseQuestions(
            applicant: applicant, prefecture: prefecture, procedure: procedure, bookingURL: bookingURL, facts: facts
        )
        let person = isatty(STDIN_FILENO) == 1 && !output.json ? Conversation.terminal : nil
        let interview = try validating { try questions.interview(person) }
        let setup = try CaseSetup(
            questions: questions, profile: profile, tsas: tsa, storeOption: storeOptions.store, interview: interview)
        output.json ? print(JSONOutput.string(try InitJSON(setup))) : speak(InitText.utterances(setup), json: false)
    }
}
