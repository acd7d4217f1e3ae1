import ArgumentParser
import Foundation
import TemoinKit

struct KeyNew: ParsableCommand {
    static let configuration = CommandConfiguration.text("new", key: "KeyNew")

    @OptionGroup var output: OutputOptions
    @Option(help: .text("KeyNew.out", value: "file")) var out: String =
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
