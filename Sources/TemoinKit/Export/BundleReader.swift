import Foundation
import GRDB
import ZIPFoundation

/// Opens a bundle safely: every member is checked before a byte is written (no absolute path, no `..`,
/// no link, no device, no name twice, no SQLite journal, nothing the manifest does not list; bounded
/// sizes, compression ratio and free space), and bytes are counted as they are inflated, so a member
/// lying about its size is caught too.
///
/// Invariant: ``extract(_:)`` returns a private folder (``WorkFolder``, mode 0700, files 0600) holding
/// exactly the members checked, and the store in it is read immutable (`Store.openQueue`); or it throws
/// and leaves nothing behind. A refused bundle is exit 4; a temporary folder that cannot hold it, exit 7.
public struct BundleReader: Sendable {
    /// The largest member a bundle may hold once inflated, by default (4 GiB).
    public static let maxMemberBytes: UInt64 = 4 << 30
    /// The most a whole bundle may inflate to, by default (8 GiB).
    public static let maxTotalBytes: UInt64 = 8 << 30
    /// The most members a bundle may hold.
    public static let maxMembers = 100_000
    /// Above 1 MB, a member may not inflate more than this many times its compressed size.
    public static let maxRatio: UInt64 = 200
    /// The whole bundle may not inflate to more than this many times the zip's size (plus 16 MB): a
    /// real bundle inflates 1.1 to 6 times (docs/HARDENING.md), a bomb hundreds or thousands of times.
    public static let maxTotalRatio: UInt64 = 100
    /// MANIFEST.json is read into memory before anything is extracted: it must be small.
    static let maxManifestBytes: UInt64 = 4 << 20

    /// This reader's limit on one member, inflated (``maxMemberBytes`` by default).
    public var maxMemberBytes = BundleReader.maxMemberBytes
    /// This reader's limit on the whole bundle, inflated (``maxTotalBytes`` by default).
    public var maxTotalBytes = BundleReader.maxTotalBytes
    /// Where bundles are extracted (the system's temporary folder, `TMPDIR`).
    public var temporaryFolder = FileManager.default.temporaryDirectory.path
    /// Room left free in the temporary folder after extraction.
    var spareBytes: UInt64 = 16 << 20

    /// A reader with the given size limits; every other check of ``extract(_:)`` always applies.
    public init(
        maxMemberBytes: UInt64 = BundleReader.maxMemberBytes, maxTotalBytes: UInt64 = BundleReader.maxTotalBytes
    ) {
        self.maxMemberBytes = maxMemberBytes
        self.maxTotalBytes = maxTotalBytes
    }

    /// True when `path` is a regular file that starts like a zip archive (a FIFO is never opened).
    public static func isBundle(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        return (try? h.read(upToCount: 4)) == Data([0x50, 0x4B, 0x03, 0x04])
    }

    /// Names a bundle member may not have: SQLite would read a journal beside the store and see other
    /// content than the one whose digest the manifest gives.
    static func isJournal(_ name: String) -> Bool {
        ["-wal", "-shm", "-journal"].contains { name.hasSuffix($0) }
    }

    /// Why `p` is not a relative path inside the bundle (absolute, a drive, a backslash, NUL, a `.` or
    /// `..` part, an empty part), or nil when it is one.
    static func pathProblem(_ p: String) -> String? {
        if p.isEmpty || p.hasPrefix("/") || p.hasPrefix("\\") || p.contains("\\") || p.contains("\0")
            || (p.count > 1 && p.dropFirst().hasPrefix(":"))
        {
            return tr("trust.bundle.absolute", ["name": p])
        }
        let parts = p.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0 == ".." }) { return tr("trust.bundle.slip", ["name": p]) }
        if parts.dropLast().contains(where: { $0.isEmpty || $0 == "." }) || parts.last == "." {
            return tr("security.bundle.odd_path", ["name": p])
        }
        return nil
    }

    /// Extracts `zipPath` into a new temporary folder and returns it; remove it with ``discard(_:)``.
    public func extract(_ zipPath: String) throws -> URL {
        func refuse(_ reason: String) -> TemoinError { .trust(.bundleRefused(path: zipPath, reason: reason)) }
        var info = stat()
        guard stat(zipPath, &info) == 0 else { throw TemoinError.fileMissing(path: zipPath) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw refuse(tr("security.bundle.not_a_file")) }
        let zipBytes = UInt64(max(0, info.st_size))
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .read) } catch {
            throw refuse(tr("trust.bundle.not_zip"))
        }
        let entries = Array(archive)
        if entries.count > Self.maxMembers { throw refuse(tr("trust.bundle.too_many")) }
        var declared: UInt64 = 0
        var seen: Set<String> = []
        for e in entries {
            let p = e.path
            if let problem = Self.pathProblem(p) { throw refuse(problem) }
            // Two members of one name: which one a tool extracts is its own choice (ZIPFoundation: the last).
            let key = p.hasSuffix("/") ? String(p.dropLast()) : p
            guard seen.insert(key).inserted else { throw refuse(tr("security.bundle.duplicate", ["name": p])) }
            if e.type == .symlink { throw refuse(tr("trust.bundle.symlink", ["name": p])) }
            if Self.isJournal(p) { throw refuse(tr("security.bundle.journal", ["name": p])) }
            if e.uncompressedSize > maxMemberBytes {
                throw refuse(
                    tr("trust.bundle.too_large", ["name": p, "size": ByteCount.format(Int64(e.uncompressedSize))]))
            }
            if e.uncompressedSize > 1 << 20, e.uncompressedSize / max(e.compressedSize, 1) > Self.maxRatio {
                throw refuse(tr("trust.bundle.ratio", ["name": p]))
            }
            declared += e.uncompressedSize
            if declared > maxTotalBytes {
                throw refuse(tr("trust.bundle.too_large", ["name": p, "size": ByteCount.format(Int64(declared))]))
            }
        }
        if declared > Self.maxTotalRatio * zipBytes + (16 << 20) {
            throw refuse(tr("security.bundle.total_ratio", ["size": ByteCount.format(Int64(declared))]))
        }
        try checkMembersAgainstManifest(archive, entries: entries, refuse: refuse)
        try checkRoom(for: declared)

        let work: WorkFolder
        do { work = try WorkFolder.create(in: temporaryFolder, prefix: "temoin-bundle") } catch {
            throw unwritable(error, temporaryFolder)
        }
        let folder = work.url
        do {
            for e in entries {
                let target = folder.appendingPathComponent(e.path)
                // Belt and braces after the checks above: the resolved target must stay in the folder.
                guard target.standardizedFileURL.path.hasPrefix(folder.standardizedFileURL.path + "/") else {
                    throw refuse(tr("trust.bundle.slip", ["name": e.path]))
                }
                try extractMember(e, of: archive, to: target, refuse: refuse)
            }
        } catch {
            work.remove()
            throw error
        }
        return folder
    }

    /// Removes a folder ``extract(_:)`` made.
    public static func discard(_ folder: URL) {
        try? FileManager.default.removeItem(at: folder)
        WorkFolder.unregister(folder.path)
    }

    /// With a readable manifest, every member must be listed in it (MANIFEST.json aside; folders only as
    /// the parents of listed files), and every name it lists must be a path inside the bundle. Without
    /// one, nothing can be matched: `check` reports the bundle as altered.
    private func checkMembersAgainstManifest(
        _ archive: Archive, entries: [Entry], refuse: (String) -> TemoinError
    ) throws {
        guard let manifest = Self.readManifest(archive) else { return }
        for name in manifest.files.keys.sorted() {
            if let problem = Self.pathProblem(name) {
                throw refuse(tr("security.bundle.manifest_path", ["problem": problem]))
            }
            if Self.isJournal(name) { throw refuse(tr("security.bundle.journal", ["name": name])) }
        }
        let listed = Set(manifest.files.keys)
        for e in entries where e.path != "MANIFEST.json" {
            if e.type == .directory {
                let folder = e.path.hasSuffix("/") ? e.path : e.path + "/"
                if listed.contains(where: { $0.hasPrefix(folder) }) { continue }
            } else if listed.contains(e.path) {
                continue
            }
            throw refuse(tr("security.bundle.unlisted", ["name": e.path]))
        }
    }

    /// MANIFEST.json, read in memory with its size bounded; nil when absent or not a manifest.
    static func readManifest(_ archive: Archive) -> BundleManifest? {
        guard let entry = archive["MANIFEST.json"], entry.type == .file,
            entry.uncompressedSize <= maxManifestBytes
        else { return nil }
        var data = Data()
        do {
            _ = try archive.extract(entry) { chunk in
                data.append(chunk)
                if UInt64(data.count) > maxManifestBytes { throw BundleLimit() }
            }
        } catch {
            return nil
        }
        return try? JSONDecoder().decode(BundleManifest.self, from: data)
    }

    /// Refuses to start when the temporary folder cannot hold the members and some room to spare: a
    /// full disk half-way would only leave a mess (and the system short of space).
    private func checkRoom(for bytes: UInt64) throws {
        var fs = statvfs()
        guard statvfs(temporaryFolder, &fs) == 0 else { return }
        let free = UInt64(fs.f_bavail) * UInt64(fs.f_frsize)
        if bytes + spareBytes > free {
            throw TemoinError.temporaryUnwritable(
                path: temporaryFolder,
                detail: tr(
                    "security.bundle.no_room",
                    ["needed": ByteCount.format(Int64(bytes)), "free": ByteCount.format(Int64(free))]))
        }
    }

    /// Writes one member, counting inflated bytes against its declared size. A name the file system
    /// cannot hold makes the bundle unusable (exit 4); a medium that refuses bytes, the output (exit 7).
    private func extractMember(_ e: Entry, of archive: Archive, to target: URL, refuse: (String) -> TemoinError)
        throws
    {
        // A name this file system cannot hold is the bundle's problem, not the medium's.
        if e.path.utf8.count > 1024 || e.path.split(separator: "/").contains(where: { $0.utf8.count > 255 }) {
            throw refuse(
                tr("harden.bundle.cannot_extract", ["name": e.path, "detail": tr("security.bundle.name_too_long")]))
        }
        let out: OutputFile.Writer
        do {
            // Never while a signal handler removes the folder: it would be created again.
            let writer = try WorkFolder.creatingEntry { () throws -> OutputFile.Writer? in
                if e.type == .directory {
                    try FileManager.default.createDirectory(
                        at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                    return nil
                }
                try FileManager.default.createDirectory(
                    at: target.deletingLastPathComponent(), withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
                return try OutputFile.Writer(creating: target.path, mode: 0o600)
            }
            guard let writer else { return }
            out = writer
        } catch {
            if Self.isFull(error) { throw unwritable(error, target.path) }
            throw refuse(tr("harden.bundle.cannot_extract", ["name": e.path, "detail": "\(error)"]))
        }
        var written: UInt64 = 0
        let limit = e.uncompressedSize
        do {
            _ = try archive.extract(e) { data in
                written += UInt64(data.count)
                if written > limit { throw BundleLimit() }
                try out.write(data)
            }
            try out.finish()
        } catch is BundleLimit {
            out.abandon()
            throw refuse(tr("trust.bundle.lying", ["name": e.path]))
        } catch let error as TemoinError {
            out.abandon()
            throw unwritable(error, target.path)
        } catch {
            out.abandon()
            throw refuse(tr("trust.bundle.damaged", ["name": e.path, "detail": "\(error)"]))
        }
    }

    /// Errors that say the medium is full or refuses writes, rather than that the name is impossible.
    static func isFull(_ error: Error) -> Bool {
        if case TemoinError.outputUnwritable = error { return true }
        let ns = error as NSError
        let chain = [ns, ns.userInfo[NSUnderlyingErrorKey] as? NSError].compactMap { $0 }
        let medium = [ENOSPC, EDQUOT, EROFS, EIO].map(Int.init)
        let cocoa = [CocoaError.fileWriteOutOfSpace.rawValue, CocoaError.fileWriteVolumeReadOnly.rawValue]
        return chain.contains {
            ($0.domain == NSPOSIXErrorDomain && medium.contains($0.code))
                || ($0.domain == NSCocoaErrorDomain && cocoa.contains($0.code))
        }
    }

    /// The temporary folder refused a member's bytes (full, read-only): exit 7, saying where.
    func unwritable(_ error: Error, _ path: String) -> TemoinError {
        if case TemoinError.outputUnwritable(_, let detail) = error {
            return .temporaryUnwritable(path: temporaryFolder, detail: detail)
        }
        return .temporaryUnwritable(path: temporaryFolder, detail: (error as NSError).localizedDescription)
    }

    struct BundleLimit: Error {}

    /// What checking a bundle's own files found, beside the store's verification.
    public struct Check: Sendable {
        /// What the manifest and the documents came to.
        public var summary: BundleSummary
        /// `bundle_altered` problems: a file changed after export, listed but absent, or a document that
        /// is not the one this temoin ships although the manifest says this version made the bundle.
        public var problems: [VerificationProblem]
    }

    /// Problems of the bundle's own files: a file changed after export, or listed but absent.
    package static func checkManifest(_ folder: URL) -> (BundleManifest?, [VerificationProblem]) {
        let found = check(folder)
        return (found.manifest, found.result.problems)
    }

    /// Checks the extracted bundle's files against its manifest, and its documents (the reference
    /// verifier, FORMAT.md, TRUST.md, the README) against the copies inside this temoin when the
    /// manifest says this version made the bundle. The manifest is no signature: whoever changes a file
    /// can rewrite it too; the documents are therefore compared with temoin's own.
    package static func check(_ folder: URL) -> (manifest: BundleManifest?, result: Check) {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("MANIFEST.json")),
            UInt64(data.count) <= maxManifestBytes,
            let manifest = try? JSONDecoder().decode(BundleManifest.self, from: data)
        else {
            let problem = VerificationProblem(seq: nil, code: "bundle_altered", reason: tr("trust.bundle.no_manifest"))
            return (
                nil, Check(summary: BundleSummary(manifest: .missing, documents: .notCompared), problems: [problem])
            )
        }
        var problems: [VerificationProblem] = []
        for (name, digest) in manifest.files.sorted(by: { $0.key < $1.key }) {
            guard pathProblem(name) == nil, let bytes = try? Data(contentsOf: folder.appendingPathComponent(name))
            else {
                problems.append(
                    VerificationProblem(
                        seq: nil, code: "bundle_altered", reason: tr("trust.bundle.file_missing", ["name": name])))
                continue
            }
            if sha256Hex(bytes) != digest {
                problems.append(
                    VerificationProblem(
                        seq: nil, code: "bundle_altered", reason: tr("trust.bundle.file_altered", ["name": name])))
            }
        }
        var summary = BundleSummary(
            manifest: problems.isEmpty ? .matches : .altered, documents: .notCompared,
            exportedBy: "\(manifest.tool.name) \(manifest.tool.version)")
        if manifest.tool == .current {
            var altered = false
            for (target, shipped) in BundleExporter.documents() {
                let url = folder.appendingPathComponent(target)
                guard FileManager.default.fileExists(atPath: url.path) else { continue }
                if (try? Data(contentsOf: url)) != shipped {
                    altered = true
                    problems.append(
                        VerificationProblem(
                            seq: nil, code: "bundle_altered",
                            reason: tr(
                                "security.bundle.document_altered",
                                ["name": target, "version": "\(Temoin.name) \(Temoin.version)"])))
                }
            }
            summary.documents = altered ? .altered : .identical
        }
        return (manifest, Check(summary: summary, problems: problems))
    }
}

/// What `verify` says of a bundle's own files (docs/FORMAT.md is about the store; this is about the zip).
public struct BundleSummary: Codable, Sendable, Equatable {
    /// Whether the bundle's files match MANIFEST.json (an unsigned list of SHA-256 digests).
    public enum Manifest: String, Codable, Sendable {
        /// Every file the manifest lists is there with its digest.
        case matches
        /// A file differs from its digest or is missing.
        case altered
        /// No readable MANIFEST.json.
        case missing
    }

    /// Whether the documents shipped in the bundle are this temoin's own.
    public enum Documents: String, Codable, Sendable {
        /// The bundle's reference verifier, FORMAT.md, TRUST.md and README are those of this temoin.
        case identical
        /// One of them is not, although the manifest says this version of temoin made the bundle.
        case altered
        /// Made by another version of temoin (or no manifest): they could not be compared.
        case notCompared = "not_compared"
    }

    /// The bundle's files against its manifest.
    public var manifest: Manifest
    /// The bundle's documents against this temoin's copies.
    public var documents: Documents
    /// The tool the manifest names (unsigned: what the manifest says).
    public var exportedBy: String?

    enum CodingKeys: String, CodingKey {
        case manifest, documents
        case exportedBy = "exported_by"
    }
}
