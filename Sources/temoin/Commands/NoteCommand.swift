import ArgumentParser
import TemoinKit

struct NoteCommand: StoreCommand {
    static let configuration = CommandConfiguration.text("note", key: "NoteCommand")
    static let records = true
    @OptionGroup var options: StoreOutputOptions
    @Argument(help: .text("NoteCommand.seq")) var seq: Int64
    @Argument(help: .text("NoteCommand.text")) var text: String
    @Option(help: .text("NoteCommand.kind", value: "kind")) var kind: NoteKind?
    @Option(help: .text("NoteCommand.at", value: "date")) var at: String?

    func report(_ store: Store) throws -> Reported<NoteJSON> {
        let report = try store.addNote(about: seq, text: text, kind: kind, at: at)
        return Reported(report) { report.lines(head: try store.head()) }
    }
}
