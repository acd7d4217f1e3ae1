import Foundation
import Testing

@testable import TemoinKit

/// Every command that writes a file the person named ends with exit 7 (`ExitStatus.outputUnwritable`)
/// when that file cannot be written, says which path, leaves nothing behind and never touches the store.
/// Here the folder is a regular file (ENOTDIR), which fails for root too, so these run everywhere;
/// full and read-only disks are in `OutputFailureTests` (root only). `schedule` writes no file (it
/// prints what to copy), so it is not among them.
@Suite struct OutputUnwritableTests {
    /// A store with attempts, a volunteer's key, and a path whose parent folder is a regular file.
    struct Setup {
        let dir: TempDir
        let store: Store
        let key: String
        let notAFolder: String

        init() throws {
            (dir, store) = try populatedStore()
            key = dir.file("v.key")
            #expect(try temoin(["key", "new", "--out", key]).status == 0)
            notAFolder = dir.write("plain-file", Data("not a folder".utf8))
        }

        /// `verifies`: false once a test planted a seal the verifier rejects.
        func expectExit7(
            _ arguments: [String], output: String, verifies: Bool = true, sourceLine: SourceLocation = #_sourceLocation
        ) throws {
            let before = try temoin(["log", "--json"], store: store.path).stdout
            let r = try temoin(arguments, store: store.path)
            #expect(
                r.status == ExitStatus.outputUnwritable.rawValue, "\(arguments): \(r.status) \(r.stderr)",
                sourceLocation: sourceLine)
            #expect(
                r.stderr.contains(output), "\(arguments) does not name \(output): \(r.stderr)",
                sourceLocation: sourceLine)
            #expect(!r.stderr.contains("Fatal error"), sourceLocation: sourceLine)
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: notAFolder)) == Data("not a folder".utf8),
                sourceLocation: sourceLine)
            #expect(
                try temoin(["log", "--json"], store: store.path).stdout == before, "\(arguments) changed the store",
                sourceLocation: sourceLine)
            if verifies { #expect(try temoin(["verify"], store: store.path).status == 0, sourceLocation: sourceLine) }
        }
    }

    @Test func exportBundleAndWarcExit7() throws {
        let s = try Setup()
        try s.expectExit7(["export", "--out", s.notAFolder + "/case.zip"], output: s.notAFolder)
        try s.expectExit7(["export", "--warc", s.notAFolder + "/case.warc.gz"], output: s.notAFolder)
        try s.expectExit7(["export", "--out", s.notAFolder + "/case.zip", "--redact"], output: s.notAFolder)
    }

    @Test func dossierExits7() throws {
        let s = try Setup()
        try s.expectExit7(
            ["dossier", "--out", s.notAFolder + "/dossier", "--no-page-images"], output: s.notAFolder)
    }

    @Test func keyAttestAndSealExportExit7() throws {
        let s = try Setup()
        let newKey = try temoin(["key", "new", "--out", s.notAFolder + "/k.key"])
        #expect(newKey.status == 7, "\(newKey.stderr)")
        #expect(newKey.stderr.contains(s.notAFolder))
        try s.expectExit7(
            [
                "attest", s.store.path, "--key", s.key, "--name", "Marie Dupont", "--organisation", "La Cimade",
                "--out", s.notAFolder + "/att.json",
            ], output: s.notAFolder)
        // seal export copies a seal's bytes out: one planted in the store (not checked on export).
        try tamper(
            s.store.path,
            "INSERT INTO seals (seq, head, tsa_url, nonce, requested_at, response) VALUES (1, 'x', 'https://t', '1', 'now', ?)",
            arguments: [Data(repeating: 0x30, count: 64)])
        try s.expectExit7(
            ["seal", "export", "1", "--out", s.notAFolder + "/s.tsr"], output: s.notAFolder, verifies: false)
    }

    /// `simulate --certificate-out` writes before it serves: a path it cannot write stops it with 7
    /// (it is killed after a while if it served instead, and the test fails).
    @Test func simulateCertificateOutExits7() throws {
        let s = try Setup()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: temoinBinary)
        p.arguments = [
            "simulate", "--port", "0", "--https-port", "0", "--certificate-out", s.notAFolder + "/cert.pem",
        ]
        p.environment = ["LANG": "C.UTF-8", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        while p.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 7, "\(stderr)")
        #expect(stderr.contains(s.notAFolder))
    }
}
