import ArgumentParser
import TemoinKit

struct AttestationAdd: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("add", key: "AttestationAdd")
    @OptionGroup var options: StoreOutputOptions
    @Argument(help: .text("AttestationAdd.files", value: "file")) var files: [String]

    func validate() throws {
        try validating { if files.isEmpty { throw TemoinError.noFilesGiven } }
    }

    func execute() throws {
        let store = try Store.open(at: storeOptions.path)
        for path in files {
            let added = try store.addAttestation(try AttestationFile.read(path: path), path: path)
            if !output.json {
                print(tr(added ? "trust.attestation.added" : "trust.attestation.already", ["path": path]))
            }
        }
        if output.json { print(JSONOutput.string(try store.attestations())) }
    }
}
