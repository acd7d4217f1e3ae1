import Foundation
import GRDB
import TestSupport
import Testing
import ZIPFoundation

@testable import TemoinKit

/// Stores prepared by someone hostile (issue 20, points 4 and 5; docs/SECURITY.md, "Hostile stores"):
/// each test builds the attack and checks it no longer works.
@Suite struct HostileSchemaTests {
    /// The audit's attack: a trigger planted in the store copied every page into a hidden table during
    /// `withhold` and `export --redact`, and both verifiers said intact. temoin now refuses to write to
    /// or export such a store, and both verifiers name the foreign objects.
    @Test func aTriggerPlantedInTheStoreNeverRunsOnOurWrites() throws {
        let (dir, store) = try populatedStore()
        try tamper(
            store.path,
            """
            CREATE TABLE stash (digest TEXT, data BLOB);
            CREATE TRIGGER keep_pages BEFORE UPDATE OF data ON captures
            BEGIN INSERT INTO stash VALUES (old.digest, old.data); END;
            """)
        let digest = try #require(try store.entry(seq: 2).body?.captures?.first?.digest)
        let withhold = try temoin(["withhold", "2", "--reason", "vie privée"], store: store.path)
        #expect(withhold.status == 2, "\(withhold.stderr)")
        #expect(withhold.stderr.contains("trigger keep_pages") && withhold.stderr.contains("table stash"))
        for redact in [true, false] {
            let zip = dir.file("bundle-\(redact).zip")
            let export = try temoin(["export", "--out", zip] + (redact ? ["--redact"] : []), store: store.path)
            #expect(export.status == 2, "\(export.stderr)")
            #expect(!FileManager.default.fileExists(atPath: zip))
        }
        let library = #expect(throws: TemoinError.self) { try Store.open(at: store.path) }
        #expect(library?.exitCode == 2)
        let stashed = try DatabaseQueue(path: store.path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM stash")
        }
        #expect(stashed == 0)
        #expect(try store.captureState(digest: digest) != .absent)
        let both = try BothVerifiers.check(store.path)
        #expect(both.codes == ["-:schema_altered", "-:schema_altered"])
        #expect(Set(both.ours.problems.compactMap(\.subject)) == ["keep_pages", "stash"])
    }

    /// A redacted bundle is built from the known tables into a fresh database: capture bytes, meta keys
    /// the format does not know, the TSA list, free pages of the original cannot reach it.
    @Test func aRedactedExportIsBuiltFromTheKnownTablesOnly() throws {
        let (dir, store) = try populatedStore()
        let secret = "NUMERO-ETRANGER-7788990011"
        try tamper(
            store.path,
            """
            INSERT INTO meta VALUES ('note', '\(secret)');
            INSERT INTO tsa_config VALUES ('https://user:\(secret)@tsa.example/', NULL, '2026-11-20T10:00:00.000Z');
            """)
        let zip = dir.file("redacted.zip")
        let export = try temoin(["export", "--out", zip, "--redact"], store: store.path)
        #expect(export.status == 0, "\(export.stderr)")
        let archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .read)
        let member = try #require(archive["store.sqlite"])
        var bytes = Data()
        _ = try archive.extract(member) { bytes.append($0) }
        #expect(bytes.range(of: Data(secret.utf8)) == nil)
        // The pages' stored bytes (compressed), none of which may be in the bundle's store.
        let pages = try DatabaseQueue(path: store.path).read { db in
            try Data.fetchAll(db, sql: "SELECT data FROM captures WHERE data IS NOT NULL")
        }
        #expect(pages.count == 4)
        for page in pages { #expect(bytes.range(of: page.prefix(64)) == nil, "a page's bytes") }
        let copy = dir.write("copy.sqlite", bytes)
        let q = try DatabaseQueue(path: copy)
        let (keys, tsas, stored, journal) = try q.read { db in
            (
                try String.fetchAll(db, sql: "SELECT key FROM meta ORDER BY key"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM tsa_config"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM captures WHERE data IS NOT NULL"),
                try String.fetchOne(db, sql: "PRAGMA journal_mode")
            )
        }
        try q.close()
        #expect(keys == ["created_at", "created_by", "format", "head_seq", "store_id"])
        #expect(tsas == 0 && stored == 0 && journal == "delete")
        let both = try BothVerifiers.check(copy)
        #expect(both.ours.verdict == .intact && both.ours.captures.withheld == 4)
        // The store itself is untouched.
        #expect(try BothVerifiers.check(store.path).ours.captures.checked == 4)
    }

    /// Every connection temoin opens distrusts the schema (trusted_schema off) and is defensive: a
    /// schema edit through `writable_schema` is refused.
    @Test func everyConnectionIsDefensiveAndDistrustsTheSchema() throws {
        let (_, store) = try populatedStore()
        try store.db.writeWithoutTransaction { db in
            #expect(try Int.fetchOne(db, sql: "PRAGMA trusted_schema") == 0)
            try db.execute(sql: "PRAGMA writable_schema = ON")
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "UPDATE sqlite_master SET sql = 'CREATE TABLE x (y)' WHERE name = 'meta'")
            }
        }
        let reader = try Store.openQueue(path: store.path, readOnly: true)
        #expect(try reader.read { db in try Int.fetchOne(db, sql: "PRAGMA trusted_schema") } == 0)
    }

    /// A view named `entries` whose query never ends: `verify` stops at the schema without running it;
    /// `log` (which does run it) stops on Ctrl-C through SQLite's progress handler, with the documented
    /// exit 130 and a message, not a kill.
    @Test func anEndlessViewNeverRunsInVerifyAndCtrlCStopsTheRest() throws {
        let (_, store) = try populatedStore()
        try tamper(
            store.path,
            """
            ALTER TABLE entries RENAME TO entries_real;
            CREATE VIEW entries AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
            SELECT n AS seq, 'x' AS hash, x'7b7d' AS body FROM r WHERE n < 0;
            """)
        let both = try BothVerifiers.check(store.path)
        #expect(both.codes == ["-:schema_altered", "-:schema_altered"])
        #expect(try temoin(["verify"], store: store.path).status == 1)
        for command in [["log"], ["show", "2"]] {
            let (status, reason, stderr, seconds) = try interruptWhenOpen(temoinBinary, command, store: store.path)
            #expect(reason == .exit && status == 130, "\(command): \(reason) \(status) \(stderr)")
            #expect(stderr.contains(TemoinError.interrupted.description), "\(command): \(stderr)")
            #expect(seconds < 20, "\(command) took \(seconds) s after Ctrl-C")
        }
        // `status` reads the case first, which this view does not give: a refusal, at once.
        let status = try temoin(["status"], store: store.path)
        #expect(status.status == 2, "\(status.stderr)")
    }
}

/// Starts `executable`, sends SIGINT once it has the store open (its query is then under way, or about to
/// be), and waits for it (at most 30 s more).
func interruptWhenOpen(_ executable: String, _ arguments: [String], store: String) throws
    -> (Int32, Process.TerminationReason, String, Double)
{
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["LANG"] = "C.UTF-8"
    env["TEMOIN_STORE"] = store
    env.removeValue(forKey: "LC_ALL")
    p.environment = env
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let name = "/" + (store as NSString).lastPathComponent
    try #require(waitUntilHolding(p.processIdentifier) { $0.hasSuffix(name) }, "\(arguments) never opened the store")
    let interrupted = Date()
    kill(p.processIdentifier, SIGINT)
    let deadline = Date().addingTimeInterval(30)
    while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if p.isRunning {
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return (p.terminationStatus, p.terminationReason, stderr, Date().timeIntervalSince(interrupted))
}
