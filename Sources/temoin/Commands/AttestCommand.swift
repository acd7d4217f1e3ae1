import ArgumentParser
import Foundation
import TemoinKit

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
        do {
            try FieldText.checkLine(name, field: "name")
            try FieldText.checkLine(organisation, field: "organisation")
        } catch let error as TemoinError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let cleanup = installCleanupHandlers()
        defer { for handler in cleanup { handler.cancel() } }
        try guarded {
            let path = file ?? storeOptions.path
            var cleanup: URL?
            defer { if let cleanup { BundleReader.discard(cleanup) } }
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
            try OutputFile.create(target, data: try attestation.encoded())
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
