import ArgumentParser
import Foundation
import TemoinKit

struct CaseShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show the case as it stands, with the history of its amendments.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path, readOnly: true)
            let record = try store.caseRecord()
            if output.json {
                struct Amend: Encodable {
                    let seq: Int64
                    let recorded_at: String
                    let field: String
                    let old: String
                    let new: String
                    let reason: String?
                }
                struct Out: Encodable {
                    let `case`: CaseFields
                    let opened_at: String
                    let amendments: [Amend]
                }
                let amendments = record.amendments.map {
                    Amend(
                        seq: $0.seq, recorded_at: $0.recordedAt, field: $0.amendment.field, old: $0.amendment.old,
                        new: $0.amendment.new, reason: $0.amendment.reason)
                }
                print(JSONOutput.string(Out(case: record.fields, opened_at: record.openedAt, amendments: amendments)))
                return
            }
            let f = record.fields
            for (key, value) in [
                ("case.applicant", f.applicant), ("case.prefecture", f.prefecture), ("case.procedure", f.procedure),
                ("case.booking_url", f.bookingURL), ("case.profile", f.profile), ("case.facts", f.facts),
            ] {
                let label = tr(key).padding(toLength: 22, withPad: " ", startingAt: 0)
                // Only the urgency facts may span lines; the other fields show a line break as \x0a.
                let shown =
                    key == "case.facts"
                    ? TerminalText.block(value, continuation: String(repeating: " ", count: 23))
                    : TerminalText.line(value)
                print("\(label) \(shown)")
            }
            if !record.amendments.isEmpty {
                print("")
                print(tr("case.amendments"))
                for a in record.amendments {
                    let when = TimeFormat.parseUTC(a.recordedAt).map(TimeFormat.parisWallTime) ?? a.recordedAt
                    let (field, old, new) = (a.amendment.field, a.amendment.old, a.amendment.new)
                    let reason = a.amendment.reason.map { "  (\(TerminalText.line($0)))" } ?? ""
                    print(
                        "  #\(a.seq)  \(when)  \(TerminalText.line(field)): «\(TerminalText.line(old))» → «\(TerminalText.line(new))»\(reason)"
                    )
                }
            }
        }
    }
}
