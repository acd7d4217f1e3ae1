import Foundation
import TemoinKit

/// After `step add` or `step followup`: the entry as `step list` shows it (`StepText.recorded`), or as JSON.
func renderRecorded(_ entry: StoredEntry, store: Store, json: Bool) {
    if json {
        print(JSONOutput.string(EntryView(entry)))
        return
    }
    for line in StepText.recorded(entry, head: try? store.head()) { print(line) }
}
