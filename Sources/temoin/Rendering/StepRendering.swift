import ArgumentParser
import Foundation
import TemoinKit

/// After `step add` or `step followup`: the entry as `step list` shows it, what was kept, and the head.
func renderRecorded(_ entry: StoredEntry, store: Store, json: Bool) {
    if json {
        print(JSONOutput.string(EntryView(entry)))
        return
    }
    guard let body = entry.body else { return }
    if let s = body.step {
        print(
            tr(
                "step.recorded",
                ["seq": String(entry.seq), "kind": StepText.kind(s.kind), "date": StepText.date(s.date, s.dateBasis)]))
    } else if let f = body.followUp {
        print(
            tr(
                "step.followup_recorded",
                [
                    "seq": String(entry.seq), "kind": StepText.followUpKind(f.kind), "of": String(f.of),
                    "date": StepText.date(f.date, f.dateBasis),
                ]))
    }
    let files = body.captures?.count ?? 0
    if files > 0 { print(tr("step.files_kept", ["count": String(files)])) }
    let emails = body.step?.emails ?? body.followUp?.emails ?? []
    for e in emails {
        print("")
        for line in StepText.email(e, seq: entry.seq) { print("  " + line) }
    }
    if body.step?.dateBasis == .declared || body.followUp?.dateBasis == .declared {
        print("")
        print(tr("step.date_declared_note"))
        if files > 0 { print(tr("step.third_party_note")) }
    }
    if let head = try? store.head() { print(tr("common.head", ["head": head.display])) }
}
