import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Standard error, as temoin writes to it: neutralised by ``TerminalText`` (a store's text may hold escape
/// sequences), written with write(2) so that a signal handler's event can use it too, and a closed or full
/// standard error ignored (a message must never turn into a crash).
package enum StandardError {
    /// `text` neutralised, as it is (the caller adds line breaks).
    package static func write(_ text: String) {
        writeRaw(STDERR_FILENO, Array(TerminalText.text(text).utf8))
    }

    /// An error or warning on one line, after `temoin: `: a line break in it can only come from a value.
    package static func message(_ message: String) {
        write("temoin: " + TerminalText.line(message) + "\n")
    }

    /// The terminal's bell: the one control character temoin writes on purpose, on standard error so
    /// that it never mixes with a result on standard output.
    package static func bell() {
        writeRaw(STDERR_FILENO, [0x07])
    }

    private static func writeRaw(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBufferPointer { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}
