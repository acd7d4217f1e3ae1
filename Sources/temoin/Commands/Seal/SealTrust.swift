import ArgumentParser
import Foundation
import TemoinKit

struct SealTrust: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Trust a TSA certificate for every check on this computer (copied to the trust folder).",
        discussion:
            "The folder: $TEMOIN_TRUST_DIR, else $XDG_CONFIG_HOME/temoin/tsa-certs, else ~/.config/temoin/tsa-certs.")

    @Option(help: ArgumentHelp("The TSA's certificate or its CA's, PEM.", valueName: "file.pem")) var add: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        try guarded {
            let folder = TrustFolder()
            if let add {
                let added = try folder.add(add)
                for subject in added.subjects {
                    print(tr("trust.trust.added", ["subject": TerminalText.line(subject), "folder": folder.path]))
                }
                return
            }
            let listing = try folder.list()
            if output.json {
                struct Out: Encodable {
                    let folder: String
                    let certificates: [String]
                }
                print(JSONOutput.string(Out(folder: listing.folder, certificates: listing.certificates)))
            } else {
                print(tr("trust.trust.folder", ["folder": listing.folder]))
                for (subject, source) in zip(listing.certificates, listing.sources) {
                    print("  \(TerminalText.line(subject))  (\(TerminalText.line(source)))")
                }
            }
        }
    }
}
