import Foundation
import GRDB
import TestSupport
import Testing

@testable import TemoinKit

@Suite struct StoreTests {
    @Test func creationRecordsTheCaseAsEntryOneWithPrivatePermissionsAndWAL() throws {
        let (dir, store) = try makeStore()
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let entries = try store.entries()
        #expect(entries.count == 1)
        let first = try #require(entries.first?.body)
        #expect(first.type == .caseOpened)
        #expect(first.caseFields == Fixtures.sampleCase)
        #expect(first.prev == ChainHash.genesis(storeID: store.storeID))
        #expect(try store.meta("head_seq") == "1")
        let q = try DatabaseQueue(path: dir.file("temoin.sqlite"))
        let (journal, version, appID, migrations) = try q.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA user_version"),
                try Int32.fetchOne(db, sql: "PRAGMA application_id"),
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            )
        }
        #expect(journal == "wal")
        #expect(version == Store.schemaVersion)
        #expect(appID == Store.applicationID)
        #expect(migrations == ["v1", "v2-trust"])  // docs/FORMAT.md §1
    }

    @Test func appendsChainEachEntryToThePreviousOne() throws {
        let (_, store) = try makeStore()
        let page = PendingCapture(bytes: Data("<p>Aucun créneau disponible</p>".utf8), role: "page")
        let a = try store.append(type: .attempt, captures: [page]) { $0.outcome = .noSlot }
        let b = try store.append(type: .attempt, captures: [page]) { $0.outcome = .noSlot }
        #expect(a.seq == 2 && b.seq == 3)
        #expect(b.body?.prev == a.hash)
        #expect(ChainHash.entry(b.bodyBytes) == b.hash)
        // Identical captures are stored once.
        let count = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM captures") }
        #expect(count == 1)
        #expect(try store.captureBytes(digest: page.ref.digest) == Data("<p>Aucun créneau disponible</p>".utf8))
    }

    @Test func aFillerCannotMoveTheEntryInTheChain() throws {
        let (_, store) = try makeStore()
        let e = try store.append(type: .attempt) { body in
            body.seq = 99
            body.prev = String(repeating: "0", count: 64)
        }
        #expect(e.seq == 2)
        let first = try store.entries()[0].hash
        #expect(e.body?.prev == first)
    }

    @Test func refusesToOverwriteAnExistingStore() throws {
        let (dir, _) = try makeStore()
        #expect(throws: TemoinError.storeExists(path: dir.file("temoin.sqlite"))) {
            try Store.create(at: dir.file("temoin.sqlite"), case: Fixtures.sampleCase)
        }
    }

    @Test func missingStoreSaysToRunInit() throws {
        let dir = TempDir()
        let error = #expect(throws: TemoinError.self) { try Store.open(at: dir.file("absent.sqlite")) }
        #expect(error?.exitCode == 2)
        #expect(error?.description.contains("temoin init") == true)
    }

    @Test func aFileThatIsNotSQLiteIsRefusedClearly() throws {
        let dir = TempDir()
        let p = dir.write("notes.sqlite", "Rendez-vous préfecture: rien")
        let error = #expect(throws: TemoinError.self) { try Store.open(at: p) }
        guard case .notAStore = error else {
            Issue.record("expected notAStore, got \(String(describing: error))")
            return
        }
        #expect(error?.exitCode == 2)
        let empty = dir.write("empty.sqlite", Data())
        #expect(throws: TemoinError.self) { try Store.open(at: empty) }
    }

    @Test func aTruncatedStoreIsReportedNotCrashed() throws {
        let (dir, store) = try makeStore()
        for i in 0..<50 {
            try store.append(
                type: .attempt, captures: [PendingCapture(bytes: Data(repeating: UInt8(i), count: 5000), role: "page")]
            ) {
                $0.outcome = .noSlot
            }
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: store.path))
        let cut = dir.write("cut.sqlite", data.prefix(60))
        #expect(throws: TemoinError.self) { try Store.open(at: cut) }
        let half = dir.write("half.sqlite", data.prefix(data.count / 2))
        // Half a store opens or not depending on which pages survived; either way no crash, and
        // verify says it is damaged or unreadable.
        do {
            let report = try Verifier().verify(path: half)
            #expect(report.verdict == .tampered)
        } catch let error as TemoinError {
            #expect(error.exitCode == 2)
        }
    }

    @Test func aStoreFromANewerSchemaIsRefusedAndLeftUntouched() throws {
        let (dir, _) = try makeStore()
        let p = dir.file("temoin.sqlite")
        try tamper(p, "PRAGMA user_version = 7")
        let before = try Data(contentsOf: URL(fileURLWithPath: p))
        #expect(throws: TemoinError.storeFromNewerVersion(path: p, found: 7, supported: 1)) { try Store.open(at: p) }
        #expect(throws: TemoinError.storeFromNewerVersion(path: p, found: 7, supported: 1)) {
            try Verifier().verify(path: p)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: p)) == before)
    }

    @Test func anotherSQLiteDatabaseIsNotAStore() throws {
        let dir = TempDir()
        let p = dir.file("other.sqlite")
        let q = try DatabaseQueue(path: p)
        try q.write { db in try db.execute(sql: "CREATE TABLE notes (t TEXT)") }
        let error = #expect(throws: TemoinError.self) { try Store.open(at: p) }
        #expect(error?.description.contains("not one made by temoin") == true)
    }

    @Test func withholdingKeepsTheDigestAndRemovesTheBytes() throws {
        let (_, store) = try makeStore()
        let secret = Data("<p>Numéro étranger 1234567890 — Aucun créneau disponible</p>".utf8)
        let e = try store.append(type: .attempt, captures: [PendingCapture(bytes: secret, role: "page")]) {
            $0.outcome = .noSlot
        }
        let digest = try #require(e.body?.captures?.first?.digest)
        try store.withhold(digest: digest, reason: "données personnelles")
        #expect(try store.captureBytes(digest: digest) == nil)
        guard case .withheld(_, let reason) = try store.captureState(digest: digest) else {
            Issue.record("capture should be withheld")
            return
        }
        #expect(reason == "données personnelles")
        // The bytes are gone from the file itself, not only from the table.
        let raw = try Data(contentsOf: URL(fileURLWithPath: store.path))
        #expect(raw.range(of: Data("1234567890".utf8)) == nil)
        #expect(throws: TemoinError.noSuchCapture(digest: "ab")) { try store.withhold(digest: "ab", reason: nil) }
    }

    @Test func storePathComesFromOptionThenEnvironmentThenDefault() {
        #expect(
            Store.resolvePath(option: "/media/usb/t.sqlite", environment: ["TEMOIN_STORE": "/x"])
                == "/media/usb/t.sqlite")
        #expect(Store.resolvePath(option: nil, environment: ["TEMOIN_STORE": "/x.sqlite"]) == "/x.sqlite")
        #expect(Store.resolvePath(option: nil, environment: [:]) == "temoin.sqlite")
    }
}

@Suite struct CaseTests {
    @Test func amendmentsAreEntriesOfTheChain() throws {
        let (_, store) = try makeStore()
        let e = try #require(
            try store.amendCase(
                field: "facts", value: "Titre expiré ; employeur menace de licencier", reason: "nouvelle lettre"))
        #expect(e.seq == 2)
        #expect(e.body?.amendment?.old == Fixtures.sampleCase.facts)
        let record = try store.caseRecord()
        #expect(record.fields.facts == "Titre expiré ; employeur menace de licencier")
        #expect(record.amendments.count == 1)
        #expect(record.amendments[0].amendment.reason == "nouvelle lettre")
        // Same value again: nothing recorded.
        #expect(
            try store.amendCase(field: "facts", value: "Titre expiré ; employeur menace de licencier", reason: nil)
                == nil)
        #expect(try store.entries().count == 2)
    }

    @Test func badAmendmentsAreRefusedWithoutWriting() throws {
        let (_, store) = try makeStore()
        #expect(throws: TemoinError.unknownCaseField(name: "nationality")) {
            try store.amendCase(field: "nationality", value: "x", reason: nil)
        }
        #expect(throws: TemoinError.invalidURL(value: "rdv-prefecture")) {
            try store.amendCase(field: "booking_url", value: "rdv-prefecture", reason: nil)
        }
        #expect(throws: TemoinError.unknownProfile(name: "ants")) {
            try store.amendCase(field: "profile", value: "ants", reason: nil)
        }
        #expect(throws: TemoinError.emptyValue(field: "applicant")) {
            try store.amendCase(field: "applicant", value: " ", reason: nil)
        }
        #expect(try store.entries().count == 1)
    }
}
