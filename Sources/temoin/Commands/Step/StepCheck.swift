import ArgumentParser
import Foundation
import TemoinKit

struct StepCheck: ParsableCommand {
    static let configuration = CommandConfiguration.text("check", key: "StepCheck")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var dns: DNSOptions

    @Argument(help: .text("StepCheck.seq")) var seq: Int64
    @Flag(help: .text("StepCheck.refetch")) var refetch = false

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path)
            let outcome = try StepRecorder(store: store, resolver: try dns.resolver()).check(seq: seq, refetch: refetch)
            if output.json {
                struct Out: Encodable {
                    let seq: Int64
                    let recorded: Int64?
                    let emails: [EmailFacts]
                }
                print(JSONOutput.string(Out(seq: seq, recorded: outcome.entry?.seq, emails: outcome.emails)))
                return
            }
            for e in outcome.emails {
                for line in StepText.email(e, seq: seq) { print(line) }
                print("")
            }
            if let entry = outcome.entry {
                print(tr("step.check.recorded", ["seq": String(entry.seq), "of": String(seq)]))
                if let head = try store.head() { print(tr("common.head", ["head": head.display])) }
            } else if outcome.emails.contains(where: { $0.verdict == .notChecked }) {
                print(tr("step.check.no_answer"))
            } else {
                print(tr("step.check.nothing_new"))
            }
        }
    }
}
