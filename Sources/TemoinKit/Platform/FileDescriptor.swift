import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes all of `bytes` to `fd`, again where a signal interrupted a write (EINTR). Returns 0, or the
/// `errno` of the write that failed (a full disk, a closed pipe); a write that writes nothing counts as
/// failed (EIO), so that no caller waits on it forever.
package func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
    var offset = 0
    while offset < bytes.count {
        #if canImport(Glibc)
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        #else
            let n = Darwin.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        #endif
        if n < 0, errno == EINTR { continue }
        if n < 0 { return errno }
        if n == 0 { return EIO }
        offset += n
    }
    return 0
}

/// Reads `fd` to its end (or to a read that fails), again where a signal interrupted a read (EINTR),
/// handing each chunk to `body` as it comes; a chunk is valid only during the call.
package func readUntilEnd(_ fd: Int32, chunkSize: Int = 4096, _ body: (ArraySlice<UInt8>) -> Void) {
    var buffer = [UInt8](repeating: 0, count: chunkSize)
    while true {
        #if canImport(Glibc)
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
        #else
            let n = buffer.withUnsafeMutableBytes { Darwin.read(fd, $0.baseAddress!, $0.count) }
        #endif
        if n < 0, errno == EINTR { continue }
        if n <= 0 { return }
        body(buffer[0..<n])
    }
}
