import ArgumentParser
import Foundation
import TemoinKit

struct KeyNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Make a new Ed25519 key: FILE (private, mode 0600) and FILE.pub (public, to publish).",
        discussion: """
            Keep the private key to yourself. Publish the fingerprint printed here (on your association's \
            site, in your emails) so that others can recognise your attestations.
            """)

    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("Where to write the private key.", valueName: "file")) var out: String =
        "temoin-volunteer.key"

    func run() throws {
        try guarded {
            let key = VolunteerKey.generate()
            try key.write(to: out)
            if output.json {
                struct Out: Encodable {
                    let private_key: String
                    let public_key: String
                    let fingerprint: String
                }
                print(JSONOutput.string(Out(private_key: out, public_key: out + ".pub", fingerprint: key.fingerprint)))
            } else {
                print(tr("trust.key.created", ["path": out, "pub": out + ".pub"]))
                print(tr("trust.key.fingerprint", ["fingerprint": key.fingerprint]))
            }
        }
    }
}
