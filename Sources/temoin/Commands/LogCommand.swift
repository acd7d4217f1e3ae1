import ArgumentParser
import Foundation
import TemoinKit

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("log", key: "LogCommand")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: .text("LogCommand.attemptsOnly")) var attemptsOnly = false
    @Flag(help: .text("LogCommand.short")) var short = false

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path, readOnly: true)
            var views = try store.entries().map { EntryView($0) }
            if attemptsOnly { views = views.filter { $0.type == EntryType.attempt.rawValue } }
            try output.render(views) { LogText.lines(views, short: short, head: try store.head()) }
        }
    }
}
