import Foundation

/// One thing a command says, and where it goes. TemoinKit decides what is said and where, so it is
/// tested without the binary; the executable only writes it, through `TerminalText`.
package enum Utterance: Sendable, Equatable {
    /// A line of the result, on standard output.
    case line(String)
    /// A line for the person while the command works: on standard output, or on standard error when
    /// standard output carries JSON.
    case aside(String)
    /// An error or a warning, on standard error.
    case problem(String)
    /// The terminal's bell: a slot was seen, or a witnessed attempt is due.
    case bell
    /// What was said so far is written out now, even into a pipe or a log file (before a wait).
    case flush
    /// A notification on the desktop, where `notify-send` is installed.
    case desktopNotice(String)
}

extension AttemptReport {
    /// What `attempt` says of the attempt just recorded in `store`: its line (its JSON with `json`); a
    /// doubt about its time, with how to set the clock right; what the browser kept (`witnessed`); and a
    /// slot loudly.
    package func utterances(store: Store, json: Bool, witnessed: Bool) -> [Utterance] {
        let time = checkedTime(store)
        var said: [Utterance] = [
            .line(json ? JSONOutput.string(AttemptJSON(self, time: time)) : AttemptText.line(self))
        ]
        said += AttemptText.timeWarnings(time)
        if !json, witnessed, let line = AttemptText.browserRecordedLine(self) { said.append(.line(line)) }
        if !json, outcome == .slotAvailable { said += AttemptText.slotSeen(url: finalURL) }
        return said
    }

    /// The time of the attempt just recorded, checked at once (docs/FORMAT.md §8); nil when `store` is
    /// nil or the entry cannot be read back.
    func checkedTime(_ store: Store?) -> AttemptTime? {
        store.flatMap { try? TimeCorroboration.check(store: $0, appended: entry) }
    }
}

extension AttemptText {
    /// Said at once when the evidence contradicts an attempt's time (nil: not checked), and how to set
    /// the clock right.
    package static func timeWarnings(_ time: AttemptTime?) -> [Utterance] {
        (time?.warnings ?? []).map { .aside("  " + $0) }
    }

    /// A slot was seen: the bell, and the address to book by hand (temoin never books).
    package static func slotSeen(url: String) -> [Utterance] {
        [
            .bell, .line(tr("watch.slot_seen", ["url": TerminalText.line(url)])),
            .desktopNotice(tr("watch.slot_seen", ["url": url])),
        ]
    }
}

/// What `watch` says as it goes: a line per attempt (a JSON line with `json`), the slot loudly, the next
/// attempt's time, a countdown on a terminal (drawn by a `ProgressReporter`), and what became of each
/// alert.
package final class WatchNarrator {
    let json: Bool
    /// Where each attempt's time is checked at once (docs/FORMAT.md §8); nil: not checked.
    let store: Store?
    private var waiting: ProgressReporter?

    package init(json: Bool, store: Store? = nil) {
        self.json = json
        self.store = store
    }

    package func utterances(_ event: WatchEvent) -> [Utterance] {
        switch event {
        case .recorded(let report, _):
            let time = report.checkedTime(store)
            let json = JSONOutput.string(AttemptJSON(report, time: time)).replacingOccurrences(of: "\n", with: "")
            return [.line(self.json ? json : AttemptText.line(report))] + AttemptText.timeWarnings(time)
        case .slotSeen(let report): return json ? [] : AttemptText.slotSeen(url: report.finalURL)
        // The window was closed by mistake: say so, and ask again for this attempt.
        case .browserClosed: return [.problem(TemoinError.browserClosed.description)]
        case .next(let date):
            waiting = ProgressReporter.standardError(label: tr("watch.progress"), unit: .countdown, json: json)
            // One line per attempt, even into a pipe or a log file.
            return (json ? [] : [.line(tr("watch.next", ["when": TimeFormat.parisWallTime(date)]))]) + [.flush]
        case .waiting(let elapsed, let total):
            waiting?.update(done: Int64(elapsed), total: Int64(total))
            return []
        case .waitOver:
            waiting?.finish()
            waiting = nil
            return []
        case .alert(let outcome):
            waiting?.finish()
            return [.aside(AttemptText.alertLine(outcome))]
        case .alertNotRecorded(let reason): return [.problem(tr("notify.note_not_recorded", ["reason": reason]))]
        }
    }

    /// The watch is over after `done` attempts; alerts still being tried are abandoned.
    package func finish(done: Int, alertsPending: Bool) -> [Utterance] {
        (alertsPending ? [.problem(tr("notify.abandoned"))] : [])
            + (json ? [] : [.line(tr("watch.stopped", ["count": String(done)]))])
    }
}

extension AttemptSealing {
    /// What the seals around an attempt did, once they are done: each seal taken; each failure, as a
    /// problem (a failed seal never changes the attempt or the exit code).
    package func utterances(json: Bool) -> [Utterance] {
        let (lines, errors) = report(json: json)
        return lines.map(Utterance.line) + errors.map(Utterance.problem)
    }
}

extension TrustText {
    /// `seal take`: each seal taken, or why one was not (with `json`, their JSON says both).
    package static func sealOutcomes(_ outcomes: [Sealer.Outcome], json: Bool = false) -> [Utterance] {
        if json { return [.line(JSONOutput.string(outcomes.map(SealOutcomeJSON.init)))] }
        return outcomes.compactMap { o in
            o.seal.map { .line(sealLine($0)) } ?? o.error.map { .problem($0.description) }
        }
    }

    /// `seal take` given a TSA address that holds a password: said first, since other users of the
    /// computer can read a command line (ps); it says where the credentials belong instead.
    package static func credentialsOnCommandLine(_ urls: [String]) -> [Utterance] {
        guard urls.contains(where: { TSACredentials.userinfo(in: $0) != nil }) else { return [] }
        return [.problem(tr("trust.credentials.command_line", ["netrc": TSACredentials.netrcPath()]))]
    }
}

extension Sealer {
    /// What `seal take` exits with: the first failure's status when no TSA gave a seal, else nil (one
    /// seal is enough: the others' failures are said, not fatal).
    package static func exitStatus(_ outcomes: [Sealer.Outcome]) -> ExitStatus? {
        guard outcomes.allSatisfy({ $0.seal == nil }) else { return nil }
        return outcomes.first(where: { $0.seal == nil })?.error?.exitStatus
    }
}
