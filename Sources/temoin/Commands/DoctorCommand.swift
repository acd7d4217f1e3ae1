import ArgumentParser
import Foundation
import TemoinKit

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("doctor", key: "DoctorCommand")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: .text("DoctorCommand.url")) var url: String?
    @Option(name: .customLong("browser-path"), help: .text("DoctorCommand.browserPath", value: "path"))
    var browserPath: String?
    @Option(help: .text("DoctorCommand.cacert", value: "file.pem")) var cacert: String?

    func validate() throws {
        if let url, (try? URLCheck.validate(url)) == nil {
            throw ValidationError(TemoinError.invalidURL(value: url).description)
        }
    }

    func run() throws {
        var doctor = Doctor(storePath: storeOptions.path)
        doctor.bookingURL = url
        doctor.browserPath = browserPath
        doctor.caFile = cacert
        let report = doctor.run()
        output.render(report) { DoctorText.lines(report) }
        if report.hasProblem { throw ExitCode(.needsFixing) }
    }
}
