import ArgumentParser
import Foundation
import TemoinKit

struct StepAdd: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("add", key: "StepAdd")
    @OptionGroup var options: StoreOutputOptions
    @OptionGroup var dns: DNSOptions
    @Option(help: .text("StepAdd.kind", ["kinds": StepKind.allValueStrings.joined(separator: ", ")])) var kind:
        StepKind?
    @Option(help: .text("StepAdd.date")) var date: String?
    @Option(help: .text("StepAdd.to")) var to: String?
    @Option(help: .text("StepAdd.summary")) var summary: String?
    @Option(help: .text("StepAdd.tracking")) var tracking: String?
    @Option(name: .customLong("file"), help: .text("StepAdd.files")) var files: [String] = []
    @Option(name: .customLong("receipt"), help: .text("StepAdd.receipts")) var receipts: [String] = []
    @Option(help: .text("StepAdd.note")) var note: String?
    @Option(name: .customLong("max-size"), help: .text("StepAdd.maxSize")) var maxSize = ByteLimit("20MB")

    func validate() throws { try validating { _ = try maxSize.value() } }

    func execute() throws {
        let limit = try maxSize.value()
        let given = StepRequest(
            kind: kind ?? .other, date: try date.map { try StepDate.parse($0) }, to: to, summary: summary ?? "",
            trackingNumber: tracking, files: files, postalReceipts: receipts, note: note)
        let resolver = try dns.resolver()
        let person = isatty(STDIN_FILENO) == 1 && !output.json ? StepInterview(.terminal, limit: limit) : nil
        let request = try validating { try given.completed(by: person, kind: kind, summary: summary) }
        let store = try Store.open(at: storeOptions.path)
        let entry = try StepRecorder(store: store, resolver: resolver, maxSize: limit).add(request)
        try output.render(Reported(EntryView(entry)) { StepText.recorded(entry, head: try? store.head()) })
    }
}
