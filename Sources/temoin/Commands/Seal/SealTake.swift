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
        if tsa.contains(where: { TSACredentials.userinfo(in: $0) != nil }) {
            printError(tr("trust.credentials.command_line", ["netrc": TSACredentials.netrcPath()]))
        }
        let store = try Store.open(at: storeOptions.path)
        var sealer = Sealer(store: store)
        sealer.transfer.caFile = cacert
        let outcomes = try sealer.seal(urls: try sealer.urls(given: tsa), trust: try trustOptions.trust())
        output.json
            ? print(JSONOutput.string(outcomes.map(SealOutcomeJSON.init)))
            : speak(TrustText.sealOutcomes(outcomes), json: false)
        if let failed = outcomes.first(where: { $0.seal == nil })?.error, outcomes.allSatisfy({ $0.seal == nil }) {
            throw ExitCode(failed.exitStatus)
        }
    }
}
