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
            Record:  temoin attempt                 (one attempt now, every exchange recorded)
                     temoin watch --every 2h        (attempts at a humane pace)
                     temoin import saved-page.html  (pages saved from the browser)
            Review:  temoin status                  (the case in plain words, verified, with advice)
                     temoin log, temoin show SEQ
            Court:   temoin dossier --out DIR        (PDFs named for Télérecours, inventory, HTML copy)
            Check:   temoin verify                  (or: python3 docs/verify_reference.py STORE)
            Anchor:  temoin seal                    (RFC 3161 time stamp over the head, docs/TRUST.md)
                     temoin attest --key K ...      (a volunteer signs what they verified)
            Share:   temoin export --out case.zip   (a bundle anyone can verify; --warc for archivists)

            The store is ./temoin.sqlite, or --store PATH, or the TEMOIN_STORE environment variable.
            It can live on a USB stick. Messages are in French when LANG starts with "fr"; --lang fr|en
            on any command overrides it. Progress bars appear on long work when standard error is a
            terminal, never with --json or in a pipe.

            Exit codes:
              0   success; for verify: the chain is intact
              1   verify, status: tampering or corruption found (each problem is listed with its seq)
              2   the store cannot be read (missing, not a temoin store, made by a newer temoin, damaged)
              3   the store cannot be written (read-only, disk full, busy); nothing was recorded
              4   an input file was refused (missing, empty, too large, not HTML, no URL, a folder
                  with no page, invalid profile file, unreadable key or certificate, invalid
                  attestation, unsafe or damaged bundle); files recorded before it are kept
              5   the network layer or the browser (--browser) could not start, or the browser was
                  closed before recording (an unreachable site is recorded, not an error)
              6   seal: no time-stamp authority gave a seal that verifies (nothing stored; the
                  chain is untouched). With --seal auto, a failed seal never changes an attempt's code
              7   an output file cannot be written (dossier folder read-only or full)
              64  invalid arguments (unknown option, invalid date, URL or duration, interval < 5 min)
              130 stopped with Ctrl-C: an unfinished attempt is not recorded
            """,
        version: Temoin.version,
        subcommands: [
            InitCommand.self, CaseCommand.self, AttemptCommand.self, WatchCommand.self, ScheduleCommand.self,
            ImportCommand.self, StatusCommand.self, LogCommand.self, ShowCommand.self, VerifyCommand.self,
            WithholdCommand.self, DossierCommand.self, ProfilesCommand.self, SimulateCommand.self, SealCommand.self,
            KeyCommand.self, AttestCommand.self, AttestationCommand.self, ExportCommand.self,
        ]
    )

    @OptionGroup var language: LanguageOptions

    static func main() async {
        if let lang = LanguageOptions.scan(Array(CommandLine.arguments.dropFirst())) {
            Messages.shared.language = lang
        }
        await main(nil)
    }
}
