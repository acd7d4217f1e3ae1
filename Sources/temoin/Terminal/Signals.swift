import ArgumentParser
import Foundation
import Synchronization
import TemoinKit

/// The process's one SIGINT handler, installed by `main` for every command. The first Ctrl-C asks
/// everything to stop: SQLite work under way ends at once (`Interruption`: an endless query in a hostile
/// store, a long verification), and the flags of `attempt` and `watch` are raised (the transfer stops,
/// nothing is recorded for the unfinished attempt). A second Ctrl-C leaves at once.
enum InterruptHandler {
    private static let flags = Mutex<[ObjectIdentifier: StopFlag]>([:])
    private static let actions = Mutex<[@Sendable () -> Void]>([])
    private static let source = Mutex<DispatchSourceSignal?>(nil)

    static func install() {
        source.withLock { current in
            guard current == nil else { return }
            signal(SIGINT, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
            s.setEventHandler {
                if Interruption.isRequested {
                    BrowserCleanup.now()  // no browser or temporary profile may outlive temoin
                    exit(130)
                }
                Interruption.request()
                for flag in flags.withLock({ Array($0.values) }) { flag.raise() }
                for action in actions.withLock({ Array($0) }) { action() }
            }
            s.resume()
            current = s
        }
    }

    /// Raises `flag` on the first Ctrl-C, until the registration is cancelled.
    static func register(_ flag: StopFlag) -> StopRegistration {
        install()
        flags.withLock { $0[ObjectIdentifier(flag)] = flag }
        return StopRegistration(flag: flag)
    }

    /// Runs `action` on the first Ctrl-C (one process, one SIGINT source: a second source for the same
    /// signal is not reliably told on Linux).
    static func onInterrupt(_ action: @escaping @Sendable () -> Void) {
        install()
        actions.withLock { $0.append(action) }
    }

    fileprivate static func unregister(_ flag: StopFlag) {
        _ = flags.withLock { $0.removeValue(forKey: ObjectIdentifier(flag)) }
    }
}

/// A flag raised by Ctrl-C while registered.
struct StopRegistration {
    let flag: StopFlag
    func cancel() { InterruptHandler.unregister(flag) }
}

/// Ctrl-C raises the flag: the transfer stops, nothing is recorded for the unfinished attempt.
/// A second Ctrl-C leaves at once.
func installStopHandler(_ flag: StopFlag) -> StopRegistration { InterruptHandler.register(flag) }

/// With a browser open, a closed terminal (SIGHUP) or a SIGTERM stops like Ctrl-C: the browser is closed
/// and its temporary profile deleted before temoin leaves. A second signal leaves at once, after killing
/// the browser and deleting the profile.
func installBrowserExitHandlers(_ flag: StopFlag) -> [DispatchSourceSignal] {
    [SIGHUP, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            if flag.isRaised {
                BrowserCleanup.now()
                exit(128 + number)
            }
            flag.raise()
        }
        source.resume()
        return source
    }
}
