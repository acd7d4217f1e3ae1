import ArgumentParser
import Foundation
import TemoinKit

struct SealTrust: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: tr("help.SealTrust.abstract"),
        discussion:
            tr("help.SealTrust.discussion"))

    @Option(help: .text("SealTrust.add", value: "file.pem")) var add: String?
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
