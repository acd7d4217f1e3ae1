import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// `show --capture`: a capture found by role or name, missing, or withheld.
@Suite struct CaptureLookupTests {
    @Test func aCaptureIsFoundByRoleOrNameAndAWithheldOneSaysItsDigest() throws {
        let (dir, store) = try makeStore()
        let page = dir.write("page.html", "<html><body>Aucun créneau disponible</body></html>")
        let file = try Importer(store: store).importFiles([page], options: ImportOptions()).files[0]
        let entry = try store.entry(seq: try #require(file.seq))
        let ref = try #require(entry.body?.captures?.first)
        #expect(
            try store.capture(of: entry, role: ref.role)
                == .found(try #require(try store.captureBytes(digest: ref.digest))))
        #expect(try store.capture(of: entry, role: "no-such-role") == .noSuchCapture)
        _ = try store.withhold(target: ref.digest, reason: "private")
        #expect(try store.capture(of: entry, role: ref.role) == .withheld(digest: ref.digest))
    }
}
