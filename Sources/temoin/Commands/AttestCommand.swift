import ArgumentParser
import TemoinKit

struct AttestCommand: ReportingCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("attest", key: "AttestCommand")
    static let cleansUp = true
    @OptionGroup var options: StoreOutputOptions
    @Argument(help: .text("AttestCommand.file", value: "store")) var file: String?
    @Option(help: .text("AttestCommand.key", value: "file")) var key: String
    @Option(help: .text("AttestCommand.name")) var name: String
    @Option(help: .text("AttestCommand.organisation")) var organisation: String
    @Option(help: .text("AttestCommand.out", value: "file.json")) var out: String?
    @OptionGroup var trustOptions: TrustOptions

    func validate() throws {
        try validating { try VolunteerKey.checkSigner(name: name, organisation: organisation) }
    }

    func report() throws -> Reported<AttestJSON> {
        let (json, lines) = try VolunteerKey.read(path: key).attest(
            storePath: file ?? storeOptions.path, name: name, organisation: organisation,
            trust: try trustOptions.trust(), out: out)
        return Reported(json) { lines }
    }
}
