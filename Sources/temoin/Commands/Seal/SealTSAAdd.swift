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
        let dropped = try Store.open(at: storeOptions.path).addTSA(url: url, name: name)
        print(tr("trust.tsa.added", ["url": TSACredentials.withoutUserinfo(url)]))
        if dropped { printError(tr("trust.credentials.not_kept", ["netrc": TSACredentials.netrcPath()])) }
    }
}
