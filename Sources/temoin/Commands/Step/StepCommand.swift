import ArgumentParser
import Foundation
import TemoinKit

struct StepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: "Record the other steps taken: registered letters, letters, e-mails, forms, visits, calls.",
        discussion: """
            A référé mesures utiles is judged on every step the applicant took, not only on the booking \
            site. Each step is an entry of the chain with its date (declared by you, and marked so), to \
            whom, what it asked, and the files that prove it (scans, photos, PDFs, e-mails as .eml), kept \
            byte for byte. What followed (the avis de réception came back, an answer arrived) is a later \
            entry: a step is never edited. E-mails' DKIM signatures are checked with keys fetched from DNS \
            and kept in the entry.
            """,
        subcommands: [StepAdd.self, StepFollowUp.self, StepList.self, StepCheck.self],
        defaultSubcommand: StepList.self)
}
