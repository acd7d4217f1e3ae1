import ArgumentParser
import TemoinKit

/// Options of live attempts, shared by `attempt` and `watch`.
struct CaptureOptions: ParsableArguments {
    @Option(name: .customLong("profile-file"), help: .text("CaptureOptions.profileFile", value: "file.json"))
    var profileFile: String?
    @Option(help: .text("CaptureOptions.url")) var url: String?
    @Option(name: .customLong("user-agent"), help: .text("CaptureOptions.userAgent")) var userAgent: String?
    @Option(help: .text("CaptureOptions.timeout")) var timeout: Int = 60
    @Option(name: .customLong("max-size"), help: .text("CaptureOptions.maxSize")) var maxSize = ByteLimit("20MB")
    @Option(help: .text("CaptureOptions.cacert", value: "file.pem")) var cacert: String?

    func validate() throws {
        try validating { try LiveAttemptSettings.check(timeout: timeout, maxSize: maxSize, url: url) }
    }

    /// The attempt as TemoinKit makes it, by temoin or (`browser`) in the browser.
    func settings(_ browser: BrowserOptions) throws -> LiveAttemptSettings {
        LiveAttemptSettings(
            profileFile: profileFile, bookingURL: url, userAgent: userAgent, timeout: timeout,
            maxBodyBytes: Int(try maxSize.value()), caFile: cacert, browser: browser.enabled, browserPath: browser.path)
    }
}
