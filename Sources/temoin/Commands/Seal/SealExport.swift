import ArgumentParser
import TemoinKit

struct SealExport: GuardedCommand {
    static let configuration = CommandConfiguration.text("export", key: "SealExport")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: .text("SealExport.id")) var id: Int64
    @Option(help: .text("SealExport.out", value: "file.tsr")) var out: String

    func execute() throws {
        let store = try Store.open(at: storeOptions.path, readOnly: true)
        for line in try store.exportSeal(id: id, to: out) { print(line) }
    }
}
