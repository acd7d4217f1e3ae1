import Foundation
import GRDB
import ZIPFoundation

/// A verifiable bundle: one zip holding a consistent snapshot of the store, its seals as `.tsr` files,
/// its attestations, docs/FORMAT.md, docs/TRUST.md, the reference verifier, a README for whoever
/// receives it, and a manifest of every file's SHA-256.
public struct BundleExporter: Sendable {
    public let store: Store

    public init(store: Store) { self.store = store }

    public struct Result: Sendable, Codable {
        public var path: String
        public var head: ChainHead?
        public var redacted: Bool
        public var files: [String]
        public var withheldCaptures: Int
    }

    /// Writes the bundle to `zipPath` (refused if it exists). `redact`: capture bytes are withheld in the
    /// copy (digests kept, so the chain still verifies); the store itself is not changed.
    public func export(to zipPath: String, redact: Bool, now: Date = Date()) throws -> Result {
        if FileManager.default.fileExists(atPath: zipPath) { throw TemoinError.trust(.outputExists(path: zipPath)) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("temoin-export-\(UUID().uuidString)")
        // The snapshot holds the whole store, unredacted until --redact has run: SQLite creates it 0644,
        // so the folder, not the file, keeps other users of a shared computer out.
        try FileManager.default.createDirectory(
            at: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: work) }
        let snapshot = work.appendingPathComponent("store.sqlite")
        // VACUUM INTO writes a consistent copy from one read transaction, WAL included: a raw file copy
        // of a WAL database could miss committed entries or catch a half-written page.
        try store.requireKnownSchema()
        let full = work.appendingPathComponent(redact ? "snapshot.sqlite" : "store.sqlite")
        try store.snapshot(to: full.path)
        var withheld = 0
        do {
            if redact {
                // Built from the known tables into a fresh database, never by editing the snapshot in
                // place: nothing of the original file but what the format describes can reach the copy.
                withheld = try RedactedCopy.write(from: full.path, to: snapshot.path, now: now)
                try FileManager.default.removeItem(at: full)
            } else {
                let copy = try DatabaseQueue(path: snapshot.path, configuration: Store.configuration(readOnly: false))
                try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
                try copy.close()
            }
        } catch let error as TemoinError {
            throw error
        } catch {
            throw Store.map(error, path: snapshot.path, writing: true)
        }
        var files: [(String, Data)] = []
        let head = try store.head()
        for row in try store.sealRows() {
            files.append(("seals/seal-\(row.id ?? 0)-seq\(row.seq).tsr", row.response))
            files.append(("seals/seal-\(row.id ?? 0)-seq\(row.seq).head.txt", Data((row.head + "\n").utf8)))
        }
        for (i, a) in try store.attestationFiles().enumerated() {
            files.append(("attestations/attestation-\(i + 1).json", try a.encoded()))
        }
        for name in ["FORMAT.md", "TRUST.md", "verify_reference.py", "README.txt"] {
            guard let url = Self.resource(name), let data = try? Data(contentsOf: url) else { continue }
            let target = name == "README.txt" ? "README.txt" : (name.hasSuffix(".py") ? name : "docs/\(name)")
            files.append((target, data))
        }
        var manifest: [String: String] = ["store.sqlite": sha256Hex(try Data(contentsOf: snapshot))]
        for (name, data) in files { manifest[name] = sha256Hex(data) }
        let info = BundleManifest(
            format: "temoin-bundle-v1", storeID: store.storeID, head: head, exportedAt: TimeFormat.utc(now),
            redacted: redact, tool: .current, files: manifest)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        files.append(("MANIFEST.json", try encoder.encode(info)))
        do {
            let archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .create)
            try archive.addEntry(with: "store.sqlite", fileURL: snapshot, compressionMethod: .deflate)
            for (name, data) in files {
                try archive.addEntry(
                    with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                    provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
            }
        } catch {
            try? FileManager.default.removeItem(atPath: zipPath)
            throw TemoinError.storeNotWritable(path: zipPath, detail: "\(error)")
        }
        return Result(
            path: zipPath, head: head, redacted: redact, files: ["store.sqlite"] + files.map(\.0),
            withheldCaptures: withheld)
    }

    /// A file shipped inside temoin for bundles (Resources/bundle, copied from docs/ by `make`).
    static func resource(_ name: String) -> URL? {
        Installation.current.resource("bundle/" + name)
    }
}

/// MANIFEST.json of a bundle.
public struct BundleManifest: Codable, Sendable {
    public var format: String
    public var storeID: String
    public var head: ChainHead?
    public var exportedAt: String
    public var redacted: Bool
    public var tool: ToolInfo
    /// SHA-256 (hex) of every other file of the bundle, by path.
    public var files: [String: String]

    enum CodingKeys: String, CodingKey {
        case format, head, redacted, tool, files
        case storeID = "store_id"
        case exportedAt = "exported_at"
    }
}

extension Store {
    /// A consistent copy of the whole store at `path` (SQLite's `VACUUM INTO`).
    func snapshot(to path: String) throws {
        do {
            try db.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
        } catch {
            throw Store.map(error, path: path, writing: true)
        }
    }

    func attestationFiles() throws -> [AttestationFile] {
        try read { db in
            guard try db.tableExists("attestations") else { return [] }
            return try AttestationRow.fetchAll(db, sql: "SELECT * FROM attestations ORDER BY id").map {
                AttestationFile(statement: String(decoding: $0.statement, as: UTF8.self), signature: $0.signature)
            }
        }
    }
}

/// Opens a bundle safely: every member is checked before a byte is written (no absolute path, no `..`,
/// no link, no device; bounded sizes and compression ratio), and bytes are counted as they are
/// inflated, so a member lying about its size is caught too.
public struct BundleReader: Sendable {
    public static let maxMemberBytes: UInt64 = 4 << 30
    public static let maxTotalBytes: UInt64 = 8 << 30
    public static let maxMembers = 100_000
    /// Above 1 MB, a member may not inflate more than this many times its compressed size.
    public static let maxRatio: UInt64 = 200

    public var maxMemberBytes = BundleReader.maxMemberBytes
    public var maxTotalBytes = BundleReader.maxTotalBytes

    public init(
        maxMemberBytes: UInt64 = BundleReader.maxMemberBytes, maxTotalBytes: UInt64 = BundleReader.maxTotalBytes
    ) {
        self.maxMemberBytes = maxMemberBytes
        self.maxTotalBytes = maxTotalBytes
    }

    /// True when the file starts like a zip archive.
    public static func isBundle(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        return (try? h.read(upToCount: 4)) == Data([0x50, 0x4B, 0x03, 0x04])
    }

    /// Extracts `zipPath` into a new temporary folder and returns it (the caller removes it).
    public func extract(_ zipPath: String) throws -> URL {
        func refuse(_ reason: String) -> TemoinError { .trust(.bundleRefused(path: zipPath, reason: reason)) }
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .read) } catch {
            throw refuse(tr("trust.bundle.not_zip"))
        }
        let entries = Array(archive)
        if entries.count > Self.maxMembers { throw refuse(tr("trust.bundle.too_many")) }
        var declared: UInt64 = 0
        for e in entries {
            let p = e.path
            let parts = p.split(separator: "/", omittingEmptySubsequences: false)
            if p.hasPrefix("/") || p.hasPrefix("\\") || p.contains("\\") || p.contains("\0")
                || (p.count > 1 && p.dropFirst().hasPrefix(":"))
            {
                throw refuse(tr("trust.bundle.absolute", ["name": p]))
            }
            if parts.contains(where: { $0 == ".." }) { throw refuse(tr("trust.bundle.slip", ["name": p])) }
            if e.type == .symlink { throw refuse(tr("trust.bundle.symlink", ["name": p])) }
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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "temoin-bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            for e in entries {
                let target = folder.appendingPathComponent(e.path)
                // Belt and braces after the checks above: the resolved target must stay in the folder.
                guard target.standardizedFileURL.path.hasPrefix(folder.standardizedFileURL.path + "/") else {
                    throw refuse(tr("trust.bundle.slip", ["name": e.path]))
                }
                // A member the file system cannot hold here (a name too long, a file where a folder
                // is needed) makes the bundle unusable, not the store unwritable: exit 4, not 3.
                let out: FileHandle
                do {
                    if e.type == .directory {
                        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                        continue
                    }
                    try FileManager.default.createDirectory(
                        at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                    guard
                        FileManager.default.createFile(
                            atPath: target.path, contents: nil, attributes: [.posixPermissions: 0o600]),
                        let handle = FileHandle(forWritingAtPath: target.path)
                    else {
                        throw CocoaError(.fileWriteUnknown)
                    }
                    out = handle
                } catch {
                    throw refuse(tr("harden.bundle.cannot_extract", ["name": e.path, "detail": "\(error)"]))
                }
                defer { try? out.close() }
                var written: UInt64 = 0
                let limit = e.uncompressedSize
                do {
                    _ = try archive.extract(e) { data in
                        written += UInt64(data.count)
                        if written > limit { throw BundleLimit() }
                        out.write(data)
                    }
                } catch is BundleLimit {
                    throw refuse(tr("trust.bundle.lying", ["name": e.path]))
                } catch {
                    throw refuse(tr("trust.bundle.damaged", ["name": e.path, "detail": "\(error)"]))
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        return folder
    }

    struct BundleLimit: Error {}

    /// Problems of the bundle's own files: a file changed after export, or listed but absent.
    public static func checkManifest(_ folder: URL) -> (BundleManifest?, [VerificationProblem]) {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("MANIFEST.json")),
            let manifest = try? JSONDecoder().decode(BundleManifest.self, from: data)
        else {
            return (
                nil, [VerificationProblem(seq: nil, code: "bundle_altered", reason: tr("trust.bundle.no_manifest"))]
            )
        }
        var problems: [VerificationProblem] = []
        for (name, digest) in manifest.files.sorted(by: { $0.key < $1.key }) {
            let url = folder.appendingPathComponent(name)
            guard let bytes = try? Data(contentsOf: url) else {
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
        return (manifest, problems)
    }
}
