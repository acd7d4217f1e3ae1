import ArgumentParser
import Foundation
import TemoinKit

struct CaseShow: ParsableCommand {
    static let configuration = CommandConfiguration.text("show", key: "CaseShow")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path, readOnly: true)
            let record = try store.caseRecord()
            output.render(CaseJSON(record)) { CaseText.lines(record) }
        }
    }
}
