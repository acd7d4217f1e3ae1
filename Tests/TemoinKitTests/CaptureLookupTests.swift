import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// `show --capture`: a capture found by its role, missing, or withheld.
@Suite struct CaptureLookupTests {
    @Test func aCaptureIsFoundByRoleAndAWithheldOneSaysItsDigest() throws {
        let (_, store) = try makeStore()
        let entry = try #require(
            try Importer(store: store).importFile(Fixtures.page("rdv-creneau-aucun.html"), options: ImportOptions())
                .entry)
        let ref = try #require(entry.body?.captures?.first)
        #expect(
            try store.capture(of: entry, role: ref.role)
                == .found(try #require(try store.captureBytes(digest: ref.digest))))
        #expect(try store.capture(of: entry, role: "no-such-role") == .noSuchCapture)
        try store.withhold(digest: ref.digest, reason: "private")
        #expect(try store.capture(of: entry, role: ref.role) == .withheld(digest: ref.digest))
    }
}
