import ArgumentParser
import TemoinKit

struct SealTake: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("take", key: "SealTake")
    @OptionGroup var options: StoreOutputOptions
    @OptionGroup var trustOptions: TrustOptions
    @Option(help: .text("SealTake.tsa", value: "url")) var tsa: [String] = []
    @Option(help: .text("SealTake.cacert")) var cacert: String?

    func validate() throws {
        try validating { try tsa.forEach(URLCheck.validate) }
    }

    func execute() throws {
        speak(TrustText.credentialsOnCommandLine(tsa), json: output.json)
        var sealer = Sealer(store: try Store.open(at: storeOptions.path))
        sealer.transfer.caFile = cacert
        let outcomes = try sealer.seal(urls: try sealer.urls(given: tsa), trust: try trustOptions.trust())
        speak(TrustText.sealOutcomes(outcomes, json: output.json), json: output.json)
        if let status = Sealer.exitStatus(outcomes) { throw ExitCode(status) }
    }
}
