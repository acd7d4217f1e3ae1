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
        let signer = try VolunteerKey.read(path: key)
        let (attestation, statement, report) = try signer.attest(
            storePath: file ?? storeOptions.path, name: name, organisation: organisation,
            trust: try trustOptions.trust())
        let target = out ?? "attestation-\(statement.storeID.prefix(8))-\(statement.seq).json"
        try OutputFile.create(target, data: try attestation.encoded())
        let json = AttestJSON(file: target, statement: statement, fingerprint: signer.fingerprint)
        return Reported(json) { AttestText.lines(report: report, file: target) }
    }
}
