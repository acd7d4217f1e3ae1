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

extension Store {
    /// `temoin show SEQ --capture ROLE`: the capture's bytes written to `output` as received, for a file
    /// only (``captureForFile(seq:role:toTerminal:)`` refuses a terminal); a full disk behind
    /// `> page.html` is `.outputUnwritable` (exit 7), never a crash.
    package func writeCapture(seq: Int64, role: String, to output: FileHandle = .standardOutput) throws {
        let bytes = try captureForFile(seq: seq, role: role, toTerminal: isatty(output.fileDescriptor) == 1)
        do { try output.write(contentsOf: bytes) } catch {
            throw TemoinError.outputUnwritable(path: "-", detail: error.localizedDescription)
        }
    }

    /// The bytes `temoin show SEQ --capture ROLE` writes, as received. Throws `.noSuchEntry`, or when
    /// the entry has no such capture, when it was withheld (its digest is said), and when they would go
    /// to a terminal (`toTerminal`): a hostile page's escape sequences would be obeyed there.
    package func captureForFile(seq: Int64, role: String, toTerminal: Bool) throws -> Data {
        switch try capture(of: entry(seq: seq), role: role) {
        case .noSuchCapture: throw TemoinError.captureNotInEntry(seq: seq, role: role)
        case .withheld(let digest): throw TemoinError.captureWithheld(digest: digest)
        case .found(let bytes):
            if toTerminal { throw TemoinError.captureToTerminal(seq: seq, role: role) }
            return bytes
        }
    }
}
