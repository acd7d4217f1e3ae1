import Foundation
import Testing

@testable import TemoinKit

#if canImport(Glibc)
    import Glibc
#endif

/// Process control that the executable only calls: a signal handled from the moment `handleSignal`
/// returns, and the terminal's lines counted from a file descriptor (a pipe here, standard input in use).
@Suite struct ProcessControlTests {
    @Test func aSignalRaisedAsSoonAsTheHandlerIsInstalledIsHeard() throws {
        let heard = DispatchSemaphore(value: 0)
        let source = handleSignal(SIGUSR2) { heard.signal() }
        defer { source.cancel() }
        // To the process, as a terminal or `kill` sends it (raise() would go to this thread only).
        kill(getpid(), SIGUSR2)
        #expect(heard.wait(timeout: .now() + 10) == .success)
    }

    @Test func enterRaisesTheFlagUntilForgottenAndTheEndOfInputEndsTheWait() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let lines = TerminalLines(fd: fds[0])
        #expect(!lines.isRaised)
        _ = "first\n".withCString { write(fds[1], $0, 6) }
        let deadline = Date().addingTimeInterval(10)
        while !lines.isRaised, Date() < deadline { usleep(10_000) }
        #expect(lines.isRaised)
        lines.forget()
        #expect(!lines.isRaised)
        close(fds[1])
        // No line comes any more: the wait ends at the end of input instead of hanging.
        lines.waitForEnter(stop: StopFlag())
        #expect(lines.atEnd)
        #expect(!lines.isRaised)
        close(fds[0])
    }

    @Test func aStopFlagIsRaisedOnRegistrationOnlyWhenCtrlCAlreadyCame() {
        let flag = StopFlag()
        let registration = InterruptHandler.register(flag)
        registration.cancel()
        // Ctrl-C is process-wide: another test may have asked for it (then the flag is raised at once).
        #expect(flag.isRaised == Interruption.isRequested)
    }
}
