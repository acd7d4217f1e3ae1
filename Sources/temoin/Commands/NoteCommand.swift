import ArgumentParser
import Foundation
import TemoinKit

extension NoteKind: ExpressibleByArgument {
    /// `follow-up` or `follow_up`, `comment`.
    package init?(argument: String) {
        let value = argument.replacingOccurrences(of: "-", with: "_").lowercased()
        guard let kind = NoteKind.known.first(where: { $0.rawValue == value }) else { return nil }
        self = kind
    }

    package static var allValueStrings: [String] { known.map { $0.rawValue.replacingOccurrences(of: "_", with: "-") } }
}

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("note", key: "NoteCommand")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: .text("NoteCommand.seq")) var seq: Int64
    @Argument(help: .text("NoteCommand.text")) var text: String
    @Option(help: .text("NoteCommand.kind", value: "kind")) var kind: NoteKind?
    @Option(help: .text("NoteCommand.at", value: "date")) var at: String?

    func run() throws {
        try guarded {
            let occurred = try at.map { try TimeFormat.interpret($0) }
            let store = try Store.open(at: storeOptions.path)
            let entry = try store.addNote(about: seq, text: text, kind: kind, occurredAt: occurred)
            if output.json {
                print(JSONOutput.string(NoteJSON(entry, about: seq)))
            } else {
                print(tr("note.recorded", ["seq": String(entry.seq), "about": String(seq)]))
                if let head = try store.head() { print(tr("common.head", ["head": head.display])) }
            }
        }
    }
}
