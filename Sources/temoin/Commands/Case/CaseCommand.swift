import ArgumentParser
import Foundation
import TemoinKit

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Show or amend the case (applicant, prefecture, procedure, urgency facts).",
        subcommands: [CaseShow.self, CaseSet.self],
        defaultSubcommand: CaseShow.self)
}
