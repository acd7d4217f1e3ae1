import Foundation

/// The time rules of docs/FORMAT.md §8 as one fold over the entries in chain order.
///
/// Seals are given first (all of them that bind); then each entry's `TimeFacts` is fed in ascending
/// seq, entries whose body is invalid (§6.4) left out. An entry's verdict depends on the entry after it
/// (`time_after_next`), so the fold holds exactly one entry back: `feed` returns the attempt before the
/// one fed, once final, and `finish` the last one. Memory does not grow with the store: what is kept
/// is the seals (a few numbers each), the entry held back, the case's opening and the lower bound.
///
/// Invariant: for the same seals and the same entries, temoin and docs/verify_reference.py report the
/// same codes at the same seqs (the rules are integer arithmetic on milliseconds, TimeRules).
package struct Corroborator: Sendable {
    /// The seals that bind, ascending by sealed seq; `suffixMin[i]` is the seal of earliest genTime
    /// among `bySeq[i...]`: the upper bound of every entry at or before `bySeq[i].seq`.
    private let bySeq: [SealClock]
    private let suffixMin: [Int]
    private var cursor = 0
    /// Binding seals by token digest, for `after_seal`.
    private let byToken: [String: [SealClock]]
    private let nowMs: Int64

    /// The entry held back until the next one is seen.
    private var pending: Pending?
    /// The case's `recorded_at` (entry 1 being `case_opened`), seq 1.
    private var caseOpenedMs: Int64?
    /// The latest lower bound met so far: it holds for every later entry (each is written after it).
    private var lower: SealClock?
    package private(set) var summary = TimeSummary()

    struct Pending {
        var seq: Int64
        var facts: TimeFacts
        var confirmedByServer: Bool
        var confirmedBySeals: Bool
        var lower: SealClock?
        var upper: SealClock?
        var problems: [TimeProblem]

        /// What the entry's own evidence says of its time, before the order is compared: 2 confirmed,
        /// 1 neither confirmed nor contradicted, 0 contradicted.
        var standing = 1

        var confirmed: Bool { confirmedByServer || confirmedBySeals }
    }

    /// - Parameters:
    ///   - seals: the store's seals that bind (`SealClock.readAll`), in any order.
    ///   - now: the verifier's clock, for `time_in_future`.
    package init(seals: [SealClock], now: Date = Date()) {
        let sorted = seals.sorted { ($0.seq, $0.id) < ($1.seq, $1.id) }
        var mins = Array(repeating: 0, count: sorted.count)
        var best = -1
        for i in stride(from: sorted.count - 1, through: 0, by: -1) {
            if best < 0 || sorted[i].genMs < sorted[best].genMs || (sorted[i].genMs == sorted[best].genMs) {
                best = i
            }
            mins[i] = best
        }
        bySeq = sorted
        suffixMin = mins
        byToken = Dictionary(grouping: seals, by: \.tokenSHA256)
        nowMs = TimeRules.milliseconds(now)
    }

    /// Feeds entry `seq` (in ascending order); returns the attempt before it once its verdict is final.
    package mutating func feed(seq: Int64, _ facts: TimeFacts) -> AttemptTime? {
        let tolerance = TimeRules.toleranceMs
        var entry = Pending(
            seq: seq, facts: facts, confirmedByServer: false, confirmedBySeals: false, lower: nil, upper: nil,
            problems: [])
        let r = facts.recordedMs
        let witnessed = facts.isAttempt && facts.timeBasis == TimeBasis.witnessed.rawValue

        // Seal bounds. The lower bound: this entry's own `after_seal`, or one before it.
        if facts.afterSealPresent {
            if let ref = facts.afterSeal,
                let seal = byToken[ref.tokenSHA256]?.first(where: { $0.seq == ref.seq && $0.seq < seq })
            {
                // On a tie (genTimes often count whole seconds), the later seal: the nearer one.
                if lower == nil || seal.genMs >= lower!.genMs { lower = seal }
            } else {
                entry.problems.append(
                    TimeProblem(
                        seq: seq, code: .sealUnknown, at: nil, reference: nil, referenceSeq: facts.afterSeal?.seq,
                        differenceMs: nil))
            }
        }
        entry.lower = lower
        while cursor < bySeq.count && bySeq[cursor].seq < seq { cursor += 1 }
        entry.upper = cursor < bySeq.count ? bySeq[suffixMin[cursor]] : nil

        // The server's clock.
        if witnessed, let offset = facts.offsetMs {
            if offset.magnitude > tolerance {
                let local = facts.observedMs
                entry.problems.append(
                    TimeProblem(
                        seq: seq, code: .serverOffset, at: local, reference: local.map { $0 + offset },
                        differenceMs: offset, exchange: facts.offsetExchange))
            } else {
                entry.confirmedByServer = true
            }
        }
        if let r {
            if let o = facts.observedMs, facts.isAttempt, o > r + tolerance {
                entry.problems.append(
                    TimeProblem(seq: seq, code: .observedAfterRecorded, at: o, reference: r, differenceMs: o - r))
            }
            let latest = max(r, facts.isAttempt ? (facts.observedMs ?? r) : r)
            if latest > nowMs + TimeRules.futureToleranceMs {
                entry.problems.append(
                    TimeProblem(seq: seq, code: .inFuture, at: latest, reference: nowMs, differenceMs: latest - nowMs))
            }
            if let upper = entry.upper, r > upper.genMs + tolerance {
                entry.problems.append(
                    TimeProblem(
                        seq: seq, code: .afterSeal, at: r, reference: upper.genMs, differenceMs: r - upper.genMs,
                        seal: upper))
            }
            if let lower = entry.lower, r < lower.genMs - tolerance {
                entry.problems.append(
                    TimeProblem(
                        seq: seq, code: .beforeSeal, at: r, reference: lower.genMs, differenceMs: r - lower.genMs,
                        seal: lower))
            }
            // A close window of seals corroborates an attempt without a server clock.
            if witnessed, let lower = entry.lower, let upper = entry.upper, upper.genMs - lower.genMs <= tolerance,
                let o = facts.observedMs, o >= lower.genMs - tolerance, r <= upper.genMs + tolerance,
                r >= lower.genMs - tolerance
            {
                entry.confirmedBySeals = true
            }
        }
        if !entry.problems.isEmpty, entry.problems.contains(where: { $0.code.contradicts }) {
            entry.confirmedByServer = false
            entry.confirmedBySeals = false
        }
        // The case's opening: nothing recorded after it can be dated before it.
        if let r, let opened = caseOpenedMs, r < opened - tolerance, !entry.confirmed {
            entry.problems.append(
                TimeProblem(
                    seq: seq, code: .beforeCase, at: r, reference: opened, referenceSeq: 1, differenceMs: r - opened))
        }
        entry.standing = entry.problems.contains { $0.code.contradicts } ? 0 : entry.confirmed ? 2 : 1

        // Order, against the entry just before: the chain proves which was written first, so one of the
        // two times is wrong; the side(s) whose own evidence stands lowest are named.
        var done: AttemptTime?
        if var previous = pending {
            if let r, let pr = previous.facts.recordedMs, r < pr - tolerance, !(previous.confirmed && entry.confirmed) {
                let lowest = min(previous.standing, entry.standing)
                if previous.standing == lowest { previous.problems.append(afterNext(previous, next: seq, nextMs: r)) }
                if entry.standing == lowest { entry.problems.append(beforePrevious(seq, r, previous)) }
            }
            done = finalize(previous)
        }
        if seq == 1, facts.type == EntryType.caseOpened.rawValue { caseOpenedMs = r }
        pending = entry
        return done
    }

    /// Ends the fold: the last attempt's verdict, if the last entry is one.
    package mutating func finish() -> AttemptTime? {
        guard let last = pending else { return nil }
        pending = nil
        return finalize(last)
    }

    private func afterNext(_ p: Pending, next: Int64, nextMs: Int64) -> TimeProblem {
        let r = p.facts.recordedMs ?? 0
        return TimeProblem(
            seq: p.seq, code: .afterNext, at: r, reference: nextMs, referenceSeq: next, differenceMs: r - nextMs)
    }

    private func beforePrevious(_ seq: Int64, _ r: Int64, _ p: Pending) -> TimeProblem {
        let pr = p.facts.recordedMs ?? 0
        return TimeProblem(
            seq: seq, code: .beforePrevious, at: r, reference: pr, referenceSeq: p.seq, differenceMs: r - pr)
    }

    /// The entry's problems go to the summary; an attempt's verdict is returned.
    private mutating func finalize(_ p: Pending) -> AttemptTime? {
        let problems = p.problems.count > 1 ? p.problems.sorted { $0.code < $1.code } : p.problems
        if !problems.isEmpty { summary.problems.append(contentsOf: problems) }
        guard p.facts.isAttempt else { return nil }
        let f = p.facts
        let contradicted = problems.contains { $0.code.contradicts }
        var a = AttemptTime(
            seq: p.seq, observedMs: f.observedMs, recordedMs: f.recordedMs, timeBasis: f.timeBasis,
            verdict: contradicted ? .contradicted : p.confirmed ? .corroborated : .uncorroborated, reason: nil,
            byServer: !contradicted && p.confirmedByServer, bySeals: !contradicted && p.confirmedBySeals,
            serverOffsetMs: f.offsetMs, datedExchanges: f.dated, lower: p.lower, upper: p.upper, problems: problems)
        if a.verdict == .uncorroborated { a.reason = Self.reason(f) }
        summary.add(a)
        return a
    }

    static func reason(_ f: TimeFacts) -> UncorroboratedReason {
        guard f.recordedMs != nil, f.observedMs != nil else { return .unreadable }
        switch f.timeBasis {
        case TimeBasis.declared.rawValue: return .declared
        case TimeBasis.fileModificationTime.rawValue: return .fileMtime
        // Unreachable only when exchanges were recorded and none answered: a store written without
        // exchanges (older ones, the benchmark's) says nothing of the site.
        case TimeBasis.witnessed.rawValue:
            return f.answered ? .noServerDate : f.exchanges > 0 ? .unreachable : .noExchangeRecorded
        default: return .unreadable
        }
    }
}
