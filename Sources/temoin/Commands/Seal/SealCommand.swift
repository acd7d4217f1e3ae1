import ArgumentParser
import Foundation
import TemoinKit

struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Have time-stamp authorities (RFC 3161) seal the current head, and manage them.",
        discussion: """
            A seal is a time-stamp token a third party signed over the head's hash: it proves the chain \
            existed, as it is, at that time. `temoin seal` asks every TSA configured for the store (or \
            those given with --tsa) and keeps each answer that verifies. See docs/TRUST.md for which TSA \
            to choose (a qualified eIDAS TSA gives a legal presumption of date).
            """,
        subcommands: [SealTake.self, SealList.self, SealExport.self, SealTSA.self, SealTrust.self],
        defaultSubcommand: SealTake.self)
}
