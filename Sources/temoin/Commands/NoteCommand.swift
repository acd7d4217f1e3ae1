import ArgumentParser
import Foundation
import TemoinKit

extension NoteKind: ExpressibleByArgument {
    /// `follow-up` or `follow_up`, `comment`.
    public init?(argument: String) {
        let value = argument.replacingOccurrences(of: "-", with: "_").lowercased()
        guard let kind = NoteKind.known.first(where: { $0.rawValue == value }) else { return nil }
        self = kind
    }

    public static var allValueStrings: [String] { known.map { $0.rawValue.replacingOccurrences(of: "_", with: "-") } }
}

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Add a dated note about an entry (what you did after a slot appeared, a remark).",
        discussion: """
            The note is a new entry of the chain, dated by the computer's clock; the entry it is about
            is never changed. The dossier prints it with that date, in your words. A note about an
            attempt that showed a slot is a follow-up unless --kind says otherwise.
              temoin note 12 "J'ai cliqué sur le créneau : la page a répondu qu'il n'était plus libre."
              temoin note 12 "..." --at "2026-11-09 00:04"     (when it happened, Paris time)
            Exit 0 recorded; 2 store unreadable; 3 store not writable; 64 no such entry, empty note,
            control characters in the text, or a time in the future.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The entry the note is about (its number, as in temoin log).") var seq: Int64
    @Argument(help: "The note, in your words.") var text: String
    @Option(help: ArgumentHelp("follow-up (what was done about a slot) or comment.", valueName: "kind"))
    var kind: NoteKind?
    @Option(help: ArgumentHelp("When what the note tells happened (Paris time).", valueName: "date"))
    var at: String?

    func run() throws {
        try guarded {
            let occurred = try at.map(parseDate)
            let store = try Store.open(at: storeOptions.path)
            let entry = try store.addNote(about: seq, text: text, kind: kind, occurredAt: occurred)
            if output.json {
                struct Out: Encodable {
                    let seq: Int64
                    let hash: String
                    let about: Int64
                    let kind: String
                }
                print(
                    JSONOutput.string(
                        Out(seq: entry.seq, hash: entry.hash, about: seq, kind: entry.body?.kind?.rawValue ?? "")))
            } else {
                print(tr("note.recorded", ["seq": String(entry.seq), "about": String(seq)]))
                if let head = try store.head() { print(tr("common.head", ["head": head.display])) }
            }
        }
    }
}
