import Crypto
import Foundation
import SwiftASN1
import X509

/// Options of an attempt made by a person in a browser that temoin watches.
package struct BrowserAttemptOptions: Sendable {
    /// The browser to start instead of the first one found (`--browser-path`).
    package var browserPath: String?
    /// No window: for temoin's own tests only (`TEMOIN_BROWSER_HEADLESS=1`). A person needs the window.
    package var headless = false
    /// Rules to use instead of the case's profile (`--profile-file`).
    package var ruleSet: RuleSet?
    /// A booking address to use instead of the case's, for this attempt only.
    package var bookingURL: String?
    /// Extra authorities (PEM) whose keys the browser is told to accept, e.g. a test server's certificate.
    package var caFile: String?
    /// Largest response body kept; beyond it the capture is truncated and flagged.
    package var maxBodyBytes = 20_000_000
    /// Ctrl-C: the browser is closed, its profile deleted, nothing recorded.
    package var interruption: InterruptionFlag?
    /// The person asks to record now (Enter in the terminal), whatever the page shows.
    package var recordNow: InterruptionFlag?
    /// Called on each page the tab finishes loading, with what the rules make of it (for a progress line).
    package var pageSeen: (@Sendable (_ outcome: Outcome, _ url: String) -> Void)?
    /// Tests only: called once, on another thread, with the tab, so that a test can play the person.
    var personForTests: (@Sendable (BrowserTab) -> Void)?

    package init() {}

    /// Whether `TEMOIN_BROWSER_HEADLESS=1` asks for a browser without a window (temoin's tests only).
    package static func headlessFromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        env["TEMOIN_BROWSER_HEADLESS"] == "1"
    }
}

/// The witnessed tab, handed to tests so they can act as the person (read the page, type, click).
/// The product never calls it: temoin only watches.
final class BrowserTab: Sendable {
    let connection: DevToolsConnection
    let session: String

    init(connection: DevToolsConnection, session: String) {
        self.connection = connection
        self.session = session
    }

    /// Evaluates JavaScript in the page and returns its value.
    func evaluate(_ expression: String, timeout: TimeInterval = 5) throws -> JSONValue {
        let r = try connection.send(
            "Runtime.evaluate",
            ["expression": .string(expression), "returnByValue": .bool(true), "awaitPromise": .bool(true)],
            session: session, timeout: timeout)
        return r["result"]?["value"] ?? .null
    }

    /// The browser's cookies for the current page, as `name=value` pairs.
    func cookies() throws -> [(name: String, value: String)] {
        let r = try connection.send("Network.getCookies", session: session)
        return (r["cookies"]?.array ?? []).compactMap { c in
            guard let n = c["name"]?.string, let v = c["value"]?.string else { return nil }
            return (n, v)
        }
    }
}

/// A person makes the attempt in a real browser (CAPTCHA included); temoin watches through the DevTools
/// Protocol and records one `witnessed` entry: every main-frame and XHR/fetch response, the final DOM, a
/// full-page screenshot, the navigation history, and the outcome analysed like a captured page.
///
/// The browser runs on a fresh temporary profile that is deleted in every case (recorded, error, Ctrl-C).
/// temoin never types into the page, never touches the CAPTCHA and never books.
package struct WitnessedAttemptRunner {
    package let store: Store

    package init(store: Store) {
        self.store = store
    }

    /// Outcomes that end the attempt by themselves. A CAPTCHA page is recognised too, but it is where the
    /// person's work begins, not an end.
    static let finalOutcomes: Set<Outcome> = [.noSlot, .slotAvailable, .siteError]

    package func run(options: BrowserAttemptOptions = BrowserAttemptOptions()) throws -> AttemptReport {
        var fields = try store.caseRecord().fields
        if let url = options.bookingURL { fields.bookingURL = url }
        guard !fields.bookingURL.isEmpty else { throw TemoinError.emptyValue(field: "booking_url") }
        try URLCheck.validate(fields.bookingURL)
        let ruleSet = try options.ruleSet ?? RuleSet.named(fields.profile, url: fields.bookingURL)
        let executable = try BrowserLocator.locate(explicitPath: options.browserPath)
        let trusted = try options.caFile.map(TrustedKeys.spkiHashes) ?? []

        let browser = try BrowserProcess.launch(
            executable: executable, headless: options.headless, trustedSPKI: trusted)
        defer { browser.close() }
        let witness = BrowserWitness(
            connection: browser.connection, analyzer: PageAnalyzer(ruleSet: ruleSet), options: options)
        let seen: WitnessedPages
        do {
            seen = try witness.watch(url: fields.bookingURL)
        } catch let error as DevToolsFailure {
            if witness.started, browser.connection.isClosed { throw TemoinError.browserClosed }
            throw TemoinError.browserFailed(detail: "\(Self.withoutHome(executable)): \(error.description)")
        } catch TemoinError.browserClosed where !witness.started {
            throw TemoinError.browserFailed(detail: "\(Self.withoutHome(executable)) stopped at once")
        }
        // Everything is in memory: close the browser and delete its profile before writing.
        browser.close()
        if options.interruption?.isRaised == true { throw TemoinError.interrupted }

        let outcome: Outcome
        let message: String?
        let description: String?
        if let failure = seen.failure {
            outcome = failure.kind == "too_many_redirects" ? .siteError : .unreachable
            message = nil
            description = tr("attempt.failure.\(failure.kind)", ["detail": failure.message])
        } else {
            outcome = seen.analysis.outcome
            message = seen.analysis.message
            description = seen.analysis.description
        }
        let visibility = seen.failure == nil ? seen.analysis.visibility : nil
        var facts = seen.facts
        facts.executable = Self.withoutHome(executable)
        let environment = EnvironmentFacts(
            tool: "\(Temoin.name) \(Temoin.version)", os: EnvironmentProbe.operatingSystem,
            userAgent: seen.userAgent, proxy: EnvironmentProbe.proxy(for: fields.bookingURL), freshSession: true,
            clockOffsetMs: seen.exchanges.last(where: { $0.clockOffsetMs != nil })?.clockOffsetMs)
        let steps = [
            "open \(fields.bookingURL) in \(seen.facts.product) (fresh temporary profile)",
            "the person browsed \(seen.facts.navigation.count) page(s)",
            seen.facts.endedBy == "outcome" ? "record: outcome recognised" : "record: the person pressed Enter",
        ]
        let entry = try store.append(type: .attempt, captures: seen.captures) { body in
            body.provenance = .witnessed
            body.observedAt = seen.observedAt
            body.timeBasis = .witnessed
            body.url = seen.finalURL
            body.outcome = outcome
            body.rule = seen.failure == nil ? seen.analysis.rule : nil
            body.message = message
            body.description = description
            body.visibility = visibility
            body.setAside = seen.failure == nil && !seen.analysis.setAside.isEmpty ? seen.analysis.setAside : nil
            body.title = seen.analysis.title
            body.profile = ruleSet.id
            body.facts = seen.analysis.facts.isEmpty || seen.failure != nil ? nil : seen.analysis.facts
            body.exchanges = seen.exchanges
            body.environment = environment
            body.steps = steps
            body.browser = facts
        }
        store.checkpoint()  // `watch` keeps the store open between attempts (Store.checkpoint)
        return AttemptReport(
            entry: entry, outcome: outcome, message: message, description: description, visibility: visibility,
            finalURL: seen.finalURL, failure: seen.failure, exchanges: seen.exchanges.count)
    }

    static func withoutHome(_ path: String, home: String = NSHomeDirectory()) -> String {
        guard !home.isEmpty, home != "/", path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }
}

/// The keys of the certificates in a PEM file, as Chromium's `--ignore-certificate-errors-spki-list`
/// wants them: base64 of the SHA-256 of each SubjectPublicKeyInfo.
enum TrustedKeys {
    static func spkiHashes(pemFile path: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TemoinError.fileUnreadable(path: path, detail: "not a readable PEM file")
        }
        let hashes: [String]
        do {
            hashes = try PEMDocument.parseMultiple(pemString: text).filter { $0.discriminator == "CERTIFICATE" }.map {
                let certificate = try Certificate(derEncoded: $0.derBytes)
                var serializer = DER.Serializer()
                try serializer.serialize(certificate.publicKey)
                return Data(SHA256.hash(data: serializer.serializedBytes)).base64EncodedString()
            }
        } catch {
            throw TemoinError.fileUnreadable(path: path, detail: "not a PEM certificate (\(error))")
        }
        if hashes.isEmpty { throw TemoinError.fileUnreadable(path: path, detail: "no PEM certificate in it") }
        return hashes
    }
}

/// What the witness saw, ready to be recorded.
struct WitnessedPages {
    var exchanges: [HTTPExchange]
    var captures: [PendingCapture]
    var analysis: PageAnalysis
    var failure: NetworkFailure?
    var finalURL: String
    var observedAt: String
    var userAgent: String
    var facts: BrowserFacts
}
