import ArgumentParser
import TemoinKit

struct DoctorCommand: ParsableCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("doctor", key: "DoctorCommand")
    @OptionGroup var options: StoreOutputOptions
    @Option(help: .text("DoctorCommand.url")) var url: String?
    @Option(name: .customLong("browser-path"), help: .text("DoctorCommand.browserPath", value: "path"))
    var browserPath: String?
    @Option(help: .text("DoctorCommand.cacert", value: "file.pem")) var cacert: String?

    func validate() throws {
        try validating { if let url { try URLCheck.validate(url) } }
    }

    func run() throws {
        let report = Doctor(storePath: storeOptions.path, bookingURL: url, browserPath: browserPath, caFile: cacert)
            .run()
        output.render(report) { DoctorText.lines(report) }
        if report.hasProblem { throw ExitCode(.needsFixing) }
    }
}
