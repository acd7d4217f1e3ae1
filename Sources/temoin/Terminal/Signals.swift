import ArgumentParser
import Foundation
import TemoinKit

/// Ctrl-C raises the flag: the transfer stops, nothing is recorded for the unfinished attempt.
/// A second Ctrl-C leaves at once.
func installStopHandler(_ flag: StopFlag) -> DispatchSourceSignal {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler {
        if flag.isRaised {
            BrowserCleanup.now()  // no browser or temporary profile may outlive temoin
            exit(ExitStatus.interrupted.rawValue)
        }
        flag.raise()
    }
    source.resume()
    return source
}

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
                exit(ExitStatus.signal(number).rawValue)
            }
            flag.raise()
        }
        source.resume()
        return source
    }
}

/// While temoin makes or opens a bundle (or writes a WARC file), Ctrl-C, a closed terminal or SIGTERM
/// removes its work folders and partial files before it leaves (exit 128 + the signal): a snapshot of
/// the whole store must not stay behind in a temporary folder. What a SIGKILL leaves, the next run
/// sweeps (WorkFolder).
func installCleanupHandlers() -> [DispatchSourceSignal] {
    [SIGINT, SIGHUP, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            WorkFolder.removeAll()
            exit(ExitStatus.signal(number).rawValue)
        }
        source.resume()
        return source
    }
}
