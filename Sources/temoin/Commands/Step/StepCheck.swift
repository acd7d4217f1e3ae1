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
            let report = StepCheckReport(seq: seq, outcome: outcome)
            try output.render(report) { report.lines(head: outcome.entry == nil ? nil : try store.head()) }
        }
    }
}
