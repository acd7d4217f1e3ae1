import ArgumentParser
import Foundation
import TemoinKit

/// `--tsa-cert` and the user's trust folder, shared by the commands that check seals.
struct TrustOptions: ParsableArguments {
    @Option(
        name: .customLong("tsa-cert"),
        help: ArgumentHelp(
            "A time-stamp authority's certificate (or its CA's) to trust, PEM; repeatable. Also read: the trust folder (temoin seal trust list).",
            valueName: "file.pem"))
    var tsaCerts: [String] = []

    func trust() throws -> TSATrust { try TSATrust.load(files: tsaCerts) }
}

/// `--attester-key`: volunteers' keys the person verifying recognises.
struct AttesterOptions: ParsableArguments {
    @Option(
        name: .customLong("attester-key"),
        help: ArgumentHelp("A volunteer's public key (.pub) to trust; repeatable.", valueName: "file.pub"))
    var attesterKeys: [String] = []

    func trustedKeys() throws -> [String] { try attesterKeys.map(VolunteerKey.fingerprint(publicKeyFile:)) }
}

func sealLine(_ s: SealSummary) -> String {
    let when = s.genTime.flatMap(TimeFormat.parseUTC).map(TimeFormat.parisWallTime) ?? "-"
    let state = tr("trust.state.\(s.state.rawValue)")
    return tr(
        "trust.seal.line",
        ["id": String(s.id), "seq": String(s.seq), "when": when, "tsa": s.tsaName ?? s.tsaURL, "state": state])
        + (s.detail.map { "\n      \($0)" } ?? "")
        + (s.clockOffsetMs.flatMap { abs($0) >= 2000 ? $0 : nil }.map {
            "\n      " + tr("trust.seal.clock", ["offset": String(format: "%.1f", Double($0) / 1000)])
        } ?? "")
}

func attestationLine(_ a: AttestationSummary) -> String {
    tr(
        "trust.attestation.line",
        [
            "id": String(a.id), "seq": String(a.seq), "name": a.name, "organisation": a.organisation,
            "verdict": a.verdict,
            "when": TimeFormat.parseUTC(a.attestedAt).map(TimeFormat.parisWallTime) ?? a.attestedAt,
            "state": tr("trust.state.\(a.state.rawValue)"), "key": String(a.keyFingerprint.prefix(16)),
        ]) + (a.detail.map { "\n      \($0)" } ?? "")
}

struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Have time-stamp authorities (RFC 3161) seal the current head, and manage them.",
        discussion: """
            A seal is a time-stamp token a third party signed over the head's hash: it proves the chain \
            existed, as it is, at that time. `temoin seal` asks every TSA configured for the store (or \
            those given with --tsa) and keeps each answer that verifies. See docs/TRUST.md for which TSA \
            to choose (a qualified eIDAS TSA gives a legal presumption of date).
            """,
        subcommands: [SealTake.self, SealList.self, SealExport.self, SealTSA.self, SealTrust.self],
        defaultSubcommand: SealTake.self)
}

struct SealTake: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "take", abstract: "Seal the current head now (the default).")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var trustOptions: TrustOptions

    @Option(help: ArgumentHelp("A TSA's URL; repeatable (default: the store's TSAs).", valueName: "url"))
    var tsa: [String] = []

    @Option(help: "Extra authorities to trust for the TSA's HTTPS (PEM).") var cacert: String?

    func validate() throws {
        for url in tsa where (try? URLCheck.validate(url)) == nil {
            throw ValidationError(TemoinError.invalidURL(value: url).description)
        }
    }

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path)
            var sealer = Sealer(store: store)
            sealer.transfer.caFile = cacert
            let outcomes = try sealer.seal(urls: try sealer.urls(given: tsa), trust: try trustOptions.trust())
            try printSealOutcomes(outcomes, json: output.json)
            if let failed = outcomes.first(where: { $0.seal == nil })?.error, outcomes.allSatisfy({ $0.seal == nil }) {
                throw ExitCode(failed.exitCode)
            }
        }
    }
}

struct SealOutcomeJSON: Encodable {
    let url: String
    let seal: SealSummary?
    let error: String?
}

func printSealOutcomes(_ outcomes: [Sealer.Outcome], json: Bool) throws {
    if json {
        print(
            JSONOutput.string(
                outcomes.map { SealOutcomeJSON(url: $0.url, seal: $0.seal, error: $0.error?.description) }))
        return
    }
    for o in outcomes {
        if let s = o.seal {
            print(sealLine(s))
        } else if let e = o.error {
            printError(e.description)
        }
    }
}

struct SealList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the store's seals, each checked.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var trustOptions: TrustOptions

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path, readOnly: true)
            let seals = try store.seals(trust: try trustOptions.trust())
            if output.json {
                print(JSONOutput.string(seals))
            } else if seals.isEmpty {
                print(tr("trust.seal.none"))
            } else {
                for s in seals { print(sealLine(s)) }
            }
        }
    }
}

struct SealExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one seal's response as received (.tsr) for `openssl ts -verify`.",
        discussion: "Then: openssl ts -verify -in FILE.tsr -digest HEAD_HASH -CAfile TSA_CA.pem (docs/TRUST.md).")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The seal's number (temoin seal list).") var id: Int64
    @Option(help: ArgumentHelp("Where to write the response.", valueName: "file.tsr")) var out: String

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path, readOnly: true)
            let (seq, head, response) = try store.sealResponse(id: id)
            if FileManager.default.fileExists(atPath: out) { throw TemoinError.trust(.outputExists(path: out)) }
            do { try response.write(to: URL(fileURLWithPath: out)) } catch {
                throw TemoinError.storeNotWritable(path: out, detail: error.localizedDescription)
            }
            print(tr("trust.seal.exported", ["path": out, "seq": String(seq)]))
            // A command line to copy, not a sentence: it stays as it is in every language.
            let command = "openssl ts -verify -in \(out) -digest \(head) -CAfile TSA_CA.pem"
            print(command)
        }
    }
}

struct SealTSA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsa", abstract: "The time-stamp authorities this store uses: list, add, remove.",
        subcommands: [SealTSAList.self, SealTSAAdd.self, SealTSARemove.self], defaultSubcommand: SealTSAList.self)
}

struct SealTSAList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the configured TSAs.")
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try guarded {
            let tsas = try Store.open(at: storeOptions.path, readOnly: true).tsas()
            if output.json {
                print(JSONOutput.string(tsas))
            } else if tsas.isEmpty {
                print(tr("trust.tsa.none"))
            } else {
                for t in tsas { print("\(t.url)\(t.name.map { "  (\($0))" } ?? "")") }
            }
        }
    }
}

struct SealTSAAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a TSA (its RFC 3161 URL).")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The TSA's URL, e.g. https://freetsa.org/tsr.") var url: String
    @Option(help: "A name to show for it.") var name: String?

    func validate() throws {
        if (try? URLCheck.validate(url)) == nil {
            throw ValidationError(TemoinError.invalidURL(value: url).description)
        }
    }

    func run() throws {
        try guarded {
            try Store.open(at: storeOptions.path).addTSA(url: url, name: name)
            print(tr("trust.tsa.added", ["url": url]))
        }
    }
}

struct SealTSARemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Stop using a TSA (its seals stay).")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The TSA's URL.") var url: String

    func run() throws {
        try guarded {
            let removed = try Store.open(at: storeOptions.path).removeTSA(url: url)
            print(tr(removed ? "trust.tsa.removed" : "trust.tsa.not_configured", ["url": url]))
        }
    }
}

struct SealTrust: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Trust a TSA certificate for every check on this computer (copied to the trust folder).",
        discussion:
            "The folder: $TEMOIN_TRUST_DIR, else $XDG_CONFIG_HOME/temoin/tsa-certs, else ~/.config/temoin/tsa-certs.")

    @Option(help: ArgumentHelp("The TSA's certificate or its CA's, PEM.", valueName: "file.pem")) var add: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        try guarded {
            let folder = TSATrust.defaultFolder
            if let add {
                let certs = try TSATrust.readCertificates(add)
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                let target = (folder as NSString).appendingPathComponent((add as NSString).lastPathComponent)
                if FileManager.default.fileExists(atPath: target) {
                    throw TemoinError.trust(.outputExists(path: target))
                }
                try FileManager.default.copyItem(atPath: add, toPath: target)
                for c in certs { print(tr("trust.trust.added", ["subject": c.subject.description, "folder": folder])) }
                return
            }
            let trust = try TSATrust.load(files: [])
            if output.json {
                struct Out: Encodable {
                    let folder: String
                    let certificates: [String]
                }
                print(
                    JSONOutput.string(Out(folder: folder, certificates: trust.certificates.map(\.subject.description))))
            } else {
                print(tr("trust.trust.folder", ["folder": folder]))
                for (c, source) in zip(trust.certificates, trust.sources) { print("  \(c.subject)  (\(source))") }
            }
        }
    }
}

/// `--seal auto` for `attempt` and `watch`: a seal after each attempt, never blocking it.
struct SealOptions: ParsableArguments {
    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case auto, off
    }

    @Option(
        help: ArgumentHelp(
            "auto: after each attempt, seal the head with the store's TSAs (a failed seal is reported, the attempt is kept).",
            valueName: "auto|off"))
    var seal: Mode = .off

    /// Seals after an attempt was recorded. Prints what happened; never throws.
    func sealAfterAttempt(_ store: Store, json: Bool) {
        guard seal == .auto else { return }
        do {
            let sealer = Sealer(store: store)
            let urls = try sealer.urls(given: [])
            let outcomes = try sealer.seal(urls: urls, trust: (try? TSATrust.load()) ?? TSATrust())
            for o in outcomes {
                if let s = o.seal {
                    if !json { print("  " + sealLine(s)) }
                } else if let e = o.error {
                    printError(tr("trust.seal.auto_failed", ["reason": e.description]))
                }
            }
        } catch {
            printError(tr("trust.seal.auto_failed", ["reason": "\(error)"]))
        }
    }
}
