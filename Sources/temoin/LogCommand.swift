import ArgumentParser
import Foundation
import TemoinKit

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List the entries: time (Paris), provenance, outcome, message.",
        discussion: "Times are shown in Europe/Paris; --json adds UTC, URL, capture digests and entry hashes.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Only attempts (leave out case entries).") var attemptsOnly = false
    @Flag(help: "One line per entry (leave out UTC time, URL, digests).") var short = false

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path, readOnly: true)
            var views = try store.entries().map { EntryView($0) }
            if attemptsOnly { views = views.filter { $0.type == EntryType.attempt.rawValue } }
            if output.json {
                print(JSONOutput.string(views))
                return
            }
            print(tr("log.header"))
            for v in views {
                print(v.logLine)
                if !short, let detail = v.logDetailLine { print(detail) }
            }
            if let head = try store.head() { print(tr("common.head", ["head": head.display])) }
        }
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one entry in full: times, URL, provenance, outcome, message, captures, hash.",
        discussion:
            "With --capture ROLE, writes that capture's raw bytes (e.g. the page as received) to standard output.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The entry's number (seq).") var seq: Int64
    @Option(
        help: ArgumentHelp(
            "Write the raw bytes of this capture (page, saved_file...) to standard output.", valueName: "role"))
    var capture: String?

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path, readOnly: true)
            let entry = try store.entry(seq: seq)
            if let role = capture {
                guard let ref = entry.body?.captures?.first(where: { $0.role == role || $0.name == role }) else {
                    throw ValidationError(tr("show.no_capture", ["role": role, "seq": String(seq)]))
                }
                guard let bytes = try store.captureBytes(digest: ref.digest) else {
                    throw ValidationError(tr("show.capture_withheld", ["digest": ref.digest]))
                }
                FileHandle.standardOutput.write(bytes)
                return
            }
            let view = EntryView(entry, includeBody: output.json)
            print(output.json ? JSONOutput.string(view) : view.detail)
        }
    }
}

struct WithholdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withhold",
        abstract: "Remove a capture's bytes for privacy, keeping its digest: the chain still verifies.",
        discussion: """
            The bytes are overwritten in the store file; `temoin verify` then reports the capture as
            withheld, which is not tampering. Give the entry's seq (all its captures) or a digest.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "An entry's seq, or a capture's SHA-256 digest.") var target: String
    @Option(help: "Why (kept with the capture).") var reason: String?

    func run() throws {
        try guarded {
            let store = try Store.open(at: storeOptions.path)
            var digests: [String] = []
            if let seq = Int64(target) {
                digests = try store.entry(seq: seq).body?.captures?.map(\.digest) ?? []
            } else {
                digests = [target.lowercased().replacingOccurrences(of: "sha256:", with: "")]
            }
            for d in digests { try store.withhold(digest: d, reason: reason) }
            if output.json {
                struct Out: Encodable { let withheld: [String] }
                print(JSONOutput.string(Out(withheld: digests)))
            } else {
                for d in digests { print(tr("withhold.done", ["digest": d])) }
            }
        }
    }
}
