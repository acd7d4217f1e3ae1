import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// The questions `init` and `step add` ask in a terminal, driven by scripted answers: what is said
/// back to a wrong answer, and what the interview returns.
@Suite struct InterviewTests {
    /// Typed answers, one per prompt, and every line shown to the person.
    final class Script {
        var answers: [String]
        var said: [String] = []
        init(_ answers: [String]) { self.answers = answers }

        var conversation: Conversation {
            Conversation(
                say: { self.said.append($0) },
                read: { self.answers.isEmpty ? nil : self.answers.removeFirst() })
        }
    }

    @Test func aRequiredAnswerAndAnAddressAreAskedAgainUntilUsable() {
        let script = Script(["", "rdv.example", "  https://rdv.example.fr/booking/create/4963/0  "])
        let answer = CaseInterview(script.conversation).ask("booking_url", required: true)
        #expect(answer == "https://rdv.example.fr/booking/create/4963/0")
        #expect(script.said.first == tr("init.ask.booking_url"))
        #expect(script.said.contains(tr("init.required")))
        #expect(script.said.contains(TemoinError.invalidURL(value: "rdv.example").description))
        #expect(script.answers.isEmpty)
    }

    @Test func anArrowKeyTypedInAnAnswerIsRefusedAndAskedAgain() throws {
        let script = Script(["Amina\u{1B}[A", "Amina Diallo"])
        #expect(CaseInterview(script.conversation).ask("applicant", required: true) == "Amina Diallo")
        let c = try #require(FieldText.forbiddenInLine("Amina\u{1B}[A"))
        let refusal = TemoinError.controlCharacter(field: "applicant", character: FieldText.describe(c))
        #expect(script.said.contains(refusal.description))
    }

    @Test func theEndOfInputEndsEveryQuestion() {
        let interview = CaseInterview(Script([]).conversation)
        #expect(interview.ask("applicant", required: true) == "")
        #expect(interview.askTSAs() == [])
        #expect(interview.askStorePlace(default: "/tmp/x.sqlite", absolute: { $0 }) == "/tmp/x.sqlite")
    }

    @Test func timeStampAuthoritiesAreTheSuggestedOnesNoneOrValidAddresses() {
        #expect(CaseInterview(Script([""]).conversation).askTSAs() == PublicTSA.suggested.map(\.url))
        #expect(CaseInterview(Script(["non"]).conversation).askTSAs() == [])
        let script = Script(["tsa example", "https://tsa.example.org/tsr, http://tsa2.example.org/"])
        #expect(
            CaseInterview(script.conversation).askTSAs() == [
                "https://tsa.example.org/tsr", "http://tsa2.example.org/",
            ])
        #expect(script.said.contains(TemoinError.invalidURL(value: "tsa").description))
    }

    @Test func aStepIsCompletedOneQuestionAtATime() throws {
        let registered = try #require(StepKind.allCases.firstIndex(of: .registeredLetter)) + 1
        let script = Script([
            "0", String(registered),  // kind: out of range, then the registered letter
            "",  // no proof file
            "03/11/2026",  // date
            "Monsieur le Préfet du Val-de-Marne",  // to
            "", "Demande de rendez-vous",  // summary: required
            "not a number", "",  // tracking number: refused, then none
            "",  // no deposit receipt
        ])
        let given = StepRequest(kind: .other, date: nil, to: nil, summary: "")
        let r = StepInterview(script.conversation, limit: 1 << 20).complete(
            given, kindGiven: false, summaryGiven: false)
        #expect(r.kind == .registeredLetter)
        #expect(r.date == (try StepDate.parse("03/11/2026")))
        #expect(r.to == "Monsieur le Préfet du Val-de-Marne")
        #expect(r.summary == "Demande de rendez-vous")
        #expect(r.trackingNumber == nil && r.files.isEmpty && r.postalReceipts.isEmpty)
        #expect(script.answers.isEmpty, "left unasked: \(script.answers)")
        #expect(script.said.first == tr("step.ask.intro", ["count": "5"]))
        #expect(script.said.contains(tr("step.ask.kind_invalid")))
        #expect(script.said.contains(tr("step.ask.required")))
        #expect(script.said.contains(tr("step.ask.tracking")))
    }

    @Test func whatTheOptionsGaveIsNotAskedAgain() throws {
        let script = Script(["Accueil"])
        let given = StepRequest(
            kind: .visit, date: try StepDate.parse("2026-11-04"), to: nil, summary: "Demande au guichet",
            files: ["/nonexistent/scan.jpg"])
        let r = StepInterview(script.conversation, limit: 1 << 20).complete(
            given, kindGiven: true, summaryGiven: true)
        #expect(r.to == "Accueil" && r.kind == .visit && r.summary == "Demande au guichet")
        #expect(script.said.first == tr("step.ask.intro", ["count": "1"]))
        #expect(!script.said.contains(tr("step.ask.tracking")))
    }

    @Test func withNobodyToAskTheOptionsMustSayWhatAnInterviewWouldAsk() throws {
        let given = StepRequest(kind: .other, date: nil, to: nil, summary: "")
        #expect(throws: TemoinError.step(.optionsMissing(options: ["--kind", "--summary"]))) {
            try given.completed(by: nil, kind: nil, summary: nil)
        }
        #expect(TemoinError.step(.optionsMissing(options: ["--kind"])).exitStatus == .usage)
        var full = given
        full.summary = "Lettre au préfet"
        #expect(try full.completed(by: nil, kind: .other, summary: "Lettre au préfet").summary == "Lettre au préfet")
        // Someone at a terminal is asked instead, for what the options left out only.
        let script = Script(["7", "", "", "", "Lettre", "", ""])
        let asked = try given.completed(by: StepInterview(script.conversation, limit: 1 << 20), kind: nil, summary: nil)
        #expect(asked.kind == .other && asked.summary == "Lettre")
        #expect(script.said.first == tr("step.ask.intro", ["count": "5"]))

        let questions = CaseQuestions(
            applicant: "Amina Diallo", prefecture: nil, procedure: nil, bookingURL: nil, facts: nil)
        #expect(throws: TemoinError.caseOptionsMissing(options: questions.missingOptions)) {
            try questions.interview(nil)
        }
        #expect(!questions.missingOptions.isEmpty)
        #expect(TemoinError.caseOptionsMissing(options: ["--prefecture"]).exitStatus == .usage)
        #expect(try questions.interview(Script([]).conversation) != nil)
        let answered = CaseQuestions(
            applicant: "A", prefecture: "Préfecture du Val-de-Marne", procedure: "Titre de séjour",
            bookingURL: "http://127.0.0.1:8080/booking/create/4963/0", facts: nil)
        #expect(try answered.interview(nil) == nil)
    }

    @Test func aStorePlaceGivenByOptionOrEnvironmentIsSaidNotAsked() throws {
        let dir = TempDir()
        let questions = CaseQuestions(
            applicant: "Amina Diallo", prefecture: "Préfecture du Val-de-Marne", procedure: "Titre de séjour",
            bookingURL: "http://127.0.0.1:8080/booking/create/4963/0", facts: "Trois mois sans rendez-vous")
        let byOption = Script([])
        let setup = try CaseSetup(
            questions: questions, profile: "auto", tsas: [], storeOption: dir.file("option.sqlite"),
            interview: CaseInterview(byOption.conversation), environment: [:])
        #expect(setup.store.path == dir.file("option.sqlite") && setup.chosenPath == nil)
        #expect(byOption.said.contains(tr("init.place_given", ["path": dir.file("option.sqlite")])))
        let byEnvironment = Script([])
        let other = try CaseSetup(
            questions: questions, profile: "auto", tsas: [], storeOption: nil,
            interview: CaseInterview(byEnvironment.conversation), environment: ["TEMOIN_STORE": dir.file("env.sqlite")])
        #expect(other.store.path == dir.file("env.sqlite"))
        #expect(byEnvironment.said.contains(tr("init.place_given", ["path": dir.file("env.sqlite")])))
    }

    @Test func pastedPathsAreCleaned() {
        #expect(StepInterview.cleanPath("  '/tmp/lettre recommandée.pdf' ") == "/tmp/lettre recommandée.pdf")
        #expect(StepInterview.cleanPath("\"/tmp/a b.jpg\"") == "/tmp/a b.jpg")
        #expect(StepInterview.cleanPath("/tmp/a\\ b.jpg") == "/tmp/a b.jpg")
        #expect(StepInterview.cleanPath("file:///tmp/a%20b.eml") == "/tmp/a b.eml")
    }
}
