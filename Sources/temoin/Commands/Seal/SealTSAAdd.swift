import ArgumentParser
import TemoinKit

struct SealTSAAdd: GuardedCommand {
    static let configuration = CommandConfiguration.text("add", key: "SealTSAAdd")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: .text("SealTSAAdd.url")) var url: String
    @Option(help: .text("SealTSAAdd.name")) var name: String?

    func validate() throws {
        try validating { try URLCheck.validate(url) }
    }

    func execute() throws {
        speak(try Store.open(at: storeOptions.path).addTSAAndTell(url: url, name: name), json: false)
    }
}
