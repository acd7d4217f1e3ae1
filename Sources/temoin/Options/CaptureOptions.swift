import ArgumentParser
import Foundation
import TemoinKit

/// Options of live attempts, shared by `attempt` and `watch`.
struct CaptureOptions: ParsableArguments {
    @Option(
        name: .customLong("profile-file"),
        help: ArgumentHelp(
            "Profile (steps and rules) to use instead of the case's (docs/PROFILES.md).", valueName: "file.json"))
    var profileFile: String?

    @Option(help: "A booking address to use instead of the case's, for these attempts only.") var url: String?

    @Option(name: .customLong("user-agent"), help: "User-Agent to send (default: temoin/<version>, honest).")
    var userAgent: String?

    @Option(help: "Seconds before an unanswered attempt is recorded as a timeout.") var timeout: Int = 60

    @Option(
        name: .customLong("max-size"),
        help: "Largest response body kept; beyond it the capture is truncated and flagged.")
    var maxSize: String = "20MB"

    @Option(
        help: ArgumentHelp("Extra authorities to trust (PEM), e.g. a test server's certificate.", valueName: "file.pem")
    )
    var cacert: String?

    func validate() throws {
        if ByteCount.parse(maxSize) == nil { throw ValidationError(tr("import.bad_max_size", ["value": maxSize])) }
        if timeout < 1 || timeout > 600 { throw ValidationError(tr("attempt.bad_timeout")) }
        if let url, (try? URLCheck.validate(url)) == nil {
            throw ValidationError(TemoinError.invalidURL(value: url).description)
        }
    }

    func options(stop: StopFlag) throws -> AttemptOptions {
        var o = AttemptOptions()
        if let profileFile { o.ruleSet = try RuleSet.load(url: URL(fileURLWithPath: profileFile)) }
        if let userAgent { o.transfer.userAgent = userAgent }
        o.transfer.timeout = timeout
        o.transfer.maxBodyBytes = Int(ByteCount.parse(maxSize)!)
        o.transfer.caFile = cacert
        o.interruption = stop
        o.bookingURL = url
        return o
    }
}
