import ArgumentParser
import Foundation
import TemoinKit

/// Handles `number` with `handler`, on a queue, from the moment this returns. The default action is
/// switched off first (SIG_IGN), then the dispatch source is registered; registration is waited for,
/// since libdispatch installs its handler asynchronously and a signal arriving in between would be lost
/// (a SIGINT sent as soon as an export had begun went unheard).
private func handle(_ number: Int32, _ handler: @escaping @Sendable () -> Void) -> DispatchSourceSignal {
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
func installStopHandler(_ flag: StopFlag) -> DispatchSourceSignal {
    handle(SIGINT) {
        if flag.isRaised {
            BrowserCleanup.now()  // no browser or temporary profile may outlive temoin
            exit(ExitStatus.interrupted.rawValue)
        }
        flag.raise()
    }
}

/// With a browser open, a closed terminal (SIGHUP) or a SIGTERM stops like Ctrl-C: the browser is closed
/// and its temporary profile deleted before temoin leaves. A second signal leaves at once, after killing
/// the browser and deleting the profile.
func installBrowserExitHandlers(_ flag: StopFlag) -> [DispatchSourceSignal] {
    [SIGHUP, SIGTERM].map { number in
        handle(number) {
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
/// sweeps (WorkFolder).
func installCleanupHandlers() -> [DispatchSourceSignal] {
    [SIGINT, SIGHUP, SIGTERM].map { number in
        handle(number) {
            WorkFolder.removeAll()
            exit(ExitStatus.signal(number).rawValue)
        }
    }
}
