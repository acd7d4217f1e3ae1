import ArgumentParser
import Foundation
import TemoinKit

struct CaseSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Amend one field of the case; the amendment is recorded in the chain.",
        discussion: "Fields: applicant, prefecture, procedure, booking_url, profile, facts.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The field to amend.") var field: String
    @Argument(help: "Its new value.") var value: String
    @Option(help: "Why it changed (kept with the amendment).") var reason: String?

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path)
            let entry = try store.amendCase(field: field, value: value, reason: reason)
            if output.json {
                struct Out: Encodable {
                    let changed: Bool
                    let seq: Int64?
                    let hash: String?
                }
                print(JSONOutput.string(Out(changed: entry != nil, seq: entry?.seq, hash: entry?.hash)))
            } else if let entry {
                print(tr("case.amended", ["field": field, "seq": String(entry.seq)]))
            } else {
                print(tr("case.unchanged", ["field": field]))
            }
        }
    }
}
