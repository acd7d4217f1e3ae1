import Foundation

/// Lines typed in the terminal, read on a thread of their own: Enter records a witnessed attempt now
/// (or, for `watch --browser`, starts the next one).
package final class TerminalLines: InterruptionFlag, @unchecked Sendable {
    private let lock = NSLock()
    private var lines = 0
    private var taken = 0
    package private(set) var atEnd = false

    /// Starts reading `fd` (standard input unless a test gives a pipe) on a thread of its own.
    package init(fd: Int32 = 0) {
        // Raw read(2), not readLine: a FILE-level read blocked on stdin holds a lock that fflush(NULL)
        // elsewhere would wait on forever, and a line is only counted, never kept.
        let thread = Thread { [self] in
            readUntilEnd(fd) { chunk in
                let newlines = chunk.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                lock.withLock { lines += newlines }
            }
            lock.withLock { atEnd = true }
        }
        thread.start()
    }

    /// True once Enter was pressed since the last ``forget()``.
    package var isRaised: Bool { lock.withLock { lines > taken } }

    /// Forgets the lines typed so far (before a new attempt starts).
    package func forget() { lock.withLock { taken = lines } }

    /// Waits for Enter, Ctrl-C, or the end of input (nothing to wait for then).
    package func waitForEnter(stop: InterruptionFlag) {
        while !stop.isRaised {
            if lock.withLock({ lines > taken || atEnd }) { break }
            usleep(100_000)
        }
        forget()
    }
}
