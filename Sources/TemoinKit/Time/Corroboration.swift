import Foundation
import GRDB
import Synchronization

/// The time rules applied to a store: the whole of it (the dossier, `status`), or the entry just
/// appended (what `attempt` and `watch` say at once). `temoin verify` feeds the same `Corroborator`
/// from its own walk (Verifier), so every command reaches the same verdicts.
package enum TimeCorroboration {
    /// Every attempt's time, in chain order, through `each`; returns the summary. Reads the seals
    /// first, then the entries with a cursor: memory does not grow with the store.
    package static func evaluate(store: Store, now: Date? = nil, each: (AttemptTime) -> Void = { _ in }) throws
        -> TimeSummary
    {
        try store.read { db in
            var fold = Corroborator(seals: try SealClock.readAll(db), now: now ?? store.clock.now())
            let rows = try Row.fetchCursor(
                db, sql: "SELECT seq, \(ColumnBytes.select("body")) FROM entries ORDER BY seq")
            while let row = try rows.next() {
                guard let seq = ColumnBytes.integer(row["seq"]) else { continue }
                let body = ColumnBytes.bytes(row["body"])
                // The entries §6 would call body_invalid are left out, as in verify (the same strict parse).
                guard let view = BodyView.read(body) else { continue }
                if let done = fold.feed(seq: seq, view.time) { each(done) }
            }
            if let done = fold.finish() { each(done) }
            var summary = fold.summary
            summary.problems.sort { ($0.seq, $0.code) < ($1.seq, $1.code) }
            return summary
        }
    }

    /// Every attempt's time by seq (for a report over a period: the dossier).
    package static func attempts(store: Store, now: Date? = nil) throws -> (TimeSummary, [Int64: AttemptTime]) {
        var all: [Int64: AttemptTime] = [:]
        let summary = try evaluate(store: store, now: now) { all[$0.seq] = $0 }
        return (summary, all)
    }

    /// The time of an attempt just appended, judged against what can be known at once: the server's
    /// clock in its exchanges, the entry before it, the case's opening, and the seal it names. Later
    /// entries and seals may add to this (`verify` has the last word).
    package static func check(store: Store, appended entry: StoredEntry) throws -> AttemptTime? {
        func facts(_ e: StoredEntry) -> TimeFacts? { BodyView.read(e.bodyBytes)?.time }
        guard let own = facts(entry) else { return nil }
        var before: [StoredEntry] = try store.entries(from: 1, through: 1)
        if entry.seq > 2 { before += try store.entries(from: entry.seq - 1, through: entry.seq - 1) }
        let seals = try own.afterSeal.map { ref in try store.read { db in try SealClock.read(db, seq: ref.seq) } } ?? []
        var fold = Corroborator(seals: seals, now: store.clock.now())
        for e in before where e.seq < entry.seq {
            if let f = facts(e) { _ = fold.feed(seq: e.seq, f) }
        }
        _ = fold.feed(seq: entry.seq, own)
        return fold.finish()
    }
}

/// Where temoin reads the time: the system clock, or, in TemoinKit's own tests, a clock the test
/// controls (never a switch of the command line: a person cannot choose the time recorded).
public struct WallClock: Sendable {
    /// Reads the current time.
    public let now: @Sendable () -> Date

    /// A clock that reads its time from `now`.
    public init(_ now: @escaping @Sendable () -> Date) { self.now = now }

    /// The system clock: what every command uses.
    public static let system = WallClock { Date() }

    /// The system clock moved by `seconds` (a computer whose clock is ahead, or behind when negative).
    package static func offset(by seconds: TimeInterval) -> WallClock {
        WallClock { Date().addingTimeInterval(seconds) }
    }
}

/// Collects attempt verdicts from another thread's fold (the verifier's walk).
final class AttemptTimeCollector: Sendable {
    private let list = Mutex<[AttemptTime]>([])
    func add(_ a: AttemptTime) { list.withLock { $0.append(a) } }
    var all: [AttemptTime] { list.withLock { $0 } }
}
