import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program temoin starts (a browser, an alert command), in a process group of its own so that the
/// terminal's Ctrl-C reaches temoin alone and temoin ends the child and everything it started.
///
/// The one place temoin spawns processes (POSIX `posix_spawn`; a Windows port replaces this file:
/// docs/PORTABILITY.md). Foundation's `Process` cannot place descriptors (the browser's DevTools pipe
/// is its fds 3 and 4) nor give the child its own group.
package final class ChildProcess: @unchecked Sendable {
    package let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// What the child's descriptors are.
    package enum Descriptor {
        /// `/dev/null`, read or write.
        case null
        /// This descriptor of ours (dup2'ed into the child).
        case inherit(Int32)
    }

    private init(pid: pid_t) { self.pid = pid }

    /// Starts `executable` with `arguments` (argv[1...]), the environment `environment` (nil: ours), and
    /// `descriptors` mapped onto the child's numbers (0, 1, 2, and any others).
    package static func spawn(
        _ executable: String, arguments: [String], environment: [String: String]? = nil,
        descriptors: [Int32: Descriptor] = [0: .null, 1: .null, 2: .null]
    ) throws -> ChildProcess {
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t?
            var attributes: posix_spawnattr_t?
        #else
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        for (number, descriptor) in descriptors.sorted(by: { $0.key < $1.key }) {
            switch descriptor {
            case .null:
                posix_spawn_file_actions_addopen(&actions, number, "/dev/null", number == 0 ? O_RDONLY : O_WRONLY, 0)
            case .inherit(let ours):
                posix_spawn_file_actions_adddup2(&actions, ours, number)
            }
        }
        posix_spawnattr_setpgroup(&attributes, 0)
        // A clean start: no signal blocked (a Dispatch worker thread blocks most of them, and a child
        // inherits the mask) and every disposition at its default (temoin ignores SIGPIPE).
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { env in
            env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        }
        defer { for e in envp ?? [] { free(e) } }
        var pid: pid_t = 0
        spawnLock.lock()
        defer { spawnLock.unlock() }
        let rc: Int32
        if let envp {
            rc = envp.withUnsafeBufferPointer {
                posix_spawn(&pid, executable, &actions, &attributes, argv, $0.baseAddress)
            }
        } else {
            rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        }
        guard rc == 0 else { throw ChildProcessError(executable: executable, code: rc) }
        return ChildProcess(pid: pid)
    }

    /// Held while a pipe is made and flagged, and while a child is spawned: a child started by another
    /// thread between `pipe` and `fcntl` would inherit an end and keep the pipe open (glibc's `pipe2`,
    /// which does both at once, is not visible from Swift).
    private static let spawnLock = NSLock()

    /// A pipe whose two ends are close-on-exec and numbered 10 or above, so that mapping one onto a
    /// child's 0-4 is never a no-op that would keep the flag. Returns (read end, write end).
    package static func pipe() throws -> (Int32, Int32) {
        try spawnLock.withLock {
            var fds: [Int32] = [-1, -1]
            #if canImport(Glibc)
                guard Glibc.pipe(&fds) == 0 else { throw ChildProcessError(executable: "pipe", code: errno) }
            #else
                guard Darwin.pipe(&fds) == 0 else { throw ChildProcessError(executable: "pipe", code: errno) }
            #endif
            let high = fds.map { fd -> Int32 in
                let moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)
                close(fd)
                return moved
            }
            return (high[0], high[1])
        }
    }

    /// The exit status once the child has ended (128 + signal when killed), else nil. Never blocks.
    package func poll() -> Int32? {
        lock.withLock {
            if let exitStatus { return exitStatus }
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                exitStatus = Self.decode(status)
            } else if r < 0, errno == ECHILD {
                exitStatus = -1
            }
            return exitStatus
        }
    }

    /// Waits until the child ends or `seconds` pass; true if it ended.
    package func wait(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if poll() != nil { return true }
            usleep(20_000)
        }
        return poll() != nil
    }

    /// Sends `signal` to the child's whole group (itself and what it started).
    package func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
        kill(pid, signal)
    }

    /// SIGTERM to the group, then SIGKILL after `grace` seconds; reaps the child.
    package func terminate(grace: Double = 2) {
        guard poll() == nil else {
            signalGroup(SIGKILL)  // helpers may outlive a leader that exited
            return
        }
        signalGroup(SIGTERM)
        if !wait(seconds: grace) {
            signalGroup(SIGKILL)
            _ = wait(seconds: 5)
        }
        signalGroup(SIGKILL)
    }

    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// A program that could not be started.
package struct ChildProcessError: Error, CustomStringConvertible {
    package var executable: String
    package var code: Int32
    package var description: String { "\(executable): \(String(cString: strerror(code)))" }
}
