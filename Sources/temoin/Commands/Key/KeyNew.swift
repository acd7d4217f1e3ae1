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
            let report = KeyCreatedReport(path: out, fingerprint: key.fingerprint)
            output.render(report) { report.lines }
        }
    }
}
