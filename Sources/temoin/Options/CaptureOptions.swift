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

    /// The attempt as TemoinKit makes it, by temoin or (`browser`) in the browser.
    func settings(_ browser: BrowserOptions) -> LiveAttemptSettings {
        LiveAttemptSettings(
            profileFile: profileFile, bookingURL: url, userAgent: userAgent, timeout: timeout,
            maxBodyBytes: Int(ByteCount.parse(maxSize) ?? 0), caFile: cacert, browser: browser.enabled,
            browserPath: browser.path)
    }
}
