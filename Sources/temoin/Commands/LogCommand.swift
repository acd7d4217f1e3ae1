import ArgumentParser
import Foundation
import TemoinKit

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List the entries: time (Paris), provenance, outcome, message.",
        discussion: "Times are shown in Europe/Paris; --json adds UTC, URL, capture digests and entry hashes.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Only attempts (leave out case entries).") var attemptsOnly = false
    @Flag(help: "One line per entry (leave out UTC time, URL, digests).") var short = false

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path, readOnly: true)
            var views = try store.entries().map { EntryView($0) }
            if attemptsOnly { views = views.filter { $0.type == EntryType.attempt.rawValue } }
            if output.json {
                print(JSONOutput.string(views))
                return
            }
            print(tr("log.header"))
            for v in views {
                print(v.logLine)
                if !short, let detail = v.logDetailLine { print(detail) }
            }
            if let head = try store.head() { print(tr("common.head", ["head": head.display])) }
        }
    }
}
