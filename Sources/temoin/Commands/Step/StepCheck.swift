import ArgumentParser
import TemoinKit

struct StepCheck: StoreCommand {
    static let configuration = CommandConfiguration.text("check", key: "StepCheck")
    static let records = true
    @OptionGroup var options: StoreOutputOptions
    @OptionGroup var dns: DNSOptions
    @Argument(help: .text("StepCheck.seq")) var seq: Int64
    @Flag(help: .text("StepCheck.refetch")) var refetch = false

    func report(_ store: Store) throws -> Reported<StepCheckReport> {
        let outcome = try StepRecorder(store: store, resolver: try dns.resolver()).check(seq: seq, refetch: refetch)
        let report = StepCheckReport(seq: seq, outcome: outcome)
        return Reported(report) { report.lines(head: outcome.entry == nil ? nil : try store.head()) }
    }
}
