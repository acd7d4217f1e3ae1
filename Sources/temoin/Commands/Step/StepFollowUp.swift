import ArgumentParser
import TemoinKit

struct StepFollowUp: StoreCommand {
    static let configuration = CommandConfiguration.text("followup", key: "StepFollowUp")
    static let records = true
    @OptionGroup var options: StoreOutputOptions
    @OptionGroup var dns: DNSOptions
    @Argument(help: .text("StepFollowUp.seq")) var seq: Int64
    @Option(help: .text("StepFollowUp.kind", ["kinds": FollowUpKind.allValueStrings.joined(separator: ", ")]))
    var kind: FollowUpKind
    @Option(help: .text("StepFollowUp.date")) var date: String?
    @Option(help: .text("StepFollowUp.from")) var from: String?
    @Option(help: .text("StepFollowUp.summary")) var summary: String?
    @Option(name: .customLong("file"), help: .text("StepFollowUp.files")) var files: [String] = []
    @Option(name: .customLong("max-size"), help: .text("StepFollowUp.maxSize")) var maxSize = ByteLimit("20MB")

    func validate() throws { try validating { _ = try maxSize.value() } }

    func report(_ store: Store) throws -> Reported<EntryView> {
        let recorder = StepRecorder(store: store, resolver: try dns.resolver(), maxSize: try maxSize.value())
        let entry = try recorder.followUp(
            try FollowUpRequest(of: seq, kind: kind, typedDate: date, from: from, summary: summary, files: files))
        return Reported(EntryView(entry)) { StepText.recorded(entry, head: try? store.head()) }
    }
}
