import Foundation
import TemoinKit
import Testing

/// dkimpy (an independent DKIM implementation) signs messages, dnslib serves their keys on 127.0.0.1:
/// scripts/dkim_mail.py in the tools venv (`make tools`; `make test` runs it).
package enum DKIMTool {
    package static let python = repositoryRoot.appendingPathComponent(".venv-tools/bin/python").path
    package static let script = repositoryRoot.appendingPathComponent("scripts/dkim_mail.py").path

    package static let available: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return (try? run(python, ["-c", "import dkim, dnslib, nacl"]).status) == 0
    }()

    package static let missing: Comment = "dkimpy, dnslib or pynacl missing: run `make tools` (make test does)"

    /// A new key pair: the private key file and the TXT record to publish.
    package static func keygen(_ kind: String, in dir: TempDir, name: String) throws -> (key: String, record: String) {
        let key = dir.file(name + ".key")
        let r = try run(python, [script, "keygen", kind, key])
        try #require(r.status == 0, "\(r.stderr)")
        return (key, r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Signs `input` into `output` with dkimpy.
    package static func sign(
        _ input: String, to output: String, key: String, algorithm: String, domain: String = "val-de-marne.test",
        selector: String, canonicalization: String = "relaxed/relaxed", length: Bool = false, headers: [String]? = nil
    ) throws {
        var args = [script, "sign", key, algorithm, domain, selector, canonicalization, input, output]
        if length { args.append("--length") }
        if let headers { args += ["--headers", headers.joined(separator: ":")] }
        let r = try run(python, args)
        try #require(r.status == 0, "\(r.stderr)")
    }
}

/// A DNS server on 127.0.0.1 answering TXT queries from a zone (nil: NXDOMAIN; "SERVFAIL"), for as
/// long as this object lives.
package final class LocalDNS {
    package let port: Int
    private let process: Process
    private let input: Pipe

    package init(_ zone: [String: String?], dir: TempDir = TempDir()) throws {
        let file = dir.file("zone-\(UUID().uuidString).json")
        let object = zone.mapValues { $0 as Any? ?? NSNull() }
        _ = FileManager.default.createFile(atPath: file, contents: try JSONSerialization.data(withJSONObject: object))
        process = Process()
        process.executableURL = URL(fileURLWithPath: DKIMTool.python)
        process.arguments = [DKIMTool.script, "serve", file]
        input = Pipe()
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        let (started, printed) = try startServerReadingPort(process)
        port = started ?? 0
        try #require(port > 0, "the DNS server did not start (it printed \"\(printed)\")")
    }

    /// `127.0.0.1:<port>`, for `--dns-server` and `TEMOIN_DNS_SERVER`.
    package var address: String { "127.0.0.1:\(port)" }

    package var resolver: DNSKeyResolver { DNSKeyResolver(server: ("127.0.0.1", port), timeout: 10, attempts: 2) }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}

/// A UDP port on 127.0.0.1 where nothing answers: a DNS server that is down.
package func deadDNSPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    close(fd)  // nothing listens there now
    return Int(UInt16(bigEndian: address.sin_port))
}

package enum StepFixtures {
    package static var folder: URL { Bundle.module.bundleURL.appendingPathComponent("Fixtures/steps") }
    package static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}
