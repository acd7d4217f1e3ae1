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
        try store.addAttestations(files: files, json: output.json) { speak($0, json: output.json) }
        if output.json { print(JSONOutput.string(try store.attestations())) }
    }
}
