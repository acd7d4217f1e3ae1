import Foundation
import TestSupport
import Testing

@testable import TemoinKit
@testable import TemoinSimulator

/// The suites that start a browser run one at a time: each checks that no temporary profile is left in
/// the shared temporary folder, which another suite's browser would otherwise fill or empty meanwhile.
@Suite(.serialized) enum BrowserSuites {}

extension BrowserSuites {
    /// Witnessed attempts: Debian's chromium, headless, driven through the product's own code against the
    /// simulated prefecture. The test plays the person: it clicks, reads the CAPTCHA code through the
    /// simulator's test-only hook (never from the image) and types it, all from test code.
    @Suite(.serialized) struct BrowserTests {
        static let chromium = "/usr/bin/chromium"
        static var hasChromium: Bool { FileManager.default.isExecutableFile(atPath: chromium) }

        /// Temporary browser profiles present now (they must all be gone after each attempt).
        static func profiles() -> Set<String> {
            let tmp = NSTemporaryDirectory()
            let names = (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []
            return Set(names.filter { $0.hasPrefix("temoin-browser-") })
        }

        /// What the person does, step by step; each step waits (bounded) for the page it needs.
        final class Person: @unchecked Sendable {
            let done = StopFlag()
            private(set) var problems: [String] = []
            private(set) var typedCode: String?

            func waitFor(_ tab: BrowserTab, _ condition: String, seconds: Double = 30) -> Bool {
                let deadline = Date().addingTimeInterval(seconds)
                while Date() < deadline {
                    if (try? tab.evaluate(condition))?.bool == true { return true }
                    usleep(100_000)
                }
                problems.append("timed out waiting for \(condition)")
                return false
            }

            /// The CAPTCHA code of the browser's session, from the simulator's test hook, with its cookies.
            func captchaCode(_ tab: BrowserTab, base: String) -> String? {
                let cookies = ((try? tab.cookies()) ?? []).map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
                let r = try? run("/usr/bin/curl", ["-sk", "-H", "Cookie: \(cookies)", base + "/_test/captcha-code"])
                guard let code = r?.stdout.trimmingCharacters(in: .whitespacesAndNewlines), code.count == 6 else {
                    problems.append("no CAPTCHA code from the test hook: \(r?.stdout ?? "")")
                    return nil
                }
                return code
            }

            /// Opens the procedure page, follows "Prendre un rendez-vous", optionally makes a fetch as a page
            /// script would, and types the CAPTCHA code.
            func solve(_ tab: BrowserTab, base: String, fetch: Bool) {
                // Clicks as soon as the link exists, before the page may have finished loading: no body may
                // be lost for that.
                guard waitFor(tab, "!!document.querySelector('#bouton-prendre-rdv')") else { return }
                _ = try? tab.evaluate("document.querySelector('#bouton-prendre-rdv').click(); true")
                guard
                    waitFor(
                        tab,
                        "!!document.querySelector('input[name=captchaUsercode]') && document.readyState == 'complete'")
                else { return }
                if fetch {
                    _ = try? tab.evaluate("fetch(location.origin + '/').then(r => r.status)")
                }
                guard let code = captchaCode(tab, base: base) else { return }
                typedCode = code
                _ = try? tab.evaluate(
                    """
                    document.querySelector('input[name=captchaUsercode]').value = '\(code)';
                    document.querySelector('#form-cgu').requestSubmit(); true
                    """)
            }
        }

        func witnessedStore(_ url: String) throws -> Store { try attemptStore(url) }

        @Test(.enabled(if: hasChromium))
        func aPersonSolvesTheCaptchaOverHTTPSAndTheNoSlotPageIsRecordedWithEverything() async throws {
            try await withSimulator(.noSlot, https: true) { sim in
                let base = try #require(sim.httpsBaseURL)
                let dir = TempDir()
                let pem = dir.write("simulator.pem", sim.certificatePEM)
                let store = try witnessedStore(base + "/rdvpref/reservation/demarche/4567/")
                let before = Self.profiles()
                let person = Person()
                var options = BrowserAttemptOptions()
                options.browserPath = Self.chromium
                options.headless = true
                options.caFile = pem
                options.recordNow = person.done
                options.personForTests = { tab in
                    person.solve(tab, base: base, fetch: true)
                    // Safety net: if the outcome is never recognised, record anyway so the test ends.
                    if !person.problems.isEmpty { person.done.raise() }
                }
                let report = try WitnessedAttemptRunner(store: store).run(options: options)
                #expect(person.problems.isEmpty, "\(person.problems)")
                #expect(Self.profiles() == before, "the temporary profile must be deleted")
                #expect(report.outcome == .noSlot)
                #expect(report.message?.contains("Aucun créneau disponible") == true)
                // The browser's wall time and the simulator's Date headers agree: the time is corroborated.
                let time = try TimeCorroboration.check(store: store, appended: report.entry)
                #expect(time?.verdict == .corroborated && time?.byServer == true && (time?.datedExchanges ?? 0) > 0)

                let body = try #require(report.entry.body)
                #expect(body.provenance == .witnessed && body.timeBasis == .witnessed)
                #expect(body.rule?.hasPrefix("rdv-prefecture/rdv-no-slot") == true)
                #expect(body.url?.hasSuffix("/creneau/") == true)
                let browser = try #require(body.browser)
                #expect(browser.endedBy == "outcome" && browser.freshProfile && browser.headless == true)
                #expect(browser.product.hasPrefix("Chrome/") || browser.product.hasPrefix("HeadlessChrome/"))
                #expect(browser.navigation.map(\.url).last?.hasSuffix("/creneau/") == true)
                #expect(browser.navigation.contains { $0.url.hasSuffix("/cgu/") })

                // Every main-frame response, redirects as exchanges of their own, and the page's fetch.
                let exchanges = try #require(body.exchanges)
                let documents = exchanges.filter { $0.resourceType == "document" }
                #expect(documents.map(\.method) == ["GET", "GET", "POST", "GET"])
                #expect(documents.map(\.status) == [200, 200, 302, 200])
                #expect(documents[2].redirectTo?.hasSuffix("/creneau/") == true)
                let fetches = exchanges.filter { $0.resourceType == "fetch" }
                #expect(fetches.count == 1 && fetches.first?.status == 200)
                for e in exchanges where e.status != nil {
                    #expect(e.remoteIP == "127.0.0.1")
                    #expect(e.remotePort == sim.httpsPort)
                    #expect(e.httpVersion == "HTTP/1.1")
                    #expect(e.serverDate != nil)
                    let tls = try #require(e.tls)
                    #expect(tls.version?.hasPrefix("TLSv1.") == true)
                    #expect(tls.cipher?.isEmpty == false)
                    #expect(tls.certificateTransparency != nil)
                    let leaf = try #require(tls.certificates.first)
                    #expect(leaf.sha256 == sim.certificateSHA256)
                    #expect(leaf.subject.contains("127.0.0.1") || leaf.san?.contains("127.0.0.1") == true)
                    #expect(leaf.notBefore != nil && leaf.notAfter != nil)
                }
                // The session cookie is hidden behind its digest, in both directions.
                #expect(
                    exchanges.contains { e in
                        e.requestHeaders.contains { $0.name.lowercased() == "cookie" && $0.value.hasPrefix("sha256:") }
                    })
                #expect(
                    !exchanges.contains { e in
                        (e.responseHeaders ?? []).contains {
                            $0.name.lowercased() == "set-cookie" && !$0.value.contains("=sha256:")
                        }
                    })
                // Bodies are captures, and the typed code is in the submitted form (the person's own input).
                let captures = body.captures ?? []
                let digests = Set(captures.map(\.digest))
                for e in documents where e.status == 200 { #expect(e.responseBody.map(digests.contains) == true) }
                let form = try #require(documents[2].requestBody.flatMap { try? store.captureBytes(digest: $0) })
                #expect(String(decoding: form, as: UTF8.self).contains("captchaUsercode=\(person.typedCode ?? "?")"))

                // The final DOM and a full-page PNG screenshot.
                let page = try #require(captures.last { $0.role == "page" })
                let dom = String(decoding: try #require(try store.captureBytes(digest: page.digest)), as: UTF8.self)
                #expect(dom.hasPrefix("<!DOCTYPE html>"))
                #expect(dom.contains("Aucun créneau disponible"))
                let shot = try #require(report.entry.screenshot)
                #expect(shot.mediaType == "image/png" && shot.role == "screenshot")
                let png = try #require(try store.captureBytes(digest: shot.digest))
                #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
                let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
                let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
                #expect(width == browser.screenshotWidth && height == browser.screenshotHeight)
                #expect(width >= 800 && height >= 600)

                // Both verifiers accept the entry and every capture it references.
                #expect(try Verifier().verify(path: store.path).verdict == .intact)
                let (status, json) = try referenceVerify(store.path)
                #expect(status == 0 && json["verdict"] as? String == "intact")
            }
        }

        @Test(.enabled(if: hasChromium))
        func slotsShownAfterTheCaptchaAreRecordedAsASlot() async throws {
            try await withSimulator(.slotAvailable) { sim in
                let store = try witnessedStore(sim.baseURL + "/rdvpref/reservation/demarche/4567/")
                let person = Person()
                var options = BrowserAttemptOptions()
                options.browserPath = Self.chromium
                options.headless = true
                options.recordNow = person.done
                let seen = SeenPages()
                options.pageSeen = { outcome, _ in seen.add(outcome) }
                options.personForTests = { tab in
                    person.solve(tab, base: sim.baseURL, fetch: false)
                    if !person.problems.isEmpty { person.done.raise() }
                }
                let report = try WitnessedAttemptRunner(store: store).run(options: options)
                #expect(person.problems.isEmpty, "\(person.problems)")
                #expect(report.outcome == .slotAvailable)
                #expect(report.entry.body?.facts?.slotsListed == 3)
                #expect(report.entry.body?.exchanges?.allSatisfy { $0.tls == nil } == true)
                // The CAPTCHA page was recognised on the way, and did not end the attempt.
                #expect(seen.outcomes.contains(.captcha))
                #expect(seen.outcomes.last == .slotAvailable)
            }
        }

        @Test(.enabled(if: hasChromium))
        func enterRecordsWhateverThePageShowsAndCtrlCRecordsNothing() async throws {
            try await withSimulator(.noSlot) { sim in
                let store = try witnessedStore(sim.baseURL + "/rdvpref/reservation/demarche/4567/")
                let before = Self.profiles()
                // The person stops at the CAPTCHA and presses Enter.
                let person = Person()
                var options = BrowserAttemptOptions()
                options.browserPath = Self.chromium
                options.headless = true
                options.recordNow = person.done
                options.personForTests = { tab in
                    if person.waitFor(tab, "location.pathname.endsWith('/4567/') && document.readyState == 'complete'")
                    {
                        _ = try? tab.evaluate("document.querySelector('#bouton-prendre-rdv').click(); true")
                        _ = person.waitFor(tab, "!!document.querySelector('#captchaFR_CaptchaImage')")
                    }
                    person.done.raise()
                }
                let report = try WitnessedAttemptRunner(store: store).run(options: options)
                #expect(person.problems.isEmpty, "\(person.problems)")
                #expect(report.outcome == .captcha)
                #expect(report.entry.body?.browser?.endedBy == "person")
                #expect(report.entry.body?.steps?.last == "record: the person pressed Enter")
                #expect(Self.profiles() == before)

                // Ctrl-C while the person is on the page: nothing recorded, nothing left behind.
                let head = try store.head()
                let stop = StopFlag()
                var cancelled = BrowserAttemptOptions()
                cancelled.browserPath = Self.chromium
                cancelled.headless = true
                cancelled.interruption = stop
                cancelled.personForTests = { tab in
                    _ = Person().waitFor(tab, "!!document.querySelector('#bouton-prendre-rdv')")
                    stop.raise()
                }
                #expect(throws: TemoinError.interrupted) {
                    try WitnessedAttemptRunner(store: store).run(options: cancelled)
                }
                #expect(try store.head() == head)
                #expect(Self.profiles() == before)
            }
        }

        @Test func noBrowserFoundSaysHowToInstallOne() throws {
            #expect(throws: TemoinError.browserNotFound(searched: "/nowhere/chrome")) {
                try BrowserLocator.locate(explicitPath: "/nowhere/chrome")
            }
            #expect(throws: TemoinError.self) {
                try BrowserLocator.locate(environment: ["PATH": ""], extraLocations: [])
            }
            let error = TemoinError.browserNotFound(searched: "chromium")
            #expect(error.exitCode == 5)
            #expect(
                Messages.shared.text("browser.error.not_found", ["searched": "x"], language: .en).contains(
                    "apt install chromium"))
            #expect(
                Messages.shared.text("browser.error.not_found", ["searched": "x"], language: .fr).contains("Installez"))
            if Self.hasChromium {
                #expect(
                    try BrowserLocator.locate(environment: ["PATH": "/usr/bin"], extraLocations: []) == Self.chromium)
            }
        }

        @Test func theCLIRefusesABogusBrowserPathWithTheInstallHint() throws {
            let dir = TempDir()
            let store = dir.file("t.sqlite")
            var fields = Fixtures.sampleCase
            fields.bookingURL = "http://127.0.0.1:9/rdvpref/reservation/demarche/4567/"
            _ = try Store.create(at: store, case: fields)
            let en = try temoin(["attempt", "--browser", "--browser-path", "/nowhere/chrome"], store: store)
            #expect(en.status == 5)
            #expect(en.stderr.contains("apt install chromium") && en.stderr.contains("--browser-path"))
            let fr = try temoin(
                ["attempt", "--browser", "--browser-path", "/nowhere/chrome", "--lang", "fr"], store: store)
            #expect(fr.status == 5 && fr.stderr.contains("Aucun navigateur"))
            #expect(try Store.open(at: store).head()?.seq == 1, "nothing recorded")
            // A program that is not a browser: said so, nothing recorded, no profile left.
            let before = Self.profiles()
            let notABrowser = try temoin(["attempt", "--browser", "--browser-path", "/bin/true"], store: store)
            #expect(notABrowser.status == 5 && notABrowser.stderr.contains("could not be started"))
            #expect(Self.profiles() == before)
            #expect(try Store.open(at: store).head()?.seq == 1)
            let misuse = try temoin(["attempt", "--browser-path", "/usr/bin/chromium"], store: store)
            #expect(misuse.status == 64)
        }

        @Test(.enabled(if: hasChromium))
        func theCLIWitnessesAnAttemptAndTheSimulatorSaysLoudlyWhenItsTestHooksAreOn() throws {
            let quiet = try SimulatorProcess()
            #expect(!quiet.banner.contains("WARNING") && !quiet.banner.contains("captcha-code"))
            _ = quiet.stop()
            let sim = try SimulatorProcess(arguments: ["--test-hooks"])
            #expect(sim.banner.contains("/_test/captcha-code") && sim.banner.contains("WARNING"))
            let dir = TempDir()
            let store = dir.file("t.sqlite")
            var fields = Fixtures.sampleCase
            fields.bookingURL = sim.baseURL + "/rdvpref/reservation/demarche/4567/"
            _ = try Store.create(at: store, case: fields)
            let before = Self.profiles()
            // An overloaded site is an outcome by itself: the witness records without the person's Enter.
            let r = try temoin(
                [
                    "attempt", "--browser", "--browser-path", Self.chromium, "--url",
                    sim.baseURL + "/scenario/overload-502/rdvpref/reservation/demarche/4567/",
                ], store: store, environment: ["TEMOIN_BROWSER_HEADLESS": "1"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("#2") && r.stdout.contains("screenshot"))
            #expect(Self.profiles() == before)
            let show = try temoin(["show", "2", "--json"], store: store)
            let entry = try #require(try JSONSerialization.jsonObject(with: show.stdoutData) as? [String: Any])
            #expect(entry["provenance"] as? String == "witnessed")
            #expect(entry["outcome"] as? String == "site_error")
            // watch --browser asks the person first; Enter (here, already typed) opens the browser.
            let watch = try temoin(
                [
                    "watch", "--browser", "--browser-path", Self.chromium, "--count", "1", "--every", "5m", "--jitter",
                    "1m", "--url",
                    sim.baseURL + "/scenario/overload-502/rdvpref/reservation/demarche/4567/",
                ], store: store, environment: ["TEMOIN_BROWSER_HEADLESS": "1"], stdin: Data("\n".utf8))
            #expect(watch.status == 0, "\(watch.stderr)")
            #expect(watch.stdout.contains("Attempt 1 in the browser: press Enter"))
            #expect(watch.stdout.contains("#3") && watch.stdout.contains("site error"))
            #expect(Self.profiles() == before)
            #expect(try temoin(["verify"], store: store).status == 0)
            #expect(try referenceVerify(store).0 == 0)
            #expect(sim.stop() == 0)
        }

        @Test func spkiHashesAreThoseChromiumExpects() throws {
            // The simulator's key, hashed independently with openssl in the form Chromium documents.
            let certificate = try SelfSignedCertificate.generate().pem
            let dir = TempDir()
            let path = dir.write("c.pem", certificate)
            let ours = try TrustedKeys.spkiHashes(pemFile: path)
            let openssl = try run(
                "/bin/sh",
                [
                    "-c",
                    "openssl x509 -in '\(path)' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64",
                ])
            #expect(ours == [openssl.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
            #expect(throws: TemoinError.self) { try TrustedKeys.spkiHashes(pemFile: dir.write("bad.pem", "nope")) }
        }
    }
}

final class SeenPages: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Outcome] = []
    func add(_ o: Outcome) { lock.withLock { list.append(o) } }
    var outcomes: [Outcome] { lock.withLock { list } }
}
