import Foundation
import TestSupport
import Testing

@testable import TemoinKit

#if canImport(Glibc)
    import Glibc
#endif

/// End to end through the real binary, as a person or a script would use it.
@Suite(.serialized) struct CLITests {
    /// `temoin import FOLDER` running in the background, silent.
    func launchImport(folder: String, store: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: temoinBinary)
        p.arguments = ["import", folder, "--store", store]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Copies of a sample page that differ by a comment, with distinct modification times.
    func distinctPages(_ dir: TempDir, count: Int, folder: String = "pages") throws -> String {
        let base = String(decoding: try Fixtures.data("rdv-creneau-aucun.html"), as: UTF8.self)
        for i in 0..<count {
            dir.write(
                "\(folder)/page-\(String(format: "%04d", i)).html", base + "\n<!-- \(folder) \(i) -->\n",
                modified: Date(timeIntervalSince1970: 1_795_000_000 + Double(i) * 3600))
        }
        return dir.file(folder)
    }

    @Test func theApplicantsWorkflowFromInitToVerify() throws {
        let dir = TempDir()
        let store = try initStore(dir)
        let imported = try temoin(
            ["import", Fixtures.page("rdv-creneau-aucun.html"), Fixtures.page("legacy-aucune-plage-latin1.html")],
            store: store)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("#2"))
        #expect(imported.stdout.contains("Aucun créneau disponible à partir de cette date"))
        let log = try temoin(["log", "--json"], store: store)
        let entries = try #require(try JSONSerialization.jsonObject(with: log.stdoutData) as? [[String: Any]])
        #expect(entries.count == 3)
        #expect(entries[2]["outcome"] as? String == "no_slot")
        #expect(entries[2]["url"] as? String == "https://www.essonne.gouv.fr/booking/create/14056/1")
        #expect(
            (entries[2]["observed_at_paris"] as? String)?.hasSuffix("CET") == true
                || (entries[2]["observed_at_paris"] as? String)?.hasSuffix("CEST") == true)
        let text = try temoin(["log"], store: store)
        #expect(text.stdout.contains("imported") && text.stdout.contains("no slot"))
        // Each attempt also shows its UTC time, URL, page digest and entry hash.
        let firstHash = try #require(entries[1]["hash"] as? String)
        #expect(text.stdout.contains("entry \(firstHash.prefix(16))"))
        #expect(text.stdout.contains("https://www.essonne.gouv.fr/booking/create/14056/1"))
        #expect(text.stdout.contains(try #require(entries[1]["observed_at"] as? String)))
        #expect(try temoin(["log", "--short"], store: store).stdout.components(separatedBy: "\n").count == 6)
        let show = try temoin(["show", "2"], store: store)
        #expect(
            show.stdout.contains(
                "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/"))
        #expect(show.stdout.contains("sha256:"))
        let raw = try temoin(["show", "2", "--capture", "page"], store: store)
        #expect(raw.stdoutData == (try Fixtures.data("rdv-creneau-aucun.html")))
        let verify = try temoin(["verify", "--json"], store: store)
        #expect(verify.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: verify.stdoutData) as? [String: Any])
        #expect(report["verdict"] as? String == "intact")
        let head = try #require(report["head"] as? [String: Any])
        let hash = try #require(head["hash"] as? String)
        #expect(try temoin(["verify", "--expect-head", "3:\(hash.prefix(12))"], store: store).status == 0)
        #expect(try temoin(["verify", "--expect-head", "3:00000000"], store: store).status == 1)
    }

    @Test func caseAmendmentsAreShownWithTheirHistory() throws {
        let dir = TempDir()
        let store = try initStore(dir)
        let set = try temoin(
            ["case", "set", "facts", "Titre expiré ; CDI suspendu", "--reason", "lettre de l'employeur"], store: store)
        #expect(set.status == 0)
        let show = try temoin(["case", "show", "--json"], store: store)
        let json = try #require(try JSONSerialization.jsonObject(with: show.stdoutData) as? [String: Any])
        #expect((json["case"] as? [String: Any])?["facts"] as? String == "Titre expiré ; CDI suspendu")
        #expect((json["amendments"] as? [[String: Any]])?.first?["old"] as? String == "Récépissé expiré le 2026-10-01")
        let bad = try temoin(["case", "set", "nationality", "x"], store: store)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("booking_url"))
    }

    @Test func initWithoutATerminalNamesTheMissingOptions() throws {
        let dir = TempDir()
        let r = try temoin(["init", "--applicant", "A"], store: dir.file("t.sqlite"))
        #expect(r.status == 64)
        #expect(r.stderr.contains("--prefecture") && r.stderr.contains("--booking-url"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("t.sqlite")))
        let twice = try initStore(dir)
        let again = try temoin(Fixtures.initArguments, store: twice)
        #expect(again.status == 3)
        #expect(again.stderr.contains("already exists"))
    }

    @Test func badInputGetsAClearMessageAndADocumentedCode() throws {
        let dir = TempDir()
        let missing = try temoin(["log"], store: dir.file("absent.sqlite"))
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("temoin init"))
        let notStore = dir.write("notes.sqlite", "bonjour")
        #expect(try temoin(["verify"], store: notStore).status == 2)

        let store = try initStore(dir)
        let invalidDate = try temoin(
            ["import", "--observed-at", "20/11/2026", Fixtures.page("sans-url.html")], store: store)
        #expect(invalidDate.status == 64)
        #expect(invalidDate.stderr.contains("2026-11-20T09:15"))
        let noURL = try temoin(["import", Fixtures.page("sans-url.html")], store: store)
        #expect(noURL.status == 4)
        #expect(noURL.stderr.contains("--url"))
        // A refused file does not stop the others, and what was recorded stays.
        let mixed = try temoin(
            [
                "import", Fixtures.page("empty.html"), Fixtures.page("legacy-aucune-plage.html"),
                Fixtures.page("binary.png"),
            ], store: store)
        #expect(mixed.status == 4)
        #expect(mixed.stderr.contains("empty.html") && mixed.stderr.contains("PNG"))
        #expect(mixed.stdout.contains("#2"))
        let tooBig = try temoin(["import", "--max-size", "1KB", Fixtures.page("rdv-creneau-aucun.html")], store: store)
        #expect(tooBig.status == 4)
        #expect(tooBig.stderr.contains("--max-size"))
        let noEntry = try temoin(["show", "99"], store: store)
        #expect(noEntry.status == 64)
        #expect(try temoin(["verify"], store: store).status == 0)
        #expect(try Store.open(at: store, readOnly: true).entries().count == 2)
    }

    @Test func messagesFollowTheLanguage() throws {
        let dir = TempDir()
        let r = try temoin(["log"], store: dir.file("absent.sqlite"), environment: ["LANG": "fr_FR.UTF-8"])
        #expect(r.stderr.contains("Aucun registre"))
        let en = try temoin(
            ["log", "--lang", "en"], store: dir.file("absent.sqlite"), environment: ["LANG": "fr_FR.UTF-8"])
        #expect(en.stderr.contains("No store"))
    }

    /// A small tmpfs of our own, so read-only media and full disks are real, not simulated.
    /// Needs the right to mount (root in CI and here); elsewhere the permission variant runs.
    final class SmallDisk {
        let path: String
        let mounted: Bool

        init(sizeKB: Int) {
            path = TempDir().file("disk")
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            mounted = (try? run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(sizeKB)k", "none", path]).status) == 0
        }

        func remount(readOnly: Bool) throws {
            #expect(try run("/bin/mount", ["-o", readOnly ? "remount,ro" : "remount,rw", path]).status == 0)
        }

        deinit { if mounted { _ = try? run("/bin/umount", [path]) } }
    }

    @Test func aReadOnlyStoreRefusesWritesButStillReadsAndVerifies() throws {
        let disk = SmallDisk(sizeKB: 4096)
        let store = disk.path + "/temoin.sqlite"
        #expect(try temoin(Fixtures.initArguments, store: store).status == 0)
        #expect(try temoin(["import", Fixtures.page("rdv-creneau-aucun.html")], store: store).status == 0)
        if disk.mounted {
            try disk.remount(readOnly: true)
        } else {
            chmod(disk.path, 0o500)
            chmod(store, 0o400)
        }
        let refused = try temoin(["import", Fixtures.page("legacy-aucune-plage.html")], store: store)
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("Nothing was recorded"))
        // A write-protected stick can still be read, logged and verified by both verifiers.
        let log = try temoin(["log", "--json"], store: store)
        #expect(log.status == 0, "\(log.stderr)")
        #expect((try JSONSerialization.jsonObject(with: log.stdoutData) as? [Any])?.count == 2)
        #expect(try temoin(["verify"], store: store).status == 0)
        #expect(try referenceVerify(store).0 == 0)
        if disk.mounted {
            try disk.remount(readOnly: false)
        } else {
            chmod(disk.path, 0o700)
            chmod(store, 0o600)
        }
    }

    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root")) func aFullDiskLosesNothingAlreadyRecorded()
        throws
    {
        let disk = SmallDisk(sizeKB: 1024)
        try #require(disk.mounted)
        let store = disk.path + "/temoin.sqlite"
        #expect(try temoin(Fixtures.initArguments, store: store).status == 0)
        #expect(try temoin(["import", Fixtures.page("rdv-creneau-aucun.html")], store: store).status == 0)
        // Fill the disk, then try to record more.
        let filler = disk.path + "/filler"
        FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: filler))
        let block = Data(repeating: 0x5A, count: 16 * 1024)
        while (try? handle.write(contentsOf: block)) != nil {}
        try? handle.close()
        let full = try temoin(["import", Fixtures.page("legacy-aucune-plage.html")], store: store)
        #expect(full.status == 3, "\(full.stderr)")
        #expect(full.stderr.contains("full"))
        try FileManager.default.removeItem(atPath: filler)
        #expect(try temoin(["verify"], store: store).status == 0)
        #expect(try Store.open(at: store, readOnly: true).entries().count == 2)
        // And recording works again once there is room.
        #expect(try temoin(["import", Fixtures.page("legacy-aucune-plage.html")], store: store).status == 0)
    }

    @Test func concurrentWritersNeverForkTheChain() throws {
        let dir = TempDir()
        let store = try initStore(dir)
        var folders: [String] = []
        for w in 0..<4 { folders.append(try distinctPages(dir, count: 25, folder: "w\(w)")) }
        let processes = try folders.map { try launchImport(folder: $0, store: store) }
        for p in processes {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        let entries = try Store.open(at: store, readOnly: true).entries()
        #expect(entries.map(\.seq) == Array(1...101))
        let verify = try temoin(["verify"], store: store)
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(try referenceVerify(store).0 == 0)
    }

    @Test func killingAnImportAtRandomMomentsNeverLeavesAPartialEntry() throws {
        let dir = TempDir()
        let store = try initStore(dir)
        let folder = try distinctPages(dir, count: 200)
        var kills = 0
        var generator = SystemRandomNumberGenerator()
        // 30 runs killed at random moments, then one left to finish what remains.
        for attempt in 0...30 {
            let p = try launchImport(folder: folder, store: store)
            if attempt < 30 {
                usleep(UInt32.random(in: 30_000...400_000, using: &generator))
                if p.isRunning {
                    kill(p.processIdentifier, SIGKILL)
                    kills += 1
                }
            }
            p.waitUntilExit()
            if attempt == 30 { #expect(p.terminationReason == .exit && p.terminationStatus == 0) }
            let ours = try Verifier().verify(path: store)
            #expect(ours.verdict == .intact, "after kill \(kills): \(ours.problems)")
            #expect(try referenceVerify(store).0 == 0)
        }
        #expect(kills > 10)
        // Every page exactly once: re-running after a kill skips what was already recorded.
        let entries = try Store.open(at: store, readOnly: true).entries()
        #expect(entries.count == 201)
        #expect(Set(entries.compactMap { $0.body?.observedAt }).count == 200)
    }

    @Test func everyReportingCommandSpeaksJSON() throws {
        let dir = TempDir()
        let store = try initStore(dir)
        for args in [
            ["import", "--json", Fixtures.page("legacy-aucune-plage.html")], ["log", "--json"],
            ["show", "1", "--json"],
            ["verify", "--json"], ["case", "show", "--json"], ["case", "set", "procedure", "Renouvellement", "--json"],
        ] {
            let r = try temoin(args, store: store)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect((try? JSONSerialization.jsonObject(with: r.stdoutData)) != nil, "\(args) printed: \(r.stdout)")
        }
    }

    @Test func helpDocumentsTheExitCodes() throws {
        let r = try temoin(["--help"])
        for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "64 ", "130 "] { #expect(r.stdout.contains("  \(code)")) }
        #expect(try temoin(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == Temoin.version)
    }
}
