import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// `show --capture`: a capture found by its role, missing, or withheld.
@Suite struct CaptureLookupTests {
    /// A store holding one imported page, and its entry.
    private func importedPage() throws -> (TempDir, Store, StoredEntry) {
        let (dir, store) = try makeStore()
        let entry = try #require(
            try Importer(store: store).importFile(Fixtures.page("rdv-creneau-aucun.html"), options: ImportOptions())
                .entry)
        return (dir, store, entry)
    }

    @Test func aCaptureIsFoundByRoleAndAWithheldOneSaysItsDigest() throws {
        let (_, store, entry) = try importedPage()
        let ref = try #require(entry.body?.captures?.first)
        #expect(
            try store.capture(of: entry, role: ref.role)
                == .found(try #require(try store.captureBytes(digest: ref.digest))))
        #expect(try store.capture(of: entry, role: "no-such-role") == .noSuchCapture)
        try store.withhold(digest: ref.digest, reason: "private")
        #expect(try store.capture(of: entry, role: ref.role) == .withheld(digest: ref.digest))
    }

    @Test func aCaptureIsWrittenAsReceivedAndAFullDiskIsExit7() throws {
        let (dir, store, entry) = try importedPage()
        let ref = try #require(entry.body?.captures?.first)
        let path = dir.file("page.html")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try store.writeCapture(seq: entry.seq, role: ref.role, to: file)
        try file.close()
        #expect(FileManager.default.contents(atPath: path) == (try Fixtures.data("rdv-creneau-aucun.html")))
        let full = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        defer { try? full.close() }
        #expect { try store.writeCapture(seq: entry.seq, role: ref.role, to: full) } throws: {
            ($0 as? TemoinError)?.exitStatus == .outputUnwritable
        }
    }

    @Test func showWritesACaptureOnlyToAFileAndSaysWhyNot() throws {
        let (_, store, entry) = try importedPage()
        let ref = try #require(entry.body?.captures?.first)
        #expect(
            try store.captureForFile(seq: entry.seq, role: ref.role, toTerminal: false)
                == (try Fixtures.data("rdv-creneau-aucun.html")))
        #expect(throws: TemoinError.captureToTerminal(seq: entry.seq, role: ref.role)) {
            try store.captureForFile(seq: entry.seq, role: ref.role, toTerminal: true)
        }
        #expect(throws: TemoinError.captureNotInEntry(seq: entry.seq, role: "pdf")) {
            try store.captureForFile(seq: entry.seq, role: "pdf", toTerminal: false)
        }
        #expect(throws: TemoinError.noSuchEntry(seq: 99)) {
            try store.captureForFile(seq: 99, role: ref.role, toTerminal: false)
        }
        try store.withhold(digest: ref.digest, reason: "private")
        // Withheld: said even to a terminal (there are no bytes to protect it from).
        #expect(throws: TemoinError.captureWithheld(digest: ref.digest)) {
            try store.captureForFile(seq: entry.seq, role: ref.role, toTerminal: true)
        }
        for error in [
            TemoinError.captureNotInEntry(seq: 1, role: "pdf"), .captureWithheld(digest: "d"),
            .captureToTerminal(seq: 1, role: "page"),
        ] {
            #expect(error.exitStatus == .usage)
        }
    }
}
