import ArgumentParser
import Foundation
import TemoinKit

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
