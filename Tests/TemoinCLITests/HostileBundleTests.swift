import Foundation
import GRDB
import TestSupport
import Testing
import ZIPFoundation

@testable import TemoinKit

#if canImport(Glibc)
    import Glibc
#endif

/// A bundle taken apart and put back together by a hostile party: its members, each as bytes.
struct BundleMembers {
    var members: [(String, Data)]

    init(members: [(String, Data)]) { self.members = members }

    /// The members of the bundle at `zip`, in order.
    init(zip: String) throws {
        let archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .read)
        members = []
        for e in archive where e.type == .file {
            var data = Data()
            _ = try archive.extract(e) { data.append($0) }
            members.append((e.path, data))
        }
    }

    subscript(name: String) -> Data? {
        get { members.first { $0.0 == name }?.1 }
        set {
            if let i = members.firstIndex(where: { $0.0 == name }) {
                if let newValue { members[i].1 = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append((name, newValue))
            }
        }
    }

    /// The manifest, as a JSON object a hostile party edits.
    var manifest: [String: Any] {
        get { (try? JSONSerialization.jsonObject(with: self["MANIFEST.json"] ?? Data())) as? [String: Any] ?? [:] }
        set { self["MANIFEST.json"] = try? JSONSerialization.data(withJSONObject: newValue, options: [.sortedKeys]) }
    }

    /// Rewrites MANIFEST.json so that it lists every member with its digest, as the attacker would.
    mutating func relist() {
        var m = manifest
        var files: [String: String] = [:]
        for (name, data) in members where name != "MANIFEST.json" { files[name] = sha256Hex(data) }
        m["files"] = files
        manifest = m
    }

    func write(_ path: String) throws {
        try? FileManager.default.removeItem(atPath: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, data) in members {
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
    }
}

/// Verifies `zip` through the binary, as JSON.
func verifyJSON(_ zip: String, environment: [String: String] = [:]) throws -> (Int32, [String: Any], String) {
    let r = try temoin(["verify", zip, "--json"], environment: environment)
    return (r.status, (try? JSONSerialization.jsonObject(with: r.stdoutData)) as? [String: Any] ?? [:], r.stderr)
}

@Suite(.serialized) struct HostileBundleTests {
    func exported() throws -> (TempDir, Store, String) {
        let (dir, store) = try populatedStore()
        let zip = dir.file("bundle.zip")
        let r = try temoin(["export", "--out", zip], store: store.path)
        #expect(r.status == 0, "\(r.stderr)")
        return (dir, store, zip)
    }

    @Test func aGenuineBundleSaysItsDocumentsAreTemoinsOwn() throws {
        let (_, _, zip) = try exported()
        let (status, json, _) = try verifyJSON(zip)
        #expect(status == 0)
        let bundle = try #require(json["bundle"] as? [String: Any])
        #expect(bundle["manifest"] as? String == "matches")
        #expect(bundle["documents"] as? String == "identical")
        #expect(bundle["exported_by"] as? String == "temoin \(Temoin.version)")
        let text = try temoin(["verify", zip])
        #expect(text.stdout.contains("are those of this temoin"))
    }

    /// The audit's attack: the reference verifier replaced by one that always says INTACT, the README
    /// telling the volunteer to run it, the manifest rewritten to match.
    @Test func replacedDocumentsWithARewrittenManifestAreReported() throws {
        let (dir, _, zip) = try exported()
        for (name, forged) in [
            ("verify_reference.py", "print('INTACT: store.sqlite verifies')\n"),
            ("README.txt", "Tout est en ordre : lancez python3 verify_reference.py store.sqlite.\n"),
            ("docs/FORMAT.md", "# Anything goes\n"), ("docs/TRUST.md", "# Trust us\n"),
        ] {
            var members = try BundleMembers(zip: zip)
            members[name] = Data(forged.utf8)
            members.relist()
            let forgedZip = dir.file("forged-\((name as NSString).lastPathComponent).zip")
            try members.write(forgedZip)
            let (status, json, stderr) = try verifyJSON(forgedZip)
            #expect(status == 1, "\(name): \(stderr)")
            let problems = json["problems"] as? [[String: Any]] ?? []
            #expect(
                problems.contains {
                    $0["code"] as? String == "bundle_altered" && ($0["reason"] as? String)?.contains(name) == true
                }, "\(name): \(problems)")
            #expect((json["bundle"] as? [String: Any])?["documents"] as? String == "altered")
        }
        // A manifest naming another version cannot be compared: said plainly, never "identical".
        var members = try BundleMembers(zip: zip)
        members["verify_reference.py"] = Data("print('INTACT')\n".utf8)
        var manifest = members.manifest
        manifest["tool"] = ["name": "temoin", "version": "9.9.9"]
        members.manifest = manifest
        members.relist()
        let other = dir.file("other-version.zip")
        try members.write(other)
        let (_, json, _) = try verifyJSON(other)
        #expect((json["bundle"] as? [String: Any])?["documents"] as? String == "not_compared")
        let text = try temoin(["verify", other])
        #expect(text.stdout.contains("were not compared"), "\(text.stdout)")
        #expect(text.stdout.contains("not the bundle's"))
    }

    @Test func theBundleReadmeSaysTheManifestIsNoSignatureAndQuotesItsCommands() throws {
        let (_, _, zip) = try exported()
        let readme = String(decoding: try #require(try BundleMembers(zip: zip)["README.txt"]), as: UTF8.self)
        #expect(readme.contains("MANIFEST.json is not a signature"))
        #expect(readme.contains("MANIFEST.json n'est pas une signature"))
        #expect(readme.contains("do not trust this bundle's verify_reference.py"))
        #expect(readme.contains(#"-digest "$(cat seals/"#))
        #expect(!readme.contains(#"-digest $(cat"#))
    }

    @Test func membersTheManifestDoesNotListAreRefused() throws {
        let (dir, _, zip) = try exported()
        var members = try BundleMembers(zip: zip)
        members["notes/lisez-moi.txt"] = Data("ajouté après l'export".utf8)
        let extra = dir.file("extra.zip")
        try members.write(extra)
        let r = try temoin(["verify", extra])
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("notes/lisez-moi.txt is not in the bundle's MANIFEST.json"))
    }

    /// A real WAL beside the store, in the bundle, with an outcome changed; listed in the manifest.
    @Test func aJournalMemberIsRefusedEvenWhenListed() throws {
        let (dir, _, zip) = try exported()
        let work = TempDir()
        var members = try BundleMembers(zip: zip)
        let db = work.write("store.sqlite", try #require(members["store.sqlite"]))
        let script = """
            import shutil, sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA wal_autocheckpoint=0")
            con.execute("UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'no_slot', 'slot_available') AS BLOB) WHERE seq = 3")
            con.commit()
            shutil.copy(sys.argv[1] + "-wal", sys.argv[2])
            """
        let made = try run("/usr/bin/env", ["python3", "-c", script, db, work.file("wal")])
        #expect(made.status == 0, "\(made.stderr)")
        members["store.sqlite-wal"] = try Data(contentsOf: URL(fileURLWithPath: work.file("wal")))
        members.relist()
        let journaled = dir.file("wal.zip")
        try members.write(journaled)
        let r = try temoin(["verify", journaled])
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("store.sqlite-wal is a SQLite journal"))
        for name in ["store.sqlite-shm", "store.sqlite-journal"] {
            var m = try BundleMembers(zip: zip)
            m[name] = Data(count: 32)
            m.relist()
            try m.write(journaled)
            #expect(try temoin(["verify", journaled]).status == 4, "\(name)")
        }
    }

    @Test func twoMembersOfOneNameAreRefused() throws {
        let (dir, _, zip) = try exported()
        var members = try BundleMembers(zip: zip)
        members.members.append(("store.sqlite", Data("SQLite format 3\0 but another".utf8)))
        let twice = dir.file("twice.zip")
        try members.write(twice)
        let r = try temoin(["verify", twice])
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("two members are named store.sqlite"))
    }

    @Test func manifestPathsStayInsideTheBundle() throws {
        let (dir, _, zip) = try exported()
        for outside in ["../../etc/hostname", "/etc/hostname", "docs/../../x", "a//b"] {
            var members = try BundleMembers(zip: zip)
            var manifest = members.manifest
            var files = manifest["files"] as? [String: String] ?? [:]
            files[outside] = String(repeating: "0", count: 64)
            manifest["files"] = files
            members.manifest = manifest
            let escaping = dir.file("escaping.zip")
            try members.write(escaping)
            let r = try temoin(["verify", escaping])
            #expect(r.status == 4, "\(outside): \(r.stderr)")
            #expect(r.stderr.contains("MANIFEST.json names a file outside the bundle"), "\(outside): \(r.stderr)")
        }
    }

    /// The store inside a bundle is read immutable: even a store in WAL mode leaves no -wal or -shm
    /// in the extraction folder, and nothing beside it could change what is read.
    @Test func anExtractedStoreIsOpenedImmutable() throws {
        let (dir, store, _) = try exported()
        let copy = dir.file("wal-mode.sqlite")
        try tamper(store.path, "PRAGMA wal_checkpoint(TRUNCATE)")
        try FileManager.default.copyItem(atPath: store.path, toPath: copy)
        let header = [UInt8](try Data(contentsOf: URL(fileURLWithPath: copy)).prefix(20))
        #expect(header[18] == 2 && header[19] == 2, "the copy is in WAL mode")
        var members = try BundleMembers(zip: dir.file("bundle.zip"))
        members["store.sqlite"] = try Data(contentsOf: URL(fileURLWithPath: copy))
        members.relist()
        let zip = dir.file("walmode.zip")
        try members.write(zip)
        let folder = try BundleReader().extract(zip)
        defer { BundleReader.discard(folder) }
        let inner = folder.appendingPathComponent("store.sqlite").path
        #expect(WorkFolder.contains(inner))
        let report = try Verifier().verify(path: inner)
        #expect(report.verdict == .intact)
        _ = try Store.open(at: inner, readOnly: true).entries()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.contains { $0.hasSuffix("-wal") || $0.hasSuffix("-shm") }, "\(names)")
    }

    /// Many members, each under the per-member ratio check, adding up to far more than any store.
    @Test func aBundleInflatingFarBeyondItsSizeIsRefusedBeforeExtraction() throws {
        let dir = TempDir()
        var members = BundleMembers(members: [])
        for i in 0..<40 { members.members.append(("part-\(i).bin", Data(count: 1_000_000))) }
        let bomb = dir.file("bomb.zip")
        try members.write(bomb)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: bomb)[.size] as? Int)
        #expect(size < 200_000)
        let r = try temoin(["verify", bomb], environment: ["TMPDIR": dir.path])
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("zip bomb"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.hasPrefix("temoin-bundle") })
    }
}

/// Hostile or odd stores and output folders.
@Suite(.serialized) struct HostileStoreTests {
    @Test func aFIFOGivenAsTheStoreIsRefusedNotWaitedOn() throws {
        let dir = TempDir()
        let fifo = dir.file("temoin.sqlite")
        #expect(mkfifo(fifo, 0o600) == 0)
        for arguments in [
            ["log"], ["verify"], ["verify", fifo], ["status"],
            ["attest", fifo, "--key", "k", "--name", "M", "--organisation", "O"],
        ] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: temoinBinary)
            p.arguments = arguments + ["--store", fifo]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            let deadline = Date().addingTimeInterval(30)  // a guard against a hang, not a timing check
            while p.isRunning, Date() < deadline { usleep(20_000) }
            if p.isRunning {
                p.terminate()
                Issue.record("\(arguments) waited on the FIFO")
            }
            p.waitUntilExit()
            #expect([2, 4].contains(p.terminationStatus), "\(arguments): \(p.terminationStatus)")
        }
        let r = try temoin(["log"], store: fifo)
        #expect(r.stderr.contains("not a regular file"))
    }

    @Test func readOnlyCommandsLeaveNoJournalFilesBehind() throws {
        let dir = TempDir()
        let store = try initStore(dir)
        #expect(try temoin(["import", Fixtures.page("rdv-creneau-aucun.html")], store: store).status == 0)
        func journals() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter {
                $0.hasSuffix("-wal") || $0.hasSuffix("-shm")
            }
        }
        #expect(journals().isEmpty, "a writing command left \(journals())")
        for arguments in [
            ["log"], ["status"], ["verify"], ["show", "2"], ["case", "show"], ["seal", "list"],
            ["attestation", "list"],
            ["export", "--out", dir.file("b.zip")], ["dossier", "--out", dir.file("dossier")],
        ] {
            let r = try temoin(arguments, store: store)
            #expect([0, 1].contains(r.status), "\(arguments): \(r.stderr)")
            #expect(journals().isEmpty, "\(arguments) left \(journals())")
        }
    }

    @Test func aMistypedExpectedHeadIsABadArgumentNotTampering() throws {
        let (_, store) = try populatedStore()
        let head = try #require(try store.head())
        for bad in ["42", "abc:3f9a01bc", "6:3f9a", "6:zzzzzzzz", "0:3f9a01bc", "6:\(head.hash)00", ""] {
            let r = try temoin(["verify", "--expect-head", bad], store: store.path)
            #expect(r.status == 64, "\(bad): \(r.status) \(r.stderr)")
        }
        let good = "\(head.seq):\(head.hash.prefix(8))"
        #expect(try temoin(["verify", "--expect-head", good], store: store.path).status == 0)
        let spoken = "#\(head.seq) · \(head.hash.prefix(4)) \(head.hash.dropFirst(4).prefix(4))"
        #expect(try temoin(["verify", "--expect-head", spoken], store: store.path).status == 0)
        let other = "\(head.seq):\(head.hash.prefix(7))\(head.hash.dropFirst(7).first == "0" ? "1" : "0")"
        #expect(try temoin(["verify", "--expect-head", other], store: store.path).status == 1)
    }

    @Test func outputFilesNeverFollowALinkAtTheirName() throws {
        let (dir, store) = try populatedStore()
        let victim = dir.write("victim.txt", "do not overwrite")
        // export --out, --warc, key new, attest --out, seal export: a link (even a dangling one) at the
        // name is "already exists", never written through.
        let dangling = dir.file("elsewhere/created-through-the-link")
        for (i, arguments) in [
            ["export", "--out"], ["export", "--warc"], ["key", "new", "--out"],
        ].enumerated() {
            for target in [victim, dangling] {
                let link = dir.file("link-\(i)-\((target as NSString).lastPathComponent)")
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
                let r = try temoin(arguments + [link], store: store.path)
                #expect(r.status == 64, "\(arguments) \(target): \(r.status) \(r.stderr)")
            }
        }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "do not overwrite")
        #expect(!FileManager.default.fileExists(atPath: dangling))
        // The dossier replaces its own files: a link at one of their names is replaced, never followed.
        let names = try dossierNames(store.path, dir)
        let pdf = try #require(names.first { $0.hasPrefix("PJ") && $0.hasSuffix(".pdf") })
        let html = try #require(names.first { $0.hasSuffix("dossier.html") })
        let out = dir.file("dossier")
        for name in [pdf, html] {
            let link = out + "/" + name
            try FileManager.default.createDirectory(
                atPath: (link as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        }
        let r = try temoin(["dossier", "--out", out], store: store.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "do not overwrite")
        for name in [pdf, html] {
            let attributes = try FileManager.default.attributesOfItem(atPath: out + "/" + name)
            #expect(attributes[.type] as? FileAttributeType == .typeRegular, "\(name)")
        }
    }

    /// The files a dossier of `store` writes, relative to its folder (made once in a scratch folder).
    func dossierNames(_ store: String, _ dir: TempDir) throws -> [String] {
        let scratch = dir.file("scratch-\(UUID().uuidString.prefix(6))")
        let r = try temoin(["dossier", "--out", scratch], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        return (FileManager.default.enumerator(atPath: scratch)?.compactMap { $0 as? String } ?? []).filter {
            (try? FileManager.default.attributesOfItem(atPath: scratch + "/" + $0)[.type] as? FileAttributeType)
                == .typeRegular
        }
    }

    @Test func aNewDossierInAnOldFolderLeavesNoStaleParts() throws {
        let (dir, store) = try populatedStore()
        // The captures' pièce, whole in this dossier; an older one had split it in three parts.
        let captures = try #require(try dossierNames(store.path, dir).first { $0.hasPrefix("PJ2_") })
        let number = captures.prefix { $0 != "_" }
        let out = dir.file("dossier")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let parts = (1...3).map { captures.replacingOccurrences(of: number + "_", with: "\(number)-\($0)_") }
        for part in parts { dir.write("dossier/" + part, "an older dossier's part") }
        dir.write("dossier/notes-de-l-avocat.txt", "kept")
        let r = try temoin(["dossier", "--out", out], store: store.path)
        #expect(r.status == 0, "\(r.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(parts.allSatisfy { !names.contains($0) }, "\(names)")
        #expect(names.contains(captures) && names.contains("notes-de-l-avocat.txt"))
    }
}

/// A signal while a bundle is made or opened: the whole store must not stay in a temporary folder.
@Suite(.serialized) struct BundleSignalTests {
    /// A store of a few MB of distinct, incompressible captures: long enough to export that a signal
    /// lands during the work.
    func largeStore(_ dir: TempDir) throws -> Store {
        let (_, store) = try makeStore(dir)
        let importer = try Importer(store: store)
        var generator = SystemRandomNumberGenerator()
        for i in 0..<12 {
            let noise = (0..<300_000).map { _ in UInt8.random(in: 0x41...0x5A, using: &generator) }
            let page = dir.write(
                "pages/p\(i).html",
                "<html><head><title>Rendez-vous</title></head><body><p>Aucun créneau disponible.</p><!-- "
                    + String(decoding: noise, as: UTF8.self) + " --></body></html>")
            let at = try #require(TimeFormat.parse(String(format: "2026-11-%02dT10:00", 1 + i)))
            _ = try importer.importFile(
                page,
                options: ImportOptions(url: "https://www.val-de-marne.gouv.fr/booking/create/4963/0", observedAt: at))
        }
        return store
    }

    /// Starts `temoin arguments`, waits until a file whose name starts with `prefix` appears in
    /// `folder`, then sends `signal`; returns the exit status.
    func interrupt(
        _ arguments: [String], environment: [String: String] = [:], watching folder: String,
        prefix: String, signal: Int32
    ) throws -> (Int32, Bool) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: temoinBinary)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var seen = false
        let deadline = Date().addingTimeInterval(60)
        while p.isRunning, Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            if names.contains(where: { $0.hasPrefix(prefix) }) {
                seen = true
                kill(p.processIdentifier, signal)
                break
            }
            usleep(500)
        }
        p.waitUntilExit()
        return (p.terminationStatus, seen)
    }

    @Test(arguments: [SIGTERM, SIGHUP, SIGINT])
    func aSignalDuringExportRemovesTheSnapshot(_ signal: Int32) throws {
        let dir = TempDir()
        let store = try largeStore(dir)
        let out = dir.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let (status, seen) = try interrupt(
            ["export", "--out", out + "/b.zip", "--store", store.path], watching: out, prefix: ".temoin-export",
            signal: signal)
        try #require(seen, "the export ended before the signal could be sent")
        #expect(status == 128 + signal)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
    }

    @Test func aSignalDuringVerifyOfABundleRemovesTheExtraction() throws {
        let dir = TempDir()
        let store = try largeStore(dir)
        let zip = dir.file("b.zip")
        #expect(try temoin(["export", "--out", zip], store: store.path).status == 0)
        let tmp = dir.file("tmp")
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let (status, seen) = try interrupt(
            ["verify", zip], environment: ["TMPDIR": tmp], watching: tmp, prefix: "temoin-bundle", signal: SIGTERM)
        try #require(seen, "verify ended before the signal could be sent")
        #expect(status == 143)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
    }

    @Test func whatAKilledRunLeftIsSweptByTheNext() throws {
        let (dir, store) = try populatedStore()
        // Folders a SIGKILL left: named after a process that no longer runs.
        var dead: pid_t = 999_999
        while kill(dead, 0) == 0 { dead -= 1 }
        let out = dir.file("out")
        let tmp = dir.file("tmp")
        for folder in ["out/.temoin-export-\(dead)-abc/store.sqlite", "tmp/temoin-bundle-\(dead)-abc/store.sqlite"] {
            dir.write(folder, "a whole store")
        }
        // And one of a process still running (this test): left alone.
        dir.write("out/.temoin-export-\(getpid())-live/store.sqlite", "in use")
        #expect(try temoin(["export", "--out", out + "/b.zip"], store: store.path).status == 0)
        #expect(try temoin(["verify", out + "/b.zip"], environment: ["TMPDIR": tmp]).status == 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [
                ".temoin-export-\(getpid())-live", "b.zip",
            ])
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
    }
}

/// What held in the audit, kept so: private modes for everything that holds the store.
@Suite struct PrivateModesTests {
    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue
    }

    @Test func theStoreItsJournalAndEveryWorkFolderArePrivate() throws {
        let (dir, store) = try populatedStore()
        // The WAL SQLite writes beside the store takes the store's mode.
        #expect(FileManager.default.fileExists(atPath: store.path + "-wal"))
        #expect(try mode(store.path) == 0o600 && mode(store.path + "-wal") == 0o600)
        let work = try WorkFolder.create(in: dir.path, prefix: ".temoin-export")
        defer { work.remove() }
        #expect(try mode(work.path) == 0o700)
        let zip = dir.file("b.zip")
        #expect(try temoin(["export", "--out", zip], store: store.path).status == 0)
        let folder = try BundleReader().extract(zip)
        defer { BundleReader.discard(folder) }
        #expect(try mode(folder.path) == 0o700)
        #expect(try mode(folder.appendingPathComponent("docs").path) == 0o700)
        for name in ["store.sqlite", "MANIFEST.json", "docs/FORMAT.md"] {
            #expect(try mode(folder.appendingPathComponent(name).path) == 0o600, "\(name)")
        }
        // A key is private from its first byte.
        let key = dir.file("v.key")
        #expect(try temoin(["key", "new", "--out", key]).status == 0)
        #expect(try mode(key) == 0o600)
    }
}
