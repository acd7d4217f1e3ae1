import ArgumentParser
import TemoinKit

/// Options every command that touches a store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: .text("StoreOptions.store", value: "path")) var store: String?
    @Option(name: .long, help: .text("StoreOptions.lang")) var lang: Language?
    var path: String { Store.resolvePath(option: store) }

    func validate() throws {
        if let lang { Messages.shared.language = lang }
    }
}

/// `--store`, `--lang` and `--json`, in this order: what the commands that report on a store declare.
struct StoreOutputOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions
}

/// A command with `StoreOutputOptions`, read as its `storeOptions` and its `output`.
protocol StoreReporting {
    var options: StoreOutputOptions { get }
}

extension StoreReporting {
    var storeOptions: StoreOptions { options.store }
    var output: OutputOptions { options.output }
}
