import Foundation
import Synchronization

/// The process's one SIGINT handler, installed by the executable's `main` for every command. The first Ctrl-C asks
/// everything to stop: SQLite work under way ends at once (`Interruption`: an endless query in a hostile
/// store, a long verification), the flags of `attempt` and `watch` are raised (the transfer stops,
/// nothing is recorded for the unfinished attempt) and the registered actions run. A second Ctrl-C
/// leaves at once.
package enum InterruptHandler {
    private struct Actions {
        var fired = false
        var list: [@Sendable () -> Void] = []
    }
    private static let flags = Mutex<[ObjectIdentifier: StopFlag]>([:])
    private static let actions = Mutex<Actions>(Actions())
    private static let source = Mutex<DispatchSourceSignal?>(nil)

    /// Installs the handler (once; later calls do nothing) and returns when the signal is being listened to.
    package static func install() {
        source.withLock { current in
            guard current == nil else { return }
            current = handleSignal(SIGINT) {
                if Interruption.isRequested {
                    BrowserCleanup.now()  // no browser or temporary profile may outlive temoin
                    exit(ExitStatus.interrupted.rawValue)
                }
                Interruption.request()
                for flag in flags.withLock({ Array($0.values) }) { flag.raise() }
                let list = actions.withLock { state -> [@Sendable () -> Void] in
                    state.fired = true
                    return state.list
                }
                for action in list { action() }
            }
        }
    }

    /// Raises `flag` on the first Ctrl-C, until the registration is cancelled.
    package static func register(_ flag: StopFlag) -> StopRegistration {
        install()
        flags.withLock { $0[ObjectIdentifier(flag)] = flag }
        if Interruption.isRequested { flag.raise() }
        return StopRegistration(flag: flag)
    }

    /// Runs `action` once on the first Ctrl-C, or now if it already came (one process, one SIGINT source:
    /// a second source for the same signal is not reliably told on Linux).
    package static func onInterrupt(_ action: @escaping @Sendable () -> Void) {
        install()
        let late = actions.withLock { state -> Bool in
            if state.fired { return true }
            state.list.append(action)
            return false
        }
        if late { action() }
    }

    /// Returns on the first Ctrl-C, or at once if it already came; a second one leaves at once.
    package static func waitForInterrupt() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            onInterrupt { continuation.resume() }
        }
    }

    fileprivate static func unregister(_ flag: StopFlag) {
        _ = flags.withLock { $0.removeValue(forKey: ObjectIdentifier(flag)) }
    }
}

/// A flag raised by Ctrl-C while registered.
package struct StopRegistration {
    package let flag: StopFlag
    package func cancel() { InterruptHandler.unregister(flag) }
}

/// Handles `number` with `handler`, on a queue, from the moment this returns. The default action is
/// switched off first (SIG_IGN), then the dispatch source is registered; registration is waited for,
/// since libdispatch installs its handler asynchronously and a signal arriving in between would be lost
/// (a SIGINT sent as soon as an export had begun went unheard).
package func handleSignal(_ number: Int32, _ handler: @escaping @Sendable () -> Void) -> DispatchSourceSignal {
    signal(number, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    let registered = DispatchSemaphore(value: 0)
    source.setRegistrationHandler { registered.signal() }
    source.setEventHandler(handler: handler)
    source.resume()
    registered.wait()
    return source
}

/// Ctrl-C raises the flag: the transfer stops, nothing is recorded for the unfinished attempt.
/// A second Ctrl-C leaves at once.
package func installStopHandler(_ flag: StopFlag) -> StopRegistration { InterruptHandler.register(flag) }

/// With a browser open, a closed terminal (SIGHUP) or a SIGTERM stops like Ctrl-C: the browser is closed
/// and its temporary profile deleted before temoin leaves. A second signal leaves at once, after killing
/// the browser and deleting the profile.
package func installBrowserExitHandlers(_ flag: StopFlag) -> [DispatchSourceSignal] {
    [SIGHUP, SIGTERM].map { number in
        handleSignal(number) {
            if flag.isRaised {
                BrowserCleanup.now()
                exit(ExitStatus.signal(number).rawValue)
            }
            flag.raise()
        }
    }
}

/// While temoin makes or opens a bundle (or writes a WARC file), Ctrl-C, a closed terminal or SIGTERM
/// removes its work folders and partial files before it leaves (exit 128 + the signal): a snapshot of
/// the whole store must not stay behind in a temporary folder. What a SIGKILL leaves, the next run
/// sweeps (WorkFolder). On Ctrl-C, `interrupted` says so (the library never prints) before temoin leaves.
package func installCleanupHandlers(interrupted: @escaping @Sendable () -> Void) -> [SignalRegistration] {
    // Ctrl-C goes through the process's one SIGINT source (InterruptHandler).
    InterruptHandler.onInterrupt {
        SignalExit.begin()
        WorkFolder.removeAll()
        interrupted()
        exit(ExitStatus.interrupted.rawValue)
    }
    return [SIGHUP, SIGTERM].map { number in
        let source = handleSignal(number) {
            SignalExit.begin()
            WorkFolder.removeAll()
            exit(ExitStatus.signal(number).rawValue)
        }
        return SignalRegistration { source.cancel() }
    }
}

/// Whether a cleanup handler is taking the process out. It is raised before the work folders are
/// removed, so that the failure this removal causes in the work under way (its files vanish under it)
/// never ends the process first with another status: the signal's status is the true one.
package enum SignalExit {
    private static let leaving = Atomic<Bool>(false)

    fileprivate static func begin() { leaving.store(true, ordering: .sequentiallyConsistent) }

    /// Returns at once, unless a cleanup handler is leaving: then never, since that handler ends the process.
    package static func holdIfLeaving() {
        guard leaving.load(ordering: .sequentiallyConsistent) else { return }
        while true { sleep(60) }
    }
}

/// A handler that stops when cancelled.
package struct SignalRegistration {
    package let cancel: () -> Void
}

/// Runs `body` with Ctrl-C raising its stop flag, and with a browser, a closed terminal or SIGTERM too;
/// the handlers go when it returns.
package func withStopHandling<T>(browser: Bool, _ body: (StopFlag) throws -> T) throws -> T {
    let stop = StopFlag()
    let handler = installStopHandler(stop)
    let exitHandlers = browser ? installBrowserExitHandlers(stop) : []
    defer {
        handler.cancel()
        for h in exitHandlers { h.cancel() }
    }
    return try body(stop)
}
