import ArgumentParser
import Foundation
import TemoinKit

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
