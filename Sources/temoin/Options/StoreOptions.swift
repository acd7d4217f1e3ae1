import ArgumentParser
import Foundation
import TemoinKit

/// Options every command that touches a store shares.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The store file (default: $TEMOIN_STORE, else ./temoin.sqlite).", valueName: "path"))
    var store: String?

    @Option(name: .long, help: "Language of messages: fr or en (default: from LANG).")
    var lang: Language?

    var path: String { Store.resolvePath(option: store) }

    func validate() throws {
        if let lang { Messages.shared.language = lang }
    }
}
