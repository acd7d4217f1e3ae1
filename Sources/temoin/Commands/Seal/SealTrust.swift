import ArgumentParser
import TemoinKit

struct SealTrust: GuardedCommand {
    static let configuration = CommandConfiguration.text("trust", key: "SealTrust")
    @Option(help: .text("SealTrust.add", value: "file.pem")) var add: String?
    @OptionGroup var output: OutputOptions

    func execute() throws {
        let folder = TrustFolder()
        if let add {
            for line in TrustFolderReport.added(try folder.add(add), folder: folder.path) { print(line) }
            return
        }
        let report = TrustFolderReport(try folder.list())
        try output.render(Reported(report) { report.lines })
    }
}
