import Foundation

extension NoteKind {
    /// A slot alert temoin sent (or could not send) about an attempt: written by `watch`, never typed.
    package static let alert = NoteKind(rawValue: "alert")
}

/// The note an alert leaves in the chain, about the attempt that saw the slot: when it went out and to
/// whom, or that it could not, so the dossier can show the applicant was alerted (and when).
package enum AlertNote {
    /// Records the final outcome of an alert (``AlertOutcome/Status/delivered`` or `failed`; a try that
    /// will be repeated is not recorded) as a note entry, dated when it happened.
    @discardableResult
    package static func record(_ outcome: AlertOutcome, in store: Store) throws -> StoredEntry? {
        guard outcome.status != .retrying else { return nil }
        return try store.addNote(
            about: outcome.alert.seq, text: text(outcome), kind: .alert, occurredAt: outcome.at)
    }

    /// The note's words, in the language of the messages.
    package static func text(_ o: AlertOutcome) -> String {
        let args = [
            "recipient": o.recipient, "time": TimeFormat.parisWallTime(o.at), "attempt": String(o.attempt),
            "tries": String(o.tries), "reason": o.reason ?? "",
        ]
        return tr(o.status == .delivered ? "notify.note.delivered" : "notify.note.failed", args)
    }
}
