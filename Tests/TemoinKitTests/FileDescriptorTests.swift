import Foundation
import Testing

@testable import TemoinKit

/// Every byte written, or the failure named: standard error, a dossier's file, the browser's pipe.
@Suite struct FileDescriptorTests {
    @Test func everyByteIsWrittenOrTheFailureIsNamed() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let bytes = [UInt8]((0..<10_000).map { UInt8($0 % 251) })
        #expect(bytes.withUnsafeBytes { writeAll(fds[1], $0) } == 0)
        close(fds[1])
        let read = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
        #expect(read == Data(bytes))
        // A full disk and a descriptor that is not open are said by their errno.
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0)
        defer { close(full) }
        #expect(bytes.withUnsafeBytes { writeAll(full, $0) } == ENOSPC)
        #expect(bytes.withUnsafeBytes { writeAll(-1, $0) } == EBADF)
    }
}
