import ArgumentParser
import TemoinKit

struct DoctorCommand: ReportingCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("doctor", key: "DoctorCommand")
    @OptionGroup var options: StoreOutputOptions
    @Option(help: .text("DoctorCommand.url")) var url: String?
    @Option(name: .customLong("browser-path"), help: .text("DoctorCommand.browserPath", value: "path"))
    var browserPath: String?
    @Option(help: .text("DoctorCommand.cacert", value: "file.pem")) var cacert: String?

    func validate() throws {
        try validating { if let url { try URLCheck.validate(url) } }
    }

    func report() throws -> Reported<DoctorReport> {
        let report = Doctor(storePath: storeOptions.path, bookingURL: url, browserPath: browserPath, caFile: cacert)
            .run()
        return Reported(report, exitStatus: report.exitStatus) { DoctorText.lines(report) }
    }
}
