import Foundation
import Synchronization
import TemoinKit

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP port on 127.0.0.1 that counts the connections made to it and answers none: a test points a
/// hostile page's resources at it and checks that nothing ever connected.
package final class LocalListener: @unchecked Sendable {
    package let port: Int
    private let fd: Int32
    private let accepted = Mutex<Int>(0)
    private let stopped = Mutex<Bool>(false)

    package init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TemoinError.networkUnavailable(detail: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw TemoinError.networkUnavailable(detail: "bind") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.fd = fd
        let thread = Thread { [self] in
            while !stopped.withLock({ $0 }) {
                let client = accept(self.fd, nil, nil)
                if client < 0 { break }
                accepted.withLock { $0 += 1 }
                close(client)
            }
        }
        thread.start()
    }

    package var connections: Int { accepted.withLock { $0 } }
    package var base: String { "http://127.0.0.1:\(port)" }

    package func stop() {
        let first = stopped.withLock { was in
            defer { was = true }
            return !was
        }
        guard first else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    deinit { stop() }
}
