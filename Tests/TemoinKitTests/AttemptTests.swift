import Crypto
import Foundation
import TestSupport
import Testing

@testable import TemoinKit
@testable import TemoinSimulator

@Suite(.serialized) struct AttemptTests {
    func attempt(_ url: String, configure: (inout AttemptOptions) -> Void = { _ in }) throws -> (Store, AttemptReport) {
        let store = try attemptStore(url)
        var options = AttemptOptions()
        options.transfer.timeout = 10
        configure(&options)
        return (store, try AttemptRunner(store: store).run(options: options))
    }

    @Test func cookiesAreNeverSentToAnotherHost() async throws {
        try await withSimulator { sim in
            // 127.0.0.1 sets a cookie and redirects to localhost (another host for any client), which
            // redirects back: the cookie must travel to 127.0.0.1 only.
            let (_, r) = try attempt("\(sim.baseURL)/_redirect/other-host?to=/booking/create/4963/0")
            let exchanges = try #require(r.entry.body?.exchanges)
            #expect(exchanges.count >= 3)
            guard exchanges.count >= 3 else { return }
            #expect(exchanges[0].url.hasPrefix("http://127.0.0.1:"))
            #expect(exchanges[0].responseHeaders?.contains { $0.name.lowercased() == "set-cookie" } == true)
            #expect(exchanges[1].url.hasPrefix("http://localhost:"))
            #expect(
                !exchanges[1].requestHeaders.contains { $0.name.lowercased() == "cookie" }, "cookie sent to localhost")
            #expect(exchanges[2].url.hasPrefix("http://127.0.0.1:"))
            #expect(exchanges[2].requestHeaders.contains { $0.name.lowercased() == "cookie" }, "cookie not sent back")
            #expect(r.outcome == .noSlot)
        }
    }

    @Test func theLegacyModuleIsWalkedStepByStepAndEveryExchangeRecorded() async throws {
        try await withSimulator { sim in
            let (store, r) = try attempt("\(sim.baseURL)/booking/create/4963/0")
            #expect(r.outcome == .noSlot)
            #expect(r.message?.hasPrefix("Il n'existe plus de plage horaire libre") == true)
            let body = try #require(r.entry.body)
            #expect(body.provenance == .captured && body.timeBasis == .witnessed)
            #expect(body.rule == "prefecture-legacy/legacy-no-slot")
            let exchanges = try #require(body.exchanges)
            // GET step 0, POST conditions, redirect to step 1, POST counter, redirect to step 2.
            #expect(exchanges.map(\.method) == ["GET", "POST", "GET", "POST", "GET"])
            #expect(exchanges.map(\.status) == [200, 302, 200, 302, 200])
            #expect(body.steps?.count == 3)
            for e in exchanges {
                #expect(e.remoteIP == "127.0.0.1")
                #expect(e.remotePort == sim.httpPort)
                #expect(e.httpVersion == "HTTP/1.1")
                #expect(e.serverDate != nil)
                #expect(abs(e.clockOffsetMs ?? 99_999) < 2_500)
                #expect(e.requestHeaders.contains { $0.name == "User-Agent" && $0.value.hasPrefix("temoin/") })
            }
            // The session cookie is never stored in clear, but its digest proves it was sent.
            let setCookie = try #require(exchanges[0].responseHeaders?.first { $0.name.lowercased() == "set-cookie" })
            #expect(setCookie.value.hasPrefix("eZSESSID=sha256:"))
            let cookie = try #require(exchanges[1].requestHeaders.first { $0.name == "Cookie" })
            #expect(cookie.value.hasPrefix("sha256:") && cookie.value.count == 71)
            // The submitted form is a capture of its own.
            let posted = try #require(exchanges[1].requestBody)
            let form = String(decoding: try #require(try store.captureBytes(digest: posted)), as: UTF8.self)
            #expect(form.contains("condition=on") && form.contains("nextButton=Effectuer+une+demande"))
            // Every capture an exchange names is in the entry and verifies.
            let digests = Set(body.captures?.map(\.digest) ?? [])
            for e in exchanges { #expect(e.responseBody.map(digests.contains) == true) }
            #expect(body.environment?.freshSession == true)
            #expect(body.environment?.userAgent.hasPrefix("temoin/") == true)
            #expect(try Verifier().verify(path: store.path).verdict == .intact)
            #expect(try referenceVerify(store.path).0 == 0)
        }
    }

    @Test func aSlotIsRecognisedAndCounted() async throws {
        try await withSimulator { sim in
            let (_, legacy) = try attempt("\(sim.baseURL)/scenario/slot-available/booking/create/4963/0")
            #expect(legacy.outcome == .slotAvailable)
            #expect(legacy.entry.body?.facts?.slotsListed == 3)
        }
    }

    @Test func rdvPrefectureStopsAtTheCaptchaForAPerson() async throws {
        try await withSimulator { sim in
            let (_, r) = try attempt("\(sim.baseURL)/rdvpref/reservation/demarche/4567/")
            #expect(r.outcome == .captcha)
            #expect(r.finalURL.hasSuffix("/cgu/"))
            // temoin's own words, apart from the page's (which say nothing of it).
            #expect(r.message == nil)
            #expect(r.description?.contains("personne") == true)
        }
    }

    @Test(arguments: [Scenario.overload, .maintenance])
    func siteErrorsAreRecordedAsSuch(_ scenario: Scenario) async throws {
        try await withSimulator(scenario) { sim in
            let (_, r) = try attempt("\(sim.baseURL)/booking/create/4963/0")
            #expect(r.outcome == .siteError, "\(r.message ?? "")")
            #expect(r.entry.body?.exchanges?.first?.status == (scenario == .overload ? 502 : 503))
        }
    }

    @Test func latin1AndGzipPagesAreDecodedForAnalysisButKeptAsReceived() async throws {
        try await withSimulator(.latin1) { sim in
            let (_, r) = try attempt("\(sim.baseURL)/booking/create/4963/0")
            #expect(r.outcome == .noSlot)
            #expect(r.message?.contains("ultérieurement") == true)
        }
        try await withSimulator(.gzip) { sim in
            let (store, r) = try attempt("\(sim.baseURL)/booking/create/4963/0")
            #expect(r.outcome == .noSlot)
            let last = try #require(r.entry.body?.exchanges?.last)
            #expect(
                last.responseHeaders?.contains { $0.name.lowercased() == "content-encoding" && $0.value == "gzip" }
                    == true)
            let rawDigest = try #require(last.responseBody)
            let raw = try #require(try store.captureBytes(digest: rawDigest))
            #expect(raw.starts(with: [0x1F, 0x8B]))  // the gzip stream as it came
            let page = try #require(r.entry.body?.captures?.first { $0.role == "page" })
            #expect(page.digest != last.responseBody)
        }
    }

    @Test func redirectsAreFollowedAndEachRecorded() async throws {
        try await withSimulator(.redirects) { sim in
            let (_, r) = try attempt("\(sim.baseURL)/booking/create/4963/0")
            #expect(r.outcome == .noSlot)
            let redirects = r.entry.body?.exchanges?.filter { $0.redirectTo != nil } ?? []
            #expect(redirects.count >= 3)
        }
        try await withSimulator(.redirectLoop) { sim in
            let (_, r) = try attempt("\(sim.baseURL)/booking/create/4963/0")
            #expect(r.outcome == .siteError)
            #expect(r.failure?.kind == "too_many_redirects")
            #expect(r.entry.body?.exchanges?.count == 11)
        }
    }

    @Test func networkFailuresAreEvidenceToo() async throws {
        try await withSimulator(.reset) { sim in
            let (_, r) = try attempt("\(sim.baseURL)/booking/create/4963/0")
            #expect(r.outcome == .unreachable)
            #expect(r.failure?.kind == "reset")
        }
        try await withSimulator(.slow, slowDelay: 4) { sim in
            let (_, r) = try attempt("\(sim.baseURL)/booking/create/4963/0") { $0.transfer.timeout = 1 }
            #expect(r.outcome == .unreachable)
            #expect(r.failure?.kind == "timeout")
        }
        // A port nobody listens on: the simulator is stopped.
        let closed = try await withSimulator { sim in sim.httpPort }
        let (_, refused) = try attempt("http://127.0.0.1:\(closed)/booking/create/4963/0")
        #expect(refused.outcome == .unreachable)
        #expect(refused.failure?.kind == "refused")
        // A name that cannot be resolved (a label over 63 characters fails before any query is sent).
        let (_, dns) = try attempt("http://\(String(repeating: "a", count: 64)).test/booking/create/4963/0")
        #expect(dns.failure?.kind == "dns")
        #expect(dns.message == nil)
        #expect(dns.description?.contains("DNS") == true)
    }

    @Test func anEndlessBodyStopsAtTheCapAndIsFlagged() async throws {
        try await withSimulator(.huge) { sim in
            let (store, r) = try attempt("\(sim.baseURL)/booking/create/4963/0") {
                $0.transfer.maxBodyBytes = 2_000_000
            }
            let last = try #require(r.entry.body?.exchanges?.last)
            #expect(last.bodyTruncated == true)
            let keptDigest = try #require(last.responseBody)
            let kept = try #require(try store.captureBytes(digest: keptDigest))
            #expect(kept.count == 2_000_000)
        }
    }

    @Test func tlsFactsOfTheServerAreRecorded() async throws {
        try await withSimulator(https: true) { sim in
            let https = try #require(sim.httpsBaseURL)
            let dir = TempDir()
            let ca = dir.write("sim.pem", sim.certificatePEM)
            let (_, r) = try attempt("\(https)/booking/create/4963/0") { $0.transfer.caFile = ca }
            #expect(r.outcome == .noSlot)
            let tls = try #require(r.entry.body?.exchanges?.first?.tls)
            #expect(tls.verified)
            #expect(tls.version?.hasPrefix("TLSv1.") == true)
            #expect(tls.cipher?.isEmpty == false)
            let cert = try #require(tls.certificates.first)
            #expect(cert.sha256 == SHA256.hash(data: sim.certificateDER).lowercaseHex)
            #expect(cert.subject.contains("127.0.0.1"))
            #expect(cert.subject.contains("Préfecture simulée"))  // UTF-8, not OpenSSL's \C3\A9 escapes
            #expect(cert.notAfter != nil)
            // Without trusting it, the self-signed certificate is a recorded TLS failure.
            let (_, refused) = try attempt("\(https)/booking/create/4963/0")
            #expect(refused.outcome == .unreachable)
            #expect(refused.failure?.kind == "tls")
        }
    }

    @Test func anInterruptedAttemptLeavesNoEntry() async throws {
        try await withSimulator(.slow, slowDelay: 5) { sim in
            let store = try attemptStore("\(sim.baseURL)/booking/create/4963/0")
            let stop = StopFlag()
            var options = AttemptOptions()
            options.interruption = stop
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { stop.raise() }
            #expect(throws: TemoinError.interrupted) { try AttemptRunner(store: store).run(options: options) }
            #expect(try store.entries().count == 1)
        }
    }
}

@Suite struct PaceTests {
    @Test func durationsAreParsed() {
        #expect(Pace.parseDuration("2h") == 7200)
        #expect(Pace.parseDuration("1h30m") == 5400)
        #expect(Pace.parseDuration("40m") == 2400)
        #expect(Pace.parseDuration("90") == 5400)
        #expect(Pace.parseDuration("soon") == nil)
        #expect(Pace.parseDuration("2x") == nil)
    }

    @Test func attemptsAreNeverLessThanFiveMinutesApart() throws {
        #expect(throws: TemoinError.intervalTooShort(seconds: 60)) { try Pace(every: 60) }
        #expect(throws: TemoinError.self) { try Pace(every: 3600, jitter: 3600) }
        let pace = try Pace(every: 360, jitter: 300)
        var g = SystemRandomNumberGenerator()
        let delays = (0..<1000).map { _ in pace.nextDelay(using: &g) }
        #expect(delays.allSatisfy { $0 >= Pace.minimumInterval && $0 <= 660 })
        #expect(Set(delays.map { Int($0) }).count > 50)  // spread, not fixed
    }

    @Test func schedulesAreReadyToPaste() {
        let cron = ScheduleText.cron(binary: "/usr/local/bin/temoin", store: "/home/a/temoin.sqlite", everyMinutes: 120)
        #expect(cron.contains("*/2 * * * '/usr/local/bin/temoin' attempt --store '/home/a/temoin.sqlite'"))
        let unit = ScheduleText.systemd(
            binary: "/usr/local/bin/temoin", store: "/s.sqlite", everyMinutes: 120, jitterSeconds: 2400)
        #expect(unit.contains("OnUnitActiveSec=120min") && unit.contains("RandomizedDelaySec=2400s"))
    }
}

@Suite struct FormTests {
    @Test func formsAreSubmittedAsABrowserWould() throws {
        let html = """
            <form id="f" method="post" action="/booking/create/1/0">
            <input type="hidden" name="token" value="a b&c">
            <input type="checkbox" id="condition" name="condition" value="on">
            <input type="checkbox" name="newsletter" value="yes">
            <input type="radio" name="planning" value="16"><input type="radio" name="planning" value="17" checked>
            <select name="motif"><option value="1">Un</option><option value="2" selected>Deux</option></select>
            <input type="submit" name="nextButton" value="Effectuer une demande de rendez-vous">
            <input type="submit" name="cancel" value="Annuler"></form>
            """
        let doc = try #require(HTMLDocument(text: html))
        let step = ProfileStep(
            action: .submit, form: "//form[@id='f']", check: ["condition"], choose: ["planning": "first"],
            button: "nextButton")
        let r = try #require(
            StepPlanner.request(for: step, page: doc, pageURL: "https://p.gouv.fr/booking/create/1/0", bookingURL: ""))
        #expect(r.method == "POST")
        #expect(r.url == "https://p.gouv.fr/booking/create/1/0")
        #expect(
            String(decoding: r.body ?? Data(), as: UTF8.self)
                == "token=a+b%26c&condition=on&planning=16&motif=2&nextButton=Effectuer+une+demande+de+rendez-vous")
        let missing = ProfileStep(action: .submit, form: "//form[@id='absent']")
        #expect(StepPlanner.request(for: missing, page: doc, pageURL: "https://p.gouv.fr/", bookingURL: "") == nil)
    }

    @Test func linksAreResolvedAgainstThePage() throws {
        let doc = try #require(
            HTMLDocument(text: #"<a href="cgu/">Prendre un rendez-vous</a><a href="javascript:alert(1)">x</a>"#))
        let step = ProfileStep(action: .follow, link: "//a[contains(@href,'cgu')]")
        let r = StepPlanner.request(
            for: step, page: doc, pageURL: "https://rdv.gouv.fr/rdvpref/reservation/demarche/4567/", bookingURL: "")
        #expect(r?.url == "https://rdv.gouv.fr/rdvpref/reservation/demarche/4567/cgu/")
        let js = ProfileStep(action: .follow, link: "//a[starts-with(@href,'javascript')]")
        #expect(StepPlanner.request(for: js, page: doc, pageURL: "https://rdv.gouv.fr/", bookingURL: "") == nil)
    }
}
