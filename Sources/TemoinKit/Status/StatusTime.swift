import Foundation
import Synchronization

/// What `temoin status` says about times (docs/FORMAT.md §8), from the verification's own walk: the
/// summary, every contradicted attempt with its figures, and each attempt's seal window.
package struct StatusTime: Sendable, Encodable {
    /// An attempt between two seals.
    package struct Window: Sendable, Encodable, Equatable {
        package var seq: Int64
        package var lower: SealClock
        package var upper: SealClock
    }

    package var summary: TimeSummary
    /// The contradicted attempts, in chain order, with their problems.
    package var contradicted: [AttemptTime]
    /// Every attempt with both bounds, in chain order.
    package var windows: [Window]
    /// The attempts without a seal on both sides, in chain order.
    package var withoutWindow: [Int64]
    /// The last attempt of the chain (the latest recorded, whatever its time says).
    package var lastAttemptSeq: Int64?

    enum CodingKeys: String, CodingKey {
        case summary, contradicted, windows
        case withoutWindow = "without_window"
        case lastAttemptSeq = "last_attempt_seq"
    }

    init(summary: TimeSummary = TimeSummary()) {
        self.summary = summary
        contradicted = []
        windows = []
        withoutWindow = []
    }

    /// Keeps what `status` shows of one attempt (not the whole verdict: a store may hold many).
    mutating func add(_ a: AttemptTime) {
        lastAttemptSeq = a.seq
        if a.verdict == .contradicted { contradicted.append(a) }
        if let (lower, upper) = a.window {
            windows.append(Window(seq: a.seq, lower: lower, upper: upper))
        } else {
            withoutWindow.append(a.seq)
        }
    }

    /// The rows `status` prints: "Heures", a line per contradicted attempt (the first few), and the
    /// seal windows when the store has seals.
    func rows(seals: Int?) -> [(String, String)] {
        var rows: [(String, String)] = [(tr("status.label.times"), summary.sentence)]
        let shown = 3
        for a in contradicted.prefix(shown) {
            guard let p = a.mainProblem else { continue }
            rows.append(("", tr("status.time.contradicted", ["seq": String(a.seq), "problem": p.text()])))
        }
        if contradicted.count > shown {
            rows.append(("", tr("status.time.more", ["count": String(contradicted.count - shown)])))
        }
        guard let seals, seals > 0, summary.attempts > 0 else { return rows }
        var value = TimeText.plural("status.windows.count", windows.count, ["attempts": String(summary.attempts)])
        if let last = windows.last {
            value +=
                tr("time.summary.separator")
                + tr(
                    "status.windows.last", ["seq": String(last.seq), "window": TimeText.window(last.lower, last.upper)])
        }
        if !withoutWindow.isEmpty {
            value += tr("time.summary.separator") + tr("status.windows.without", ["seqs": TimeText.runs(withoutWindow)])
        }
        rows.append((tr("status.label.windows"), value))
        return rows
    }
}

/// Collects what the verifier's walk says of each attempt, for `status` (the walk runs on the
/// calling thread; the lock only satisfies `Sendable`).
final class StatusTimeCollector: Sendable {
    private let state = Mutex(StatusTime())
    var hook: @Sendable (AttemptTime) -> Void { { [self] a in self.state.withLock { $0.add(a) } } }

    func result(_ summary: TimeSummary?) -> StatusTime? {
        guard let summary else { return nil }
        return state.withLock { s in
            var out = s
            out.summary = summary
            return out
        }
    }
}
