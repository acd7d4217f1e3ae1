import Foundation
import Synchronization
import TestSupport
import Testing

@testable import TemoinKit
@testable import TemoinSimulator

/// A clock the test moves: every wait returns at once, having advanced the time it was asked to wait.
final class SteppedClock: WatchClock, @unchecked Sendable {
    private let state: Mutex<(now: Date, waits: [TimeInterval])>
    /// Called at each tick of a wait (a test raises its stop flag there, as Ctrl-C would).
    let onTick: @Sendable () -> Void

    init(start: Date = Date(timeIntervalSince1970: 1_795_000_000), onTick: @escaping @Sendable () -> Void = {}) {
        state = Mutex((start, []))
        self.onTick = onTick
    }

    var waits: [TimeInterval] { state.withLock { $0.waits } }

    func now() -> Date { state.withLock { $0.now } }

    func wait(until date: Date, stop: InterruptionFlag, tick: (TimeInterval) -> Void) {
        tick(1)
        onTick()
        if stop.isRaised { return }
        state.withLock {
            $0.waits.append(date.timeIntervalSince($0.now))
            $0.now = date
        }
    }
}

/// A person who is always ready, counting the questions.
final class ReadyPerson: WatchPrompt {
    var asked: [Int] = []
    var done = 0
    func waitForPerson(number: Int, stop: InterruptionFlag) { asked.append(number) }
    func attemptDone() { done += 1 }
}

@Suite(.serialized) struct WatchTests {
    func watch(
        _ store: Store, _ plan: WatchPlan, clock: SteppedClock, delay: TimeInterval = 600, alerter: SlotAlerter? = nil
    ) -> Watch {
        var options = AttemptOptions()
        options.transfer.timeout = 10
        let attempt = { [options] in try AttemptRunner(store: store).run(options: options) }
        return Watch(plan: plan, clock: clock, alerter: alerter, nextDelay: { delay }, attempt: attempt)
    }

    @Test func waitsAtLeastTheMinimumBetweenAttemptsAndStopsAtTheCount() async throws {
        try await withSimulator { sim in
            let store = try attemptStore("\(sim.baseURL)/booking/create/4963/0")
            let clock = SteppedClock()
            // A pace asking for 90 s is raised to the 5-minute floor: never a burst.
            let w = watch(store, WatchPlan(pace: try Pace(every: 600), count: 3), clock: clock, delay: 90)
            var recorded: [Int] = []
            let done = try w.run(stop: StopFlag()) { event in
                if case .recorded(_, let number) = event { recorded.append(number) }
            }
            #expect(done == 3)
            #expect(recorded == [1, 2, 3])
            #expect(clock.waits == [Pace.minimumInterval, Pace.minimumInterval])
            #expect(try store.head()?.seq == 4)
        }
    }

    @Test func noAttemptIsMadePastTheDeadline() async throws {
        try await withSimulator { sim in
            let store = try attemptStore("\(sim.baseURL)/booking/create/4963/0")
            let clock = SteppedClock()
            let plan = WatchPlan(pace: try Pace(every: 600), deadline: clock.now().addingTimeInterval(1300))
            let done = try watch(store, plan, clock: clock).run(stop: StopFlag()) { _ in }
            // At 0, 10 and 20 minutes; the next would be at 30, past the deadline (21 min 40 s).
            #expect(done == 3)
            #expect(clock.waits == [600, 600])
        }
    }

    @Test func ctrlCDuringTheWaitEndsTheWatchWithWhatWasRecorded() async throws {
        try await withSimulator { sim in
            let store = try attemptStore("\(sim.baseURL)/booking/create/4963/0")
            let stop = StopFlag()
            let clock = SteppedClock(onTick: { stop.raise() })
            var nexts = 0
            let done = try watch(store, WatchPlan(pace: try Pace(every: 600)), clock: clock).run(stop: stop) { event in
                if case .next = event { nexts += 1 }
            }
            #expect(done == 1)
            #expect(nexts == 1)
            #expect(try store.head()?.seq == 2)
        }
    }

    @Test func anInterruptedAttemptIsNotCountedAndEndsTheWatch() throws {
        let w = Watch(plan: WatchPlan(pace: try Pace(every: 600)), clock: SteppedClock()) {
            throw TemoinError.interrupted
        }
        #expect(try w.run(stop: StopFlag()) { _ in } == 0)
    }

    @Test func aClosedBrowserIsAskedForAgain() async throws {
        try await withSimulator { sim in
            let store = try attemptStore("\(sim.baseURL)/booking/create/4963/0")
            let person = ReadyPerson()
            var calls = 0
            let w = Watch(
                plan: WatchPlan(pace: try Pace(every: 600), count: 1), clock: SteppedClock(), prompt: person
            ) {
                calls += 1
                if calls == 1 { throw TemoinError.browserClosed }
                return try AttemptRunner(store: store).run(options: AttemptOptions())
            }
            var closed = 0
            let done = try w.run(stop: StopFlag()) { event in
                if case .browserClosed = event { closed += 1 }
            }
            #expect(done == 1)
            #expect(closed == 1)
            #expect(person.asked == [1, 1])
            #expect(person.done == 2)
        }
    }

    /// The alert command cannot end before the second attempt is recorded (it waits for a file the test
    /// makes then): a watch that waited for its alerts would never record it, and the alerts would time out.
    @Test func aSlotIsAlertedInTheBackgroundWithoutDelayingTheNextAttempt() async throws {
        try await withSimulator(.slotAvailable) { sim in
            let store = try attemptStore("\(sim.baseURL)/booking/create/4963/0")
            let dir = TempDir()
            let log = dir.file("alerts.txt")
            let gate = dir.file("second-recorded")
            let alerter = SlotAlerter(
                channels: [
                    CommandAlert(
                        command: "while [ ! -e '\(gate)' ]; do sleep 0.05; done; echo \"$TEMOIN_SLOT_SEQ\" >> '\(log)'")
                ], retryDelays: [])
            let w = Watch(
                plan: WatchPlan(pace: try Pace(every: 600), count: 2), clock: SteppedClock(), alerter: alerter,
                recordAlert: { try AlertNote.record($0, in: store) }, nextDelay: { 600 },
                attempt: { try AttemptRunner(store: store).run(options: AttemptOptions()) })
            var recordedAt: [Date] = []
            var slots = 0
            var alerts: [AlertOutcome] = []
            let done = try w.run(stop: StopFlag()) { event in
                switch event {
                case .recorded:
                    recordedAt.append(Date())
                    if recordedAt.count == 2 { FileManager.default.createFile(atPath: gate, contents: nil) }
                case .slotSeen: slots += 1
                case .alert(let outcome): alerts.append(outcome)
                default: break
                }
            }
            #expect(done == 2)
            #expect(slots == 2)
            #expect(alerts.map(\.status) == [.delivered, .delivered])
            #expect(Set(alerts.map(\.alert.seq)) == [2, 3])
            let firstDelivered = try #require(alerts.map(\.at).min())
            #expect(recordedAt.count == 2 && recordedAt[1] < firstDelivered)
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").sorted()
            #expect(lines == ["2", "3"])
            // Each alert is a note entry in the chain, about the attempt that saw the slot.
            let notes = try store.entries().compactMap(NoteRecord.init)
            #expect(notes.map(\.kind) == [.alert, .alert])
            #expect(Set(notes.map(\.about)) == [2, 3])
            #expect(notes.allSatisfy { $0.text.contains("command") && $0.occurredAt != nil })
            #expect(try Verifier().verify(path: store.path).verdict == .intact)
            #expect(try referenceVerify(store.path).0 == 0)
        }
    }
}
