import ArgumentParser
import Foundation
import TemoinKit

struct StepCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check again the DKIM signatures of a step's e-mails (after an offline import, or to re-verify).",
        discussion: """
            Keys already fetched and kept in the store are used without any network, so a verdict can be \
            repeated offline at any time. Keys not fetched yet (the import was offline) are fetched now; \
            the verdicts and keys are then recorded as a new entry (the step is never edited). With \
            --refetch every key is asked again from DNS and the answers are recorded.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var dns: DNSOptions

    @Argument(help: "The step's (or follow-up's) entry number.") var seq: Int64
    @Flag(help: "Fetch every key from DNS again, even those the store keeps.") var refetch = false

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
