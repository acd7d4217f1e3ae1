import Foundation
import GRDB
import ZIPFoundation

/// A verifiable bundle: one zip holding a consistent snapshot of the store, its seals as `.tsr` files,
/// its attestations, docs/FORMAT.md, docs/TRUST.md, the reference verifier, a README for whoever
/// receives it, and a manifest of every file's SHA-256.
package struct BundleExporter: Sendable {
    package let store: Store

    package init(store: Store) { self.store = store }

    package struct Result: Sendable, Codable {
        package var path: String
        package var head: ChainHead?
        package var redacted: Bool
        package var files: [String]
        package var withheldCaptures: Int
    }

    /// Writes the bundle to `zipPath` (refused if anything is there, a link included). `redact`: capture
    /// bytes are withheld in the copy (digests kept, so the chain still verifies); the store itself is not
    /// changed.
    ///
    /// The snapshot and the zip are made in a private folder beside `zipPath` (mode 0700, on the same
    /// medium: a USB stick keeps the unredacted copy off the laptop's disk), removed when the export
    /// ends, on a signal (``WorkFolder/removeAll()``) or by the next export if temoin was killed; the zip
    /// then takes its name in one step, never through a link. Every failure to write is exit 7.
    package func export(to zipPath: String, redact: Bool, now: Date = Date()) throws -> Result {
        if OutputFile.exists(zipPath) { throw TemoinError.trust(.outputExists(path: zipPath)) }
        let parent = (zipPath as NSString).deletingLastPathComponent
        let workFolder = try WorkFolder.create(in: parent.isEmpty ? "." : parent, prefix: ".temoin-export")
        defer { workFolder.remove() }
        let work = workFolder.url
        let snapshot = work.appendingPathComponent("store.sqlite")
        // VACUUM INTO writes a consistent copy from one read transaction, WAL included: a raw file copy
        // of a WAL database could miss committed entries or catch a half-written page.
        try store.requireKnownSchema()
        let full = work.appendingPathComponent(redact ? "snapshot.sqlite" : "store.sqlite")
        do { try store.snapshot(to: full.path) } catch { throw Self.outputError(error, path: zipPath) }
        var withheld = 0
        do {
            let copy = try DatabaseQueue(path: full.path, configuration: Store.configuration(readOnly: false))
            try copy.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                // Credentials an older store kept in its TSA URLs never leave it, redacted or not; the
                // space they took is zeroed, not merely freed.
                try db.execute(sql: "PRAGMA secure_delete = ON")
                try TSACredentials.strip(in: db)
            }
            try copy.close()
            if redact {
                // Built from the known tables into a fresh database, never by editing the snapshot in
                // place: nothing of the original file but what the format describes can reach the copy.
                withheld = try RedactedCopy.write(from: full.path, to: snapshot.path, now: now)
                try FileManager.default.removeItem(at: full)
            }
        } catch let error as TemoinError {
            throw error
        } catch {
            throw Self.outputError(error, path: zipPath)
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
        // The applicant's e-mails as files a mail program opens (their SHA-256 is the capture's, which
        // the chain records); not in a redacted bundle, whose contents are withheld.
        if !redact {
            for (name, data) in try Self.emails(store) { files.append((name, data)) }
        }
        for (target, data) in Self.documents() { files.append((target, data)) }
        let snapshotBytes: Data
        do { snapshotBytes = try Data(contentsOf: snapshot) } catch { throw Self.outputError(error, path: zipPath) }
        var manifest: [String: String] = ["store.sqlite": sha256Hex(snapshotBytes)]
        for (name, data) in files { manifest[name] = sha256Hex(data) }
        let info = BundleManifest(
            format: "temoin-bundle-v1", storeID: store.storeID, head: head, exportedAt: TimeFormat.utc(now),
            redacted: redact, tool: .current, files: manifest)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        files.append(("MANIFEST.json", try encoder.encode(info)))
        let partial = work.appendingPathComponent("bundle.zip")
        do {
            let archive = try Archive(url: partial, accessMode: .create)
            try archive.addEntry(with: "store.sqlite", fileURL: snapshot, compressionMethod: .deflate)
            for (name, data) in files {
                try archive.addEntry(
                    with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                    provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
            }
        } catch {
            throw Self.outputError(error, path: zipPath)
        }
        try OutputFile.publish(partial.path, as: zipPath)
        return Result(
            path: zipPath, head: head, redacted: redact, files: ["store.sqlite"] + files.map(\.0),
            withheldCaptures: withheld)
    }

    /// Every e-mail kept with a step or a follow-up, as `emails/entry-<seq>-<name>.eml` (the name reduced
    /// to ASCII letters, digits, `-`, `_` and `.`), byte for byte; withheld ones are left out.
    static func emails(_ store: Store) throws -> [(String, Data)] {
        var out: [(String, Data)] = []
        var used: Set<String> = []
        for record in try StepLedger(store: store).records {
            for proof in record.proofs + record.followUps.flatMap(\.proofs) where proof.role == .email {
                guard let bytes = try store.captureBytes(digest: proof.digest) else { continue }
                let stem = String(
                    ((proof.name ?? "message") as NSString).deletingPathExtension.unicodeScalars.map {
                        $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_")
                            ? Character($0) : "_"
                    }.prefix(60))
                var name = "emails/entry-\(proof.seq)-\(stem).eml"
                var n = 2
                while used.contains(name) {
                    name = "emails/entry-\(proof.seq)-\(stem)-\(n).eml"
                    n += 1
                }
                used.insert(name)
                out.append((name, bytes))
            }
        }
        return out
    }

    /// The documents a bundle carries, as this version of temoin ships them: (path in the bundle, bytes).
    static func documents() -> [(String, Data)] {
        bundledDocuments.compactMap { target, name in
            guard let url = resource(name), let data = try? Data(contentsOf: url) else { return nil }
            return (target, data)
        }
    }

    /// Path in the bundle → resource name.
    static let bundledDocuments: [(String, String)] = [
        ("docs/FORMAT.md", "FORMAT.md"), ("docs/TRUST.md", "TRUST.md"), ("verify_reference.py", "verify_reference.py"),
        ("README.txt", "README.txt"),
    ]

    /// A failure while making the bundle: the output cannot be written (exit 7), never the store.
    static func outputError(_ error: Error, path: String) -> TemoinError {
        switch error {
        case TemoinError.storeNotWritable(_, let detail), TemoinError.storeBusy(let detail):
            return .outputUnwritable(path: path, detail: detail)
        case let error as TemoinError: return error
        case let error as DatabaseError: return .outputUnwritable(path: path, detail: error.message ?? "\(error)")
        default: return .outputUnwritable(path: path, detail: "\(error)")
        }
    }

    /// A file shipped inside temoin for bundles (Resources/bundle, copied from docs/ by `make`).
    static func resource(_ name: String) -> URL? {
        Installation.current.resource("bundle/" + name)
    }
}

/// MANIFEST.json of a bundle.
package struct BundleManifest: Codable, Sendable {
    package var format: String
    package var storeID: String
    package var head: ChainHead?
    package var exportedAt: String
    package var redacted: Bool
    package var tool: ToolInfo
    /// SHA-256 (hex) of every other file of the bundle, by path.
    package var files: [String: String]

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
