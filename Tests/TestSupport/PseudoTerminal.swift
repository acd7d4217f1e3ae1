import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A pseudo-terminal made by the test: the real binary sees a terminal on its standard input,
/// output and error, as when a person types in it.
package final class PseudoTerminal {
    package let master: Int32
    package let slavePath: String
    package private(set) var transcript = Data()

    package init(columns: UInt16 = 100) throws {
        // posix_openpt, unlockpt and ptsname are not visible through Swift's Glibc module: the same
        // steps with Linux's ioctls (TIOCSPTLCK unlocks the slave, TIOCGPTN gives its number).
        let fd = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        let unlocked = withUnsafeMutablePointer(to: &unlock) { ioctl(fd, 0x4004_5431, $0) }
        var number: UInt32 = 0
        let numbered = withUnsafeMutablePointer(to: &number) { ioctl(fd, 0x8004_5430, $0) }
        var size = winsize(ws_row: 40, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = withUnsafeMutablePointer(to: &size) { ioctl(fd, UInt(TIOCSWINSZ), $0) }
        master = fd
        slavePath = "/dev/pts/\(number)"
        try #require(fd >= 0 && unlocked == 0 && numbered == 0)
    }

    deinit { close(master) }

    /// Starts `temoin` with the terminal as standard input, output and (unless `stderr` is given) error.
    package func launch(
        _ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
        stderr: Pipe? = nil
    ) throws -> Process {
        let slave = open(slavePath, O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: temoinBinary)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env["TERM"] = "xterm"
        for k in ["LC_ALL", "LC_MESSAGES", "TEMOIN_STORE"] { env.removeValue(forKey: k) }
        for (k, v) in environment { env[k] = v }
        p.environment = env
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        p.standardInput = handle
        p.standardOutput = handle
        p.standardError = stderr ?? handle
        try p.run()
        try handle.close()  // the child holds its own copies; the master sees EOF when it exits
        return p
    }

    package var text: String { String(decoding: transcript, as: UTF8.self) }

    /// Reads what the program writes until `needle` shows up after `from` (a transcript offset),
    /// the program closes the terminal, or 60 s pass (a guard against hanging, not a timing check).
    @discardableResult
    package func read(until needle: String? = nil, from offset: Int = 0) -> Bool {
        let limit = Date().addingTimeInterval(60)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < limit {
            if let needle, String(decoding: transcript.dropFirst(offset), as: UTF8.self).contains(needle) {
                return true
            }
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, 100)
            if ready < 0 { return false }
            if ready == 0 { continue }
            let n = Glibc.read(master, &buffer, buffer.count)
            if n <= 0 { return needle == nil }  // EIO: every copy of the terminal is closed
            transcript.append(contentsOf: buffer[0..<n])
        }
        return false
    }

    /// Types a line, as a person presses Enter.
    package func type(_ line: String) {
        let bytes = Array((line + "\r").utf8)
        _ = bytes.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
    }
}
