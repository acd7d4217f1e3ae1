import Foundation
import TestSupport
import Testing
import ZIPFoundation

@testable import TemoinKit

#if canImport(Glibc)
    import Glibc
#endif

/// The exit statuses are one typed set (`ExitStatus`): the executable, `--help` and the README follow it.
@Suite struct ExitStatusTests {
    @Test func theExecutableNamesEveryStatusItEndsWith() throws {
        let folder = repositoryRoot.appendingPathComponent("Sources/temoin")
        // `ExitCode(3)`, `ExitCode(rawValue: 3)`, `exit(3)`: a bare number instead of a named status.
        let literal = try NSRegularExpression(pattern: #"(ExitCode\((rawValue:\s*)?|\bexit\()\s*-?\d"#)
        var files = 0
        for name in FileManager.default.enumerator(atPath: folder.path)?.compactMap({ $0 as? String }) ?? []
        where name.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            files += 1
            for m in literal.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                Issue.record("\(name): an exit status written as a number: \(text[Range(m.range, in: text)!])")
            }
            #expect(!text.contains("exitCode"), "\(name): use exitStatus (an ExitStatus), not the raw number")
        }
        #expect(files >= 40)
    }

    @Test func everyErrorEndsWithADocumentedStatus() {
        let errors: [TemoinError] = [
            .storeMissing(path: "p"), .storeNotWritable(path: "p", detail: ""), .fileMissing(path: "p"),
            .invalidDate(value: "x"), .controlCharacter(field: "f", character: "c"),
            .dateTooEarly(value: "v", earliest: "e"), .nonexistentParisTime(value: "v", suggestion: "s"),
            .ambiguousParisTime(value: "v", first: "a", second: "b"), .fileDateTooEarly(path: "p", date: "d"),
            .networkUnavailable(detail: ""), .outputUnwritable(path: "p", detail: ""),
            .temporaryUnwritable(path: "p", detail: ""), .interrupted,
            .trust(.sealFailed(url: "u", reason: "r")), .trust(.bundleRefused(path: "p", reason: "r")),
            .trust(.credentialsUnsafe(path: "p", detail: "d")), .trust(.outputExists(path: "p")),
            .notify(.notDelivered(failed: 1, total: 1)), .notify(.noChannel),
        ]
        for error in errors { #expect(ExitStatus.documented.contains(error.exitStatus), "\(error)") }
        #expect(TemoinError.outputUnwritable(path: "p", detail: "").exitStatus == .outputUnwritable)
        #expect(TemoinError.notify(.notDelivered(failed: 1, total: 2)).exitStatus.rawValue == 8)
        #expect(Installation.incompleteExitStatus.rawValue == 70)
        #expect(ExitStatus.signal(SIGTERM).rawValue == 143 && ExitStatus.signal(SIGHUP).rawValue == 129)
    }

    @Test func theHelpTableIsTheTypedSet() throws {
        let r = try temoin(["--help"])
        #expect(r.status == 0)
        let table = try #require(r.stdout.components(separatedBy: "Exit codes:").last)
        let codes = table.split(separator: "\n").compactMap { line -> Int32? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard let first = t.split(separator: " ").first, t.hasPrefix(String(first)), line.hasPrefix("  "),
                !line.hasPrefix("      ")
            else { return nil }
            return Int32(first)
        }
        #expect(codes == ExitStatus.documented.map(\.rawValue))
        for status in ExitStatus.documented {
            let words = status.summary.split(separator: " ").prefix(3).joined(separator: " ")
            #expect(table.contains(words), "\(status): \(words)")
        }
        // In French too, from the same catalogue.
        let fr = try temoin(["--help"], environment: ["LANG": "fr_FR.UTF-8"])
        #expect(fr.stdout.contains(Messages.shared.text("exit.3", language: .fr).prefix(30)))
    }

    @Test func theReadmeTableIsTheTypedSet() throws {
        let readme = try String(
            contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Exit codes").dropFirst().first)
        let rows = section.components(separatedBy: "\n## ").first!.split(separator: "\n").filter {
            $0.hasPrefix("| ") && !$0.hasPrefix("| code") && !$0.hasPrefix("| ---")
        }
        let codes = rows.compactMap { Int32($0.dropFirst(2).prefix { $0 != " " }) }
        #expect(codes == ExitStatus.documented.map(\.rawValue))
    }
}

/// Output files that cannot be written end with exit 7, remove what they half-wrote, never crash and
/// never blame the store (exit 3). Real full and read-only disks: small tmpfs mounts (root).
@Suite(.serialized) struct OutputFailureTests {
    /// A tmpfs of `sizeKB` with a filler file taking all its room (removed by `free()`).
    final class FullDisk {
        let disk: CLITests.SmallDisk
        var path: String { disk.path }

        init(sizeKB: Int) throws {
            disk = CLITests.SmallDisk(sizeKB: sizeKB)
            try #require(disk.mounted)
            fill()
        }

        func fill() {
            let filler = path + "/filler"
            FileManager.default.createFile(atPath: filler, contents: nil)
            guard let handle = FileHandle(forWritingAtPath: filler) else { return }
            let block = Data(repeating: 0x5A, count: 4096)
            while (try? handle.write(contentsOf: block)) != nil {}
            try? handle.close()
        }

        /// Names in the folder other than the filler: what a failed command left behind.
        func leftovers(_ folder: String? = nil) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: folder ?? path)) ?? []).filter {
                $0 != "filler" && $0 != "lost+found"
            }
        }
    }

    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func exportAndWarcToAFullDiskExit7AndLeaveNothing() throws {
        let (_, store) = try populatedStore()
        let disk = try FullDisk(sizeKB: 512)
        for arguments in [["export", "--out", disk.path + "/b.zip"], ["export", "--warc", disk.path + "/a.warc.gz"]] {
            let r = try temoin(arguments, store: store.path)
            #expect(r.status == 7, "\(arguments): \(r.status) \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("store"), "\(r.stderr)")
            #expect(disk.leftovers().isEmpty, "\(arguments) left \(disk.leftovers())")
        }
        #expect(try temoin(["verify"], store: store.path).status == 0)
    }

    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func keysAttestationsAndSealsToAFullDiskExit7AndLeaveNoEmptyFile() throws {
        let (dir, store) = try populatedStore()
        let key = dir.file("v.key")
        #expect(try temoin(["key", "new", "--out", key]).status == 0)
        let disk = try FullDisk(sizeKB: 256)
        let newKey = try temoin(["key", "new", "--out", disk.path + "/k.key"])
        #expect(newKey.status == 7, "\(newKey.stderr)")
        let attest = try temoin([
            "attest", store.path, "--key", key, "--name", "Marie Dupont", "--organisation", "La Cimade", "--out",
            disk.path + "/att.json",
        ])
        #expect(attest.status == 7, "\(attest.stderr)")
        // seal export: a seal planted in the store (its bytes are only copied out, not checked).
        try tamper(
            store.path,
            "INSERT INTO seals (seq, head, tsa_url, nonce, requested_at, response) VALUES (1, 'x', 'https://t', '1', 'now', ?)",
            arguments: [Data(repeating: 0x30, count: 8192)])
        let sealOut = try temoin(["seal", "export", "1", "--out", disk.path + "/s.tsr"], store: store.path)
        #expect(sealOut.status == 7, "\(sealOut.stderr)")
        #expect(disk.leftovers().isEmpty, "left \(disk.leftovers())")
    }

    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func aDossierInAReadOnlyFolderExits7() throws {
        let (_, store) = try populatedStore()
        let disk = CLITests.SmallDisk(sizeKB: 1024)
        try #require(disk.mounted)
        try disk.remount(readOnly: true)
        defer { try? disk.remount(readOnly: false) }
        let r = try temoin(["dossier", "--out", disk.path + "/dossier"], store: store.path)
        #expect(r.status == 7, "\(r.stderr)")
    }

    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func verifyingABundleWithAFullTemporaryFolderExits7() throws {
        let (dir, store) = try populatedStore()
        let zip = dir.file("b.zip")
        #expect(try temoin(["export", "--out", zip], store: store.path).status == 0)
        let disk = try FullDisk(sizeKB: 256)
        let r = try temoin(["verify", zip], environment: ["TMPDIR": disk.path])
        #expect(r.status == 7, "\(r.stderr)")
        #expect(r.stderr.contains("TMPDIR"))
        #expect(disk.leftovers().isEmpty, "left \(disk.leftovers())")
        // Room enough, and it verifies.
        #expect(try temoin(["verify", zip], environment: ["TMPDIR": dir.path]).status == 0)
    }

    /// The free-space check passes (the members' bytes fit) but the file system's own blocks do not:
    /// the disk fills half-way. Exit 7, nothing left, no crash.
    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func aTemporaryFolderThatFillsDuringExtractionExits7() throws {
        let dir = TempDir()
        let zip = dir.file("many.zip")
        let archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .create)
        let data = Data(repeating: 0x41, count: 100)
        for i in 0..<400 {
            try archive.addEntry(
                with: "f\(i).txt", type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        let disk = CLITests.SmallDisk(sizeKB: 256)
        try #require(disk.mounted)
        var reader = BundleReader()
        reader.temporaryFolder = disk.path
        reader.spareBytes = 0
        let error = #expect(throws: TemoinError.self) { try reader.extract(zip) }
        #expect(error?.exitStatus == .outputUnwritable, "\(String(describing: error))")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: disk.path)) ?? []).isEmpty)
    }
}
