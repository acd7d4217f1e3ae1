import Foundation

/// A capture of an entry asked for by role or name (`temoin show --capture`).
package enum CaptureLookup: Equatable {
    /// The bytes as received.
    case found(Data)
    /// The entry has no capture of that role or name.
    case noSuchCapture
    /// The capture was withheld (`temoin withhold`): only its digest stays.
    case withheld(digest: String)
}

extension Store {
    /// The capture of `entry` whose role or name is `role`, its bytes as received.
    package func capture(of entry: StoredEntry, role: String) throws -> CaptureLookup {
        guard let ref = entry.body?.captures?.first(where: { $0.role == role || $0.name == role }) else {
            return .noSuchCapture
        }
        guard let bytes = try captureBytes(digest: ref.digest) else { return .withheld(digest: ref.digest) }
        return .found(bytes)
    }
}
