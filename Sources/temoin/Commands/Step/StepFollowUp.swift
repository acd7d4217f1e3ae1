import ArgumentParser
import Foundation
import TemoinKit

struct StepFollowUp: ParsableCommand {
    static let configuration = CommandConfiguration.text("followup", key: "StepFollowUp")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var dns: DNSOptions

    @Argument(help: .text("StepFollowUp.seq")) var seq: Int64
    @Option(
        help: ArgumentHelp(
            tr("help.StepFollowUp.kind", ["kinds": FollowUpKind.allValueStrings.joined(separator: ", ")]))) var kind:
        FollowUpKind
    @Option(help: .text("StepFollowUp.date")) var date: String?
    @Option(help: .text("StepFollowUp.from")) var from: String?
    @Option(help: .text("StepFollowUp.summary")) var summary: String?
    @Option(name: .customLong("file"), help: .text("StepFollowUp.files")) var files: [String] = []
    @Option(name: .customLong("max-size"), help: .text("StepFollowUp.maxSize")) var maxSize: String = "20MB"

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
            output.render(EntryView(entry)) { StepText.recorded(entry, head: try? store.head()) }
        }
    }
}
