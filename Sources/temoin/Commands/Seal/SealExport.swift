import ArgumentParser
import TemoinKit

struct SealExport: GuardedCommand {
    static let configuration = CommandConfiguration.text("export", key: "SealExport")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: .text("SealExport.id")) var id: Int64
    @Option(help: .text("SealExport.out", value: "file.tsr")) var out: String

    func execute() throws {
        let store = try Store.open(at: storeOptions.path, readOnly: true)
        let (seq, head, response) = try store.sealResponse(id: id)
        try OutputFile.create(out, data: response)
        print(tr("trust.seal.exported", ["path": out, "seq": String(seq)]))
        // A command line to copy, not a sentence: it stays as it is in every language.
        let command = "openssl ts -verify -in \(out) -digest \(head) -CAfile TSA_CA.pem"
        print(command)
    }
}
