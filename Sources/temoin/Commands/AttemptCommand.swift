import ArgumentParser
import TemoinKit

struct AttemptCommand: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("attempt", key: "AttemptCommand")
    @OptionGroup var options: StoreOutputOptions
    @OptionGroup var live: LiveOptions

    func execute() throws {
        try live.run(try Store.open(at: storeOptions.path), json: output.json) { _ = try $0.attemptOnce() }
    }
}
