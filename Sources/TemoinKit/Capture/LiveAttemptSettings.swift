import Foundation

/// How `attempt` and `watch` make a live attempt, from their options as plain values: by temoin through
/// libcurl, or witnessed in the person's own browser (`--browser`), which temoin watches.
package struct LiveAttemptSettings: Sendable {
    /// Rules to use instead of the case's profile (`--profile-file`).
    package var profileFile: String?
    /// A booking address to use instead of the case's (`--url`).
    package var bookingURL: String?
    package var userAgent: String?
    /// Seconds a transfer may take.
    package var timeout: Int
    package var maxBodyBytes: Int
    package var caFile: String?
    /// Witnessed in a browser rather than made by temoin.
    package var browser: Bool
    package var browserPath: String?

    package init(
        profileFile: String?, bookingURL: String?, userAgent: String?, timeout: Int, maxBodyBytes: Int,
        caFile: String?, browser: Bool, browserPath: String?
    ) {
        self.profileFile = profileFile
        self.bookingURL = bookingURL
        self.userAgent = userAgent
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        self.caFile = caFile
        self.browser = browser
        self.browserPath = browserPath
    }

    /// What `attempt` and `watch` check before anything: a size that means something, a timeout of 1 to
    /// 600 seconds, an address that can be fetched.
    package static func check(timeout: Int, maxSize: ByteLimit, url: String?) throws {
        _ = try maxSize.value()
        if timeout < 1 || timeout > 600 { throw TemoinError.invalidTimeout }
        if let url { try URLCheck.validate(url) }
    }

    /// An attempt made by temoin, stopped by `stop`.
    package func attemptOptions(stop: StopFlag) throws -> AttemptOptions {
        var o = AttemptOptions()
        if let profileFile { o.ruleSet = try RuleSet.load(url: URL(fileURLWithPath: profileFile)) }
        if let userAgent { o.transfer.userAgent = userAgent }
        o.transfer.timeout = timeout
        o.transfer.maxBodyBytes = maxBodyBytes
        o.transfer.caFile = caFile
        o.interruption = stop
        o.bookingURL = bookingURL
        return o
    }

    /// An attempt witnessed in the browser: `recordNow` records it when raised (Enter; the terminal's
    /// lines are read only for a witnessed attempt), `pageSeen` is told each page the person reaches.
    package func browserOptions(
        stop: StopFlag, recordNow: InterruptionFlag?,
        pageSeen: @escaping @Sendable (_ outcome: Outcome, _ url: String) -> Void
    ) throws -> BrowserAttemptOptions {
        var o = BrowserAttemptOptions()
        o.browserPath = browserPath
        // Headless is for temoin's own tests only (documented in docs/DESIGN.md): a person needs the window.
        o.headless = BrowserAttemptOptions.headlessFromEnvironment()
        if let profileFile { o.ruleSet = try RuleSet.load(url: URL(fileURLWithPath: profileFile)) }
        o.bookingURL = bookingURL
        o.caFile = caFile
        o.maxBodyBytes = maxBodyBytes
        o.interruption = stop
        o.recordNow = recordNow
        o.pageSeen = pageSeen
        return o
    }

    /// Makes one attempt each time it is called, by temoin or in the browser as asked, sealed just
    /// before when `sealing` is given (once the person is ready, for a witnessed one). The options are
    /// read once, here: a wrong profile file is said before the first attempt.
    package func attempts(
        store: Store, sealing: AttemptSealing?, stop: StopFlag, recordNow: InterruptionFlag?,
        pageSeen: @escaping @Sendable (_ outcome: Outcome, _ url: String) -> Void
    ) throws -> () throws -> AttemptReport {
        guard browser else {
            let options = try attemptOptions(stop: stop)
            return {
                sealing?.before()
                return try AttemptRunner(store: store).run(options: options)
            }
        }
        let options = try browserOptions(stop: stop, recordNow: recordNow, pageSeen: pageSeen)
        return {
            sealing?.before()
            return try WitnessedAttemptRunner(store: store).run(options: options)
        }
    }

    /// The address the browser opens: `--url`, else the case's.
    package func openedURL(store: Store) throws -> String {
        try bookingURL ?? store.caseRecord().fields.bookingURL
    }
}
