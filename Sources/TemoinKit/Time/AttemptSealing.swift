import Foundation
import Synchronization

/// Seals around an attempt, without ever making the attempt wait (docs/TRUST.md, "Seals around each
/// attempt").
///
/// `before()` seals the current head on a thread of its own while the attempt runs: when that seal is
/// stored before the attempt is appended, the attempt names it in `after_seal` (a lower bound taken
/// seconds before); when it is not, the attempt names the latest seal stored by then, and the late one
/// is kept all the same. `after()` seals the new head once the attempt is recorded (an upper bound).
/// `wait()` collects what each seal did, for the person to read after the attempt's line.
///
/// Invariant: nothing here touches the attempt: a seal that fails, hangs until its timeout, or
/// answers garbage is reported and stores nothing (Sealer), and the attempt is appended exactly as it
/// would be without sealing.
package final class AttemptSealing: Sendable {
    package let urls: [String]
    private let sealer: Sealer
    private let trust: TSATrust
    private let running = Mutex<[Task]>([])

    private final class Task: Sendable {
        let done = DispatchSemaphore(value: 0)
        let outcomes = Mutex<[Sealer.Outcome]>([])
        let failure = Mutex<String?>(nil)
    }

    /// Sealing with `urls` (the store's TSAs, or those given); `interruption` cuts a seal in flight
    /// short when the person presses Ctrl-C.
    package init(store: Store, urls: [String], trust: TSATrust, interruption: InterruptionFlag? = nil) {
        var sealer = Sealer(store: store)
        sealer.interruption = interruption
        self.sealer = sealer
        self.urls = urls
        self.trust = trust
    }

    /// Starts sealing the current head: before an attempt, a lower bound for it. The head is read
    /// here, before the attempt can move it.
    package func before() { start() }

    /// Starts sealing the current head: after an attempt was recorded, its upper bound.
    package func after() { start() }

    private func start() {
        let head = try? sealer.store.head()
        let task = Task()
        running.withLock { $0.append(task) }
        let sealer = sealer
        let urls = urls
        let trust = trust
        let thread = Thread {
            do {
                let outcomes = try sealer.seal(urls: urls, trust: trust, head: head)
                task.outcomes.withLock { $0 = outcomes }
            } catch {
                task.failure.withLock { $0 = "\(error)" }
            }
            task.done.signal()
        }
        thread.name = "temoin-seal"
        thread.start()
    }

    /// Waits for the seals started so far and returns what each did, in the order started: the
    /// outcomes per TSA, or why the head could not be sealed at all.
    package func wait() -> [(outcomes: [Sealer.Outcome], failure: String?)] {
        let tasks = running.withLock { list in
            defer { list = [] }
            return list
        }
        return tasks.map { task in
            task.done.wait()
            return (task.outcomes.withLock { $0 }, task.failure.withLock { $0 })
        }
    }
}

/// Public time-stamp authorities `temoin init` suggests: free, no account, RFC 3161 over HTTP(S).
/// docs/TRUST.md says what was checked about them, how, and what was not (their eIDAS status).
package enum PublicTSA {
    package static let suggested: [(url: String, name: String)] = [
        ("https://freetsa.org/tsr", "FreeTSA"),
        ("http://timestamp.digicert.com", "DigiCert"),
    ]
}
