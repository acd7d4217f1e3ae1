import ArgumentParser
import TemoinKit

struct LogCommand: StoreCommand {
    static let configuration = CommandConfiguration.text("log", key: "LogCommand")
    @OptionGroup var options: StoreOutputOptions
    @Flag(help: .text("LogCommand.attemptsOnly")) var attemptsOnly = false
    @Flag(help: .text("LogCommand.short")) var short = false

    func report(_ store: Store) throws -> Reported<[EntryView]> {
        let views = try EntryView.log(store, attemptsOnly: attemptsOnly)
        return Reported(views) { LogText.lines(views, short: short, head: try store.head()) }
    }
}
