import ArgumentParser
import Foundation
import TemoinKit

@main
struct TemoinCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "temoin",
        abstract: "Record failed attempts to book a prefecture appointment as evidence a court will accept.",
        discussion: """
            temoin keeps every attempt in one SQLite file (the store), chained by SHA-256 so that any
            later change shows. The applicant records attempts; the lawyer exports the dossier; a
            volunteer verifies the chain.

            Start:   temoin init                    (records the case, creates ./temoin.sqlite)
                     temoin doctor                  (what this computer lacks for an attempt)
            Record:  temoin attempt                 (one attempt now, every exchange recorded)
                     temoin watch --every 2h        (attempts at a humane pace; --notify-email to be alerted)
                     temoin import saved-page.html  (pages saved from the browser)
                     temoin note SEQ "..."          (what you did after a slot appeared)
                     temoin step add                (a registered letter, an e-mail, a visit...)
            Review:  temoin status                  (the case in plain words, verified, with advice)
                     temoin log, temoin show SEQ
            Court:   temoin dossier --out DIR        (PDFs named for Télérecours, inventory, HTML copy)
            Check:   temoin verify                  (or: python3 docs/verify_reference.py STORE)
            Anchor:  temoin seal                    (RFC 3161 time stamp over the head, docs/TRUST.md)
                     temoin attest --key K ...      (a volunteer signs what they verified)
            Share:   temoin export --out case.zip   (a bundle anyone can verify; --warc for archivists)

            The store is ./temoin.sqlite (beside temoin.sh when run from the portable folder), or
            --store PATH, or the TEMOIN_STORE environment variable.
            It can live on a USB stick. Messages are in French when LANG starts with "fr"; --lang fr|en
            on any command overrides it. Progress bars appear on long work when standard error is a
            terminal, never with --json or in a pipe.

            Exit codes:

            """ + ExitStatus.helpTable(),
        version: Temoin.version,
        subcommands: [
            InitCommand.self, CaseCommand.self, AttemptCommand.self, WatchCommand.self, ScheduleCommand.self,
            ImportCommand.self, NoteCommand.self, StepCommand.self, StatusCommand.self, LogCommand.self,
            ShowCommand.self,
            VerifyCommand.self,
            WithholdCommand.self, DossierCommand.self, ProfilesCommand.self, SimulateCommand.self, SealCommand.self,
            KeyCommand.self, AttestCommand.self, AttestationCommand.self, ExportCommand.self, NotifyCommand.self,
            DoctorCommand.self,
        ]
    )

    @OptionGroup var language: LanguageOptions

    static func main() async {
        let installation = Installation.current
        guard installation.resources != nil else {
            // Without its files temoin has no messages to speak with: this one is built in.
            printBuiltInError(installation.missingResourcesMessage)
            Foundation.exit(Installation.incompleteExitStatus.rawValue)
        }
        installation.prepareEnvironment()
        if let lang = LanguageOptions.scan(Array(CommandLine.arguments.dropFirst())) {
            Messages.shared.language = lang
        }
        await main(nil)
    }
}
