import ArgumentParser
import TemoinKit

struct AttestCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("attest", key: "AttestCommand")
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: .text("AttestCommand.file", value: "store")) var file: String?
    @Option(help: .text("AttestCommand.key", value: "file")) var key: String
    @Option(help: .text("AttestCommand.name")) var name: String
    @Option(help: .text("AttestCommand.organisation")) var organisation: String
    @Option(help: .text("AttestCommand.out", value: "file.json")) var out: String?
    @OptionGroup var trustOptions: TrustOptions

    func validate() throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(TemoinError.emptyValue(field: "name").description)
        }
        if organisation.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(TemoinError.emptyValue(field: "organisation").description)
        }
        do {
            try FieldText.checkLine(name, field: "name")
            try FieldText.checkLine(organisation, field: "organisation")
        } catch let error as TemoinError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let cleanup = installCleanupHandlers()
        defer { for handler in cleanup { handler.cancel() } }
        try guarded {
            let path = file ?? storeOptions.path
            let signer = try VolunteerKey.read(path: key)
            let (attestation, statement, report) = try signer.attest(
                storePath: path, name: name, organisation: organisation, trust: try trustOptions.trust())
            let target = out ?? "attestation-\(statement.storeID.prefix(8))-\(statement.seq).json"
            try OutputFile.create(target, data: try attestation.encoded())
            if output.json {
                print(
                    JSONOutput.string(AttestJSON(file: target, statement: statement, fingerprint: signer.fingerprint)))
            } else {
                for line in AttestText.lines(report: report, file: target) { print(line) }
            }
        }
    }
}
