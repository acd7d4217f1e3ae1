import ArgumentParser
import Foundation
import TemoinKit

/// Options of live attempts, shared by `attempt` and `watch`.
struct CaptureOptions: ParsableArguments {
    @Option(name: .customLong("profile-file"), help: .text("CaptureOptions.profileFile", value: "file.json"))
    var profileFile: String?

    @Option(help: .text("CaptureOptions.url")) var url: String?

    @Option(name: .customLong("user-agent"), help: .text("CaptureOptions.userAgent")) var userAgent: String?

    @Option(help: .text("CaptureOptions.timeout")) var timeout: Int = 60

    @Option(name: .customLong("max-size"), help: .text("CaptureOptions.maxSize")) var maxSize: String = "20MB"

    @Option(help: .text("CaptureOptions.cacert", value: "file.pem")) var cacert: String?

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
