import ArgumentParser
import Foundation
import TemoinKit

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "A volunteer's signing key (Ed25519) for attestations.",
        subcommands: [KeyNew.self])
}

struct KeyNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Make a new Ed25519 key: FILE (private, mode 0600) and FILE.pub (public, to publish).",
        discussion: """
            Keep the private key to yourself. Publish the fingerprint printed here (on your association's \
            site, in your emails) so that others can recognise your attestations.
            """)

    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("Where to write the private key.", valueName: "file")) var out: String =
        "temoin-volunteer.key"

    func run() throws {
        try guarded {
            let key = VolunteerKey.generate()
            try key.write(to: out)
            if output.json {
                struct Out: Encodable {
                    let private_key: String
                    let public_key: String
                    let fingerprint: String
                }
                print(JSONOutput.string(Out(private_key: out, public_key: out + ".pub", fingerprint: key.fingerprint)))
            } else {
                print(tr("trust.key.created", ["path": out, "pub": out + ".pub"]))
                print(tr("trust.key.fingerprint", ["fingerprint": key.fingerprint]))
            }
        }
    }
}

struct AttestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Verify a store and sign what you found: an attestation the applicant attaches to the store.",
        discussion: """
            Signs (Ed25519) a statement holding the store's identity, the head you verified (seq and \
            hash), the time, your name and organisation, and the verdict. Give the file written to the \
            applicant or the lawyer: `temoin attestation add FILE` attaches it to the store, and \
            `temoin verify` checks it from then on. The format is in docs/FORMAT.md §7.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The store to verify (default: --store, $TEMOIN_STORE).", valueName: "store"))
    var file: String?
    @Option(help: ArgumentHelp("Your private key (temoin key new).", valueName: "file")) var key: String
    @Option(help: "Your name, as it should appear in the dossier.") var name: String
    @Option(help: "Your association or organisation.") var organisation: String
    @Option(help: ArgumentHelp("Where to write the attestation.", valueName: "file.json")) var out: String?
    @OptionGroup var trustOptions: TrustOptions

    func validate() throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(TemoinError.emptyValue(field: "name").description)
        }
        if organisation.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(TemoinError.emptyValue(field: "organisation").description)
        }
    }

    func run() throws {
        try guarded {
            let path = file ?? storeOptions.path
            var cleanup: URL?
            defer { if let cleanup { try? FileManager.default.removeItem(at: cleanup) } }
            var storePath = path
            if BundleReader.isBundle(path) {
                let folder = try BundleReader().extract(path)
                cleanup = folder
                storePath = folder.appendingPathComponent("store.sqlite").path
            }
            let signer = try VolunteerKey.read(path: key)
            let (attestation, statement, report) = try signer.attest(
                storePath: storePath, name: name, organisation: organisation, trust: try trustOptions.trust())
            let target = out ?? "attestation-\(statement.storeID.prefix(8))-\(statement.seq).json"
            if FileManager.default.fileExists(atPath: target) { throw TemoinError.trust(.outputExists(path: target)) }
            do { try attestation.encoded().write(to: URL(fileURLWithPath: target)) } catch {
                throw TemoinError.storeNotWritable(path: target, detail: error.localizedDescription)
            }
            if output.json {
                struct Out: Encodable {
                    let file: String
                    let store_id: String
                    let seq: Int64
                    let head: String
                    let verdict: String
                    let fingerprint: String
                }
                print(
                    JSONOutput.string(
                        Out(
                            file: target, store_id: statement.storeID, seq: statement.seq, head: statement.head,
                            verdict: statement.verdict, fingerprint: signer.fingerprint)))
            } else {
                print(report.verdict == .intact ? tr("verify.intact") : tr("verify.tampered"))
                if let head = report.head { print(tr("common.head", ["head": head.display])) }
                print(tr("trust.attest.written", ["path": target]))
            }
        }
    }
}

struct AttestationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attestation", abstract: "Attestations signed by volunteers: attach them, list them.",
        subcommands: [AttestationAdd.self, AttestationList.self], defaultSubcommand: AttestationList.self)
}

struct AttestationAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Attach attestation files to the store (each is checked first).")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("Attestation files from `temoin attest`.", valueName: "file")) var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError(tr("import.no_files")) }
    }

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path)
            for path in files {
                let added = try store.addAttestation(try AttestationFile.read(path: path), path: path)
                if !output.json {
                    print(tr(added ? "trust.attestation.added" : "trust.attestation.already", ["path": path]))
                }
            }
            if output.json { print(JSONOutput.string(try store.attestations())) }
        }
    }
}

struct AttestationList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the attestations attached to the store, each checked.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var attesterOptions: AttesterOptions

    func run() throws {
        try guarded {
            let list = try Store.open(at: storeOptions.path, readOnly: true).attestations(
                trustedKeys: try attesterOptions.trustedKeys())
            if output.json {
                print(JSONOutput.string(list))
            } else if list.isEmpty {
                print(tr("trust.attestation.none"))
            } else {
                for a in list { print(attestationLine(a)) }
            }
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a verifiable bundle (.zip) or a web archive (.warc.gz).",
        discussion: """
            --out FILE.zip: the store (a consistent snapshot), its seals (.tsr) and attestations, \
            docs/FORMAT.md, docs/TRUST.md, the reference verifier and a README for whoever receives it. \
            `temoin verify FILE.zip` checks it. --redact withholds every capture's bytes in the copy \
            (digests kept: the chain still verifies, captures are reported as withheld).

            --warc FILE.warc.gz: WARC/1.1 request and response records rebuilt from the recorded \
            exchanges, and resource records for imported pages, for archivists' tools (warcio, pywb).
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("The bundle to write.", valueName: "file.zip")) var out: String?
    @Flag(help: "Withhold capture bytes in the bundle (digests kept).") var redact = false
    @Option(help: ArgumentHelp("The WARC file to write.", valueName: "file.warc.gz")) var warc: String?

    func validate() throws {
        if out == nil && warc == nil { throw ValidationError(tr("trust.export.what")) }
        if redact && out == nil { throw ValidationError(tr("trust.export.redact_zip")) }
    }

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path, readOnly: true)
            struct Out: Encodable {
                var bundle: BundleExporter.Result?
                var warc: WARCExporter.Result?
            }
            var result = Out()
            if let out {
                result.bundle = try BundleExporter(store: store).export(to: out, redact: redact)
                if !output.json {
                    print(tr("trust.export.bundle", ["path": out, "files": String(result.bundle!.files.count)]))
                    if redact {
                        print(tr("trust.export.redacted", ["count": String(result.bundle!.withheldCaptures)]))
                    }
                }
            }
            if let warc {
                let r = try WARCExporter(store: store).export(to: warc)
                result.warc = r
                if !output.json {
                    print(
                        tr(
                            "trust.export.warc",
                            [
                                "path": warc, "records": String(r.records), "responses": String(r.responses),
                                "resources": String(r.resources),
                            ]))
                    if r.withheld > 0 { print(tr("trust.export.warc_withheld", ["count": String(r.withheld)])) }
                }
            }
            if output.json { print(JSONOutput.string(result)) }
        }
    }
}
