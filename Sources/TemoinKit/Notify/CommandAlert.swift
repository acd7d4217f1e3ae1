import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An alert by a command of the person's choosing (an SMS gateway's client, `notify-send`...), run
/// with `/bin/sh -c`.
///
/// The slot's facts reach the command as environment variables and its text on standard input, never
/// inside the command line: an address chosen by a web server is never read by the shell.
/// `TEMOIN_SLOT_URL`, `TEMOIN_SLOT_TIME` (Paris), `TEMOIN_SLOT_TIME_UTC`, `TEMOIN_SLOT_SEQ`,
/// `TEMOIN_ALERT_SUBJECT`, `TEMOIN_ALERT_TEXT`. Exit status 0 means delivered.
package struct CommandAlert: AlertChannel {
    package let command: String
    /// Seconds before the command is stopped and the try counts as failed.
    package var timeout: Double = 60

    package init(command: String) {
        self.command = command
    }

    package var recipient: String { tr("notify.recipient.command", ["command": command]) }

    package func environment(for alert: SlotAlert, base: [String: String] = ProcessInfo.processInfo.environment)
        -> [String: String]
    {
        var env = base
        env["TEMOIN_SLOT_URL"] = alert.url
        env["TEMOIN_SLOT_TIME"] = TimeFormat.parisWallTime(alert.seenAt)
        env["TEMOIN_SLOT_TIME_UTC"] = TimeFormat.utc(alert.seenAt)
        env["TEMOIN_SLOT_SEQ"] = String(alert.seq)
        env["TEMOIN_ALERT_SUBJECT"] = alert.subject
        env["TEMOIN_ALERT_TEXT"] = alert.text
        return env
    }

    package func deliver(_ alert: SlotAlert) throws {
        let toChild: (Int32, Int32)
        let fromChild: (Int32, Int32)
        do {
            toChild = try ChildProcess.pipe()
            fromChild = try ChildProcess.pipe()
        } catch {
            throw AlertFailure(tr("notify.failure.command_start", ["detail": "\(error)"]))
        }
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(
                "/bin/sh", arguments: ["-c", command], environment: environment(for: alert),
                descriptors: [0: .inherit(toChild.0), 1: .inherit(fromChild.1), 2: .inherit(fromChild.1)])
        } catch {
            for fd in [toChild.0, toChild.1, fromChild.0, fromChild.1] { close(fd) }
            throw AlertFailure(tr("notify.failure.command_start", ["detail": "\(error)"]))
        }
        close(toChild.0)
        close(fromChild.1)
        // The text on standard input; a command that does not read it must not block us (SIGPIPE ignored).
        signal(SIGPIPE, SIG_IGN)
        let text = Array((alert.text + "\n").utf8)
        _ = text.withUnsafeBytes { write(toChild.1, $0.baseAddress, $0.count) }
        close(toChild.1)
        // Keep the last of what it printed, to explain a failure.
        let output = OutputTail(fd: fromChild.0)
        let ended = child.wait(seconds: timeout)
        guard ended else {
            child.terminate()
            throw AlertFailure(tr("notify.failure.command_timeout", ["seconds": String(Int(timeout))]))
        }
        let status = child.poll() ?? -1
        guard status == 0 else {
            // The command has ended, so what it printed is in the pipe: waited for even on a machine slow to
            // run the reader, though not forever (something it left running may hold the pipe open).
            let printed = output.finish(within: 10)
            throw AlertFailure(tr("notify.failure.command_status", ["status": String(status), "output": printed]))
        }
    }
}

/// Reads a descriptor to its end on a thread of its own, keeping the last 500 bytes.
private final class OutputTail: @unchecked Sendable {
    private let lock = NSLock()
    private var tail = [UInt8]()
    private let done = DispatchSemaphore(value: 0)
    private let fd: Int32

    init(fd: Int32) {
        self.fd = fd
        Thread { [self] in
            readUntilEnd(fd) { chunk in
                lock.withLock {
                    tail += chunk
                    if tail.count > 500 { tail.removeFirst(tail.count - 500) }
                }
            }
            close(fd)
            done.signal()
        }.start()
    }

    /// The text kept, on one line, once the writer closed its end (or after `seconds`).
    func finish(within seconds: Double) -> String {
        _ = done.wait(timeout: .now() + seconds)
        let text = lock.withLock { String(decoding: tail, as: UTF8.self) }
        return text.split(whereSeparator: \.isNewline).joined(separator: " / ").trimmingCharacters(in: .whitespaces)
    }
}
