import Foundation
import GRDB
import Synchronization
import TemoinKit
import Testing

/// A temporary folder, removed when the test process exits (not when the value goes away: a store
/// opened in it may outlive the last use of the folder object).
package final class TempDir: Sendable {
    package let url: URL
    package var path: String { url.path }

    package init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("temoin-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        TempDir.registerCleanup(url.path)
    }

    private static let paths = Mutex<[String]>([])

    private static func registerCleanup(_ path: String) {
        let first = paths.withLock { list in
            list.append(path)
            return list.count == 1
        }
        if first {
            atexit {
                for p in TempDir.paths.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: p) }
            }
        }
    }

    package func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    package func write(_ name: String, _ data: Data, modified: Date? = nil) -> String {
        let p = file(name)
        try? FileManager.default.createDirectory(
            at: URL(fileURLWithPath: p).deletingLastPathComponent(), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: p, contents: data)
        if let modified { try? FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: p) }
        return p
    }

    @discardableResult
    package func write(_ name: String, _ text: String, modified: Date? = nil) -> String {
        write(name, Data(text.utf8), modified: modified)
    }
}

package enum Fixtures {
    /// The files we wrote for the tests (Tests/TestSupport/Fixtures), from this target's resources.
    package static var folder: URL { Bundle.module.bundleURL.appendingPathComponent("Fixtures") }

    /// The folder of sample pages we wrote (Tests/TestSupport/Fixtures/pages, see its README.md), assembled:
    /// there a page of a family holds include lines for its site's layout (Fixtures/page-layouts), and
    /// assemble_pages.py, the one assembler the tests, the demo, the bench, fuzz and harden share, puts the
    /// layout's bytes back, once a test process, in a temporary folder removed when the process ends.
    package static var pages: URL { assembledPages }

    /// The page sources as written, include lines and all.
    package static var pageSources: URL { folder.appendingPathComponent("pages") }

    private static let assembledPages: URL = {
        // Named `pages`, as the sources' folder is, inside a folder of this process's own.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent(
            "temoin-fixtures-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)/pages")
        let script = folder.appendingPathComponent("assemble_pages.py").path
        guard let r = try? run("/usr/bin/env", ["python3", script, pageSources.path, out.path]), r.status == 0 else {
            preconditionFailure("cannot assemble the fixture pages with \(script) (is python3 installed? make deps)")
        }
        atexit { try? FileManager.default.removeItem(at: Fixtures.assembledPages.deletingLastPathComponent()) }
        return out
    }()

    package static func page(_ name: String) -> String { pages.appendingPathComponent(name).path }

    package static func data(_ name: String) throws -> Data { try Data(contentsOf: pages.appendingPathComponent(name)) }

    /// The sample case as `temoin init` arguments.
    package static let initArguments = [
        "init", "--applicant", "Amina Diallo", "--prefecture", "Préfecture du Val-de-Marne", "--procedure",
        "Admission exceptionnelle au séjour", "--booking-url", "https://www.val-de-marne.gouv.fr/booking/create/4963/0",
        "--facts", "Récépissé expiré le 2026-10-01",
    ]

    /// A slot page's address on the current booking system (rdv-prefecture).
    package static let rdv = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/"

    package static let sampleCase = CaseFields(
        applicant: "Amina Diallo", prefecture: "Préfecture du Val-de-Marne",
        procedure: "Admission exceptionnelle au séjour",
        bookingURL: "https://www.val-de-marne.gouv.fr/booking/create/4963/0", profile: "auto",
        facts: "Récépissé expiré le 2026-10-01 ; contrat de travail en CDI suspendu ; deux enfants scolarisés.")
}

/// A fresh store with the sample case, in its own temporary folder.
package func makeStore(_ dir: TempDir = TempDir()) throws -> (TempDir, Store) {
    let store = try Store.create(at: dir.file("temoin.sqlite"), case: Fixtures.sampleCase)
    return (dir, store)
}

/// Writes raw SQL into a store as an attacker with the sqlite3 library would.
package func tamper(_ path: String, _ sql: String, arguments: StatementArguments = []) throws {
    let q = try DatabaseQueue(path: path)
    try q.writeWithoutTransaction { db in try db.execute(sql: sql, arguments: arguments) }
}

/// The repository root, found from this file's path.
package let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}()

package struct RunResult {
    package var status: Int32
    package var stdout: String
    package var stderr: String
    package var stdoutData: Data
}

/// Runs a program to completion, capturing its output.
@discardableResult
package func run(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
    currentDirectory: String? = nil
) throws -> RunResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["LANG"] = "C.UTF-8"
    env.removeValue(forKey: "LC_ALL")
    env.removeValue(forKey: "LC_MESSAGES")
    env.removeValue(forKey: "TEMOIN_STORE")
    for (k, v) in environment { env[k] = v }
    p.environment = env
    if let currentDirectory { p.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let input = Pipe()
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try? input.fileHandleForWriting.close()
    // Read both pipes concurrently so a chatty child never blocks on a full pipe.
    let errBox = DataBox()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return RunResult(
        status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errBox.data, as: UTF8.self), stdoutData: outData)
}

package final class DataBox: @unchecked Sendable {
    package var data = Data()
    package init() {}
}

/// The temoin binary built next to the tests (`swift build --build-tests` builds both).
package let temoinBinary: String = {
    if let env = ProcessInfo.processInfo.environment["TEMOIN_BIN"] { return env }
    let candidates = [
        Bundle.main.bundleURL.appendingPathComponent("temoin"),
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("temoin"),
        repositoryRoot.appendingPathComponent(".build/debug/temoin"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path
        ?? candidates.last!.path
}()

/// Runs the real `temoin` binary.
@discardableResult
package func temoin(
    _ arguments: [String], store: String? = nil, environment: [String: String] = [:], stdin: Data? = nil
)
    throws -> RunResult
{
    var env = environment
    if let store { env["TEMOIN_STORE"] = store }
    return try run(temoinBinary, arguments, environment: env, stdin: stdin)
}

/// A store made by `temoin init` with the sample case, in `dir`.
package func initStore(_ dir: TempDir) throws -> String {
    let store = dir.file("temoin.sqlite")
    let r = try temoin(Fixtures.initArguments, store: store)
    #expect(r.status == 0, "\(r.stderr)")
    return store
}

/// Runs docs/verify_reference.py on a store and returns its exit status and JSON report.
package func referenceVerify(_ path: String) throws -> (Int32, [String: Any]) {
    let script = repositoryRoot.appendingPathComponent("docs/verify_reference.py").path
    let r = try run("/usr/bin/env", ["python3", script, path, "--json"])
    let json = (try? JSONSerialization.jsonObject(with: r.stdoutData)) as? [String: Any] ?? [:]
    return (r.status, json)
}

/// Starts `process`, a local server a test runs on 127.0.0.1, and reads the port it prints as the first line
/// of its standard output. Returns nil with what it printed instead when it ended or printed no number.
package func startServerReadingPort(_ process: Process) throws -> (port: Int?, printed: String) {
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    var text = ""
    while !text.contains("\n") {
        let chunk = out.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        text += String(decoding: chunk, as: UTF8.self)
    }
    let printed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return (Int(printed), printed)
}

extension String {
    /// The first capture group of every match of `pattern`.
    package func matches(_ pattern: String) -> [String] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        return re.matches(in: self, range: NSRange(startIndex..., in: self)).compactMap {
            Range($0.range(at: 1), in: self).map { String(self[$0]) }
        }
    }
}

/// Waits (at most `seconds`) until process `pid` holds an open file whose target, as `/proc/<pid>/fd` gives
/// it (a path, `socket:[…]`, `pipe:[…]`), passes `matches`: proof that it has reached that point of its
/// run, where a fixed sleep would only guess on a machine with slow spells. False if it never did or ended.
package func waitUntilHolding(_ pid: Int32, seconds: Double = 60, _ matches: (String) -> Bool) -> Bool {
    let folder = "/proc/\(pid)/fd"
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        guard let fds = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return false }
        for fd in fds {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + fd),
                matches(target)
            {
                return true
            }
        }
        usleep(10_000)
    }
    return false
}

/// Waits (at most `seconds`) until process `pid` holds a TCP connection to `port` on this machine, as
/// `/proc/<pid>/net/tcp` and its descriptors tell: a socket alone proves nothing, since a child process
/// inherits the test runner's.
package func waitUntilConnected(_ pid: Int32, toPort port: Int, seconds: Double = 60) -> Bool {
    let remote = String(format: ":%04X", port)
    return waitUntilHolding(pid, seconds: seconds) { target in
        guard target.hasPrefix("socket:[") else { return false }
        let inode = String(target.dropFirst(8).dropLast())
        return ["tcp", "tcp6"].contains { table in
            // Read to the end: procfs gives these files no size, and they outgrow a page.
            let data = FileHandle(forReadingAtPath: "/proc/\(pid)/net/\(table)")?.readDataToEndOfFile() ?? Data()
            let text = String(decoding: data, as: UTF8.self)
            return text.split(separator: "\n").dropFirst().contains { line in
                let fields = line.split(separator: " ")
                return fields.count > 9 && fields[2].hasSuffix(remote) && fields[9] == inode
            }
        }
    }
}
