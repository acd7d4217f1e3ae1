import Foundation
import Synchronization
import TestSupport
import Testing

@testable import TemoinKit
@testable import TemoinSimulator

/// What a session says, in order, as the terminal would receive it.
final class Heard: Sendable {
    private let said = Mutex<[Utterance]>([])
    var all: [Utterance] { said.withLock { $0 } }
    var speak: @Sendable ([Utterance]) -> Void { { utterances in self.said.withLock { $0 += utterances } } }
}

@Suite(.serialized) struct LiveSessionTests {
    func settings(browser: Bool = false) -> LiveAttemptSettings {
        LiveAttemptSettings(
            profileFile: nil, bookingURL: nil, userAgent: nil, timeout: 10, maxBodyBytes: 1_000_000, caFile: nil,
            browser: browser, browserPath: nil)
    }

    @Test func oneAttemptIsRecordedAndSaidWithNoSealWhenTheStoreHasNoTSA() async throws {
        try await withSimulator { sim in
            let store = try attemptStore("\(sim.baseURL)/booking/create/4963/0")
            let heard = Heard()
            let report = try LiveSession.run(
                store: store, settings: settings(), sealing: .auto, json: false, speak: heard.speak
            ) { session in
                #expect(session.sealing == nil)
                return try session.attemptOnce()
            }
            #expect(report.outcome == .noSlot)
            #expect(try store.head()?.seq == 2)
            #expect(heard.all.first == .line(AttemptText.line(report)))
            #expect(!heard.all.contains(.flush))
        }
    }

    @Test func sealingOnWithoutTSAIsRefusedBeforeAnyAttempt() throws {
        let store = try attemptStore("http://127.0.0.1:9/booking/create/4963/0")
        let heard = Heard()
        #expect(throws: TemoinError.trust(.noTSA)) {
            try LiveSession.run(store: store, settings: settings(), sealing: .on, json: false, speak: heard.speak) {
                try $0.attemptOnce()
            }
        }
        #expect(try store.head()?.seq == 1)
        #expect(heard.all.isEmpty)
    }

    @Test func aFailedSealIsSaidAfterTheAttemptsLineAndChangesNothing() async throws {
        let tsa = try LocalTSA()
        defer { tsa.stop() }
        try await withSimulator { sim in
            let store = try attemptStore("\(sim.baseURL)/booking/create/4963/0")
            _ = try store.addTSA(url: tsa.url("garbage"), name: nil)
            let heard = Heard()
            let report = try LiveSession.run(
                store: store, settings: settings(), sealing: .auto, json: true, speak: heard.speak
            ) { try $0.attemptOnce() }
            #expect(report.outcome == .noSlot)
            let said = heard.all
            // The attempt's JSON first; then, once it is out, the failures of the seals before and after it.
            guard case .line(let json) = said.first else {
                Issue.record("no line first: \(said)")
                return
            }
            #expect(json.hasPrefix("{"))
            let flush = try #require(said.firstIndex(of: .flush))
            let problems = said[flush...].filter { if case .problem = $0 { true } else { false } }
            #expect(problems.count == 2)
            #expect(problems.allSatisfy { if case .problem(let text) = $0 { !text.isEmpty } else { false } })
        }
    }

    @Test func aWatchSaysEachAttemptAndStopsAtTheCount() async throws {
        try await withSimulator { sim in
            let store = try attemptStore("\(sim.baseURL)/booking/create/4963/0")
            let heard = Heard()
            let clock = SteppedClock()
            let done = try LiveSession.run(
                store: store, settings: settings(), sealing: .off, json: false, speak: heard.speak
            ) { session in
                try session.watch(
                    plan: WatchPlan(pace: try Pace(every: 600), count: 2), alerter: nil, clock: clock,
                    nextDelay: { 600 })
            }
            #expect(done == 2)
            #expect(clock.waits == [600])
            #expect(try store.head()?.seq == 3)
            let lines = heard.all.compactMap { if case .line(let text) = $0 { text } else { nil } }
            #expect(lines.count == 4)  // two attempts, the next one's time, the end
            #expect(lines.last == tr("watch.stopped", ["count": "2"]))
        }
    }

    @Test func thePromptRingsAsksThenSaysWhatToDoOnceEnterIsPressed() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[1]) }
        let heard = Heard()
        let prompt = TerminalPrompt(lines: TerminalLines(fd: fds[0]), speak: heard.speak)
        _ = "\n".utf8CString.withUnsafeBytes { write(fds[1], $0.baseAddress, 1) }
        prompt.waitForPerson(number: 3, stop: StopFlag())
        #expect(
            heard.all == [
                .bell, .aside(tr("browser.watch_prompt", ["number": "3"])), .aside(tr("browser.instructions")),
            ])
    }

    @Test func aPageSeenInTheBrowserIsOneLineNamingItsOutcome() {
        let line = LiveSession.pageSeenLine(outcome: .noSlot, url: "http://127.0.0.1/a\nb")
        #expect(!line.contains("\n"))
        #expect(line.contains(tr("outcome.no_slot")))
    }
}
