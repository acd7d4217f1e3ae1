import ArgumentParser
import Foundation
import TemoinKit

struct StepFollowUp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup",
        abstract: "Record what followed a step: the avis de réception came back, an answer arrived...",
        discussion: """
            The step stays as it was recorded; this is a new entry pointing to it. The avis de réception's \
            scan or photo is given with --file (its date is the one La Poste's agent wrote on it). An \
            answer by e-mail: --file answer.eml (its DKIM signatures are checked; without --date, its Date \
            field is the date).

            Example: temoin step followup 12 --kind receipt-returned --date 06/11/2026 --file ar.jpg
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var dns: DNSOptions

    @Argument(help: "The step's entry number (temoin step list).") var seq: Int64
    @Option(help: "What followed: \(FollowUpKind.allValueStrings.joined(separator: ", ")).") var kind: FollowUpKind
    @Option(help: "When (YYYY-MM-DD or DD/MM/YYYY, optionally HH:MM; Paris time).") var date: String?
    @Option(help: "Who answered, when someone did.") var from: String?
    @Option(help: "What it says, in a few words.") var summary: String?
    @Option(name: .customLong("file"), help: "A file that proves it (scan, photo, PDF, .eml). Repeatable.")
    var files: [String] = []
    @Option(name: .customLong("max-size"), help: "Largest file accepted (default 20MB).") var maxSize: String = "20MB"

    func validate() throws {
        if ByteCount.parse(maxSize) == nil { throw ValidationError(tr("import.bad_max_size", ["value": maxSize])) }
    }

    func run() throws {
        try guarded {
            let when = try date.map { try StepDate.parse($0) }
            let store = try Store.open(at: storeOptions.path)
            let recorder = StepRecorder(store: store, resolver: try dns.resolver(), maxSize: ByteCount.parse(maxSize)!)
            let entry = try recorder.followUp(
                FollowUpRequest(of: seq, kind: kind, date: when, from: from, summary: summary, files: files))
            renderRecorded(entry, store: store, json: output.json)
        }
    }
}
