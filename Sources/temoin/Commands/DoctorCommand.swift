import ArgumentParser
import Foundation
import TemoinKit

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what an attempt needs on this computer, and say what to fix.",
        discussion: """
            Looks at: temoin's own files, the store (can it be written?), free space beside it, the \
            list of certificate authorities, the booking site (one request, as an attempt's first step, \
            not recorded), the computer's clock against the site's, a browser for sites with a CAPTCHA, \
            and the time-stamp authorities of the store (one time stamp each over a random value, not \
            kept). It writes nothing. Exit status 1 when something must be fixed before attempts.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "A booking address to try instead of the case's.") var url: String?
    @Option(
        name: .customLong("browser-path"),
        help: ArgumentHelp("The browser to look for, instead of the first one found.", valueName: "path"))
    var browserPath: String?
    @Option(help: ArgumentHelp("Extra authorities to trust (PEM), e.g. a test server's.", valueName: "file.pem"))
    var cacert: String?

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
        if output.json {
            print(JSONOutput.string(report))
        } else {
            for c in report.checks { print(doctorLines(c)) }
            print("")
            print(tr(report.hasProblem ? "doctor.summary.problem" : "doctor.summary.ok"))
        }
        if report.hasProblem { throw ExitCode(.needsFixing) }
    }
}

/// A check as a person reads it: a mark, what was found, and on the next line what to do.
func doctorLines(_ c: DoctorCheck) -> String {
    let mark = tr("doctor.mark.\(c.status.rawValue)")
    let kind = tr("doctor.kind.\(c.kind.rawValue)")
    var text = "\(mark) \(kind): \(c.finding)"
    if let fix = c.fix, c.status != .ok { text += "\n    → " + fix }
    return text
}
