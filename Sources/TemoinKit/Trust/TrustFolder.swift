import Foundation

/// The folder of time-stamp authority certificates this computer's user trusts for every check
/// (`temoin seal trust`): `$TEMOIN_TRUST_DIR`, else `tsa-certs` in temoin's configuration folder.
/// Trust belongs to whoever verifies, so it lives in their configuration, never in a store.
package struct TrustFolder: Sendable {
    package let path: String

    package init(path: String = TSATrust.defaultFolder) { self.path = path }

    /// What ``add(_:)`` did: the copy made, and the subjects of the certificates it holds.
    package struct Added: Sendable {
        package var file: String
        package var subjects: [String]
    }

    /// The certificates trusted, each with the file it came from.
    package struct Listing: Sendable, Encodable {
        package var folder: String
        package var certificates: [String]
        package var sources: [String]
    }

    /// Copies a PEM file holding at least one certificate into the folder (created, mode 0700, when
    /// missing). A file of that name already there is never replaced: exit 64.
    package func add(_ file: String) throws -> Added {
        let certificates = try TSATrust.readCertificates(file)
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw TemoinError.fileUnreadable(path: file, detail: error.localizedDescription)
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw TemoinError.outputUnwritable(path: path, detail: error.localizedDescription)
        }
        let target = (path as NSString).appendingPathComponent((file as NSString).lastPathComponent)
        try OutputFile.create(target, data: bytes)
        return Added(file: target, subjects: certificates.map(\.subject.description))
    }

    /// Every certificate of the folder (none when it does not exist).
    package func list() throws -> Listing {
        let trust = try TSATrust.load(files: [], folder: path)
        return Listing(
            folder: path, certificates: trust.certificates.map(\.subject.description), sources: trust.sources)
    }
}
