import Foundation
import TestSupport
import Testing

@testable import TemoinKit

#if canImport(Glibc)
    import Glibc
#endif

/// Local mistakes are errors to fix, never evidence: dates, addresses, files given to an attempt.
@Suite struct DateInputTests {
    @Test func wallTimesSkippedOrRepeatedInParisAreRefusedWithTheFormsToType() throws {
        // 29 March 2026: clocks go from 02:00 to 03:00.
        let skipped = #expect(throws: TemoinError.self) { try TimeFormat.interpret("2026-03-29T02:30") }
        #expect(skipped == .nonexistentParisTime(value: "2026-03-29T02:30", suggestion: "2026-03-29T03:30+02:00"))
        // 25 October 2026: clocks go back from 03:00 to 02:00, so 02:30 happens twice.
        let twice = #expect(throws: TemoinError.self) { try TimeFormat.interpret("2026-10-25 02:30") }
        #expect(
            twice
                == .ambiguousParisTime(
                    value: "2026-10-25 02:30", first: "2026-10-25T02:30+02:00", second: "2026-10-25T02:30+01:00"))
        // Either form given explicitly is that instant; ordinary times are as before.
        #expect(TimeFormat.utc(try TimeFormat.interpret("2026-10-25T02:30+02:00")) == "2026-10-25T00:30:00.000Z")
        #expect(TimeFormat.utc(try TimeFormat.interpret("2026-10-25T02:30+01:00")) == "2026-10-25T01:30:00.000Z")
        #expect(TimeFormat.utc(try TimeFormat.interpret("2026-10-25T03:30")) == "2026-10-25T02:30:00.000Z")
        #expect(TimeFormat.utc(try TimeFormat.interpret("2026-03-29T03:30")) == "2026-03-29T01:30:00.000Z")
        #expect(TimeFormat.utc(try TimeFormat.interpret("2026-11-20T09:15")) == "2026-11-20T08:15:00.000Z")
        #expect(TimeFormat.utc(try TimeFormat.interpret("2026-07-14")) == "2026-07-13T22:00:00.000Z")
        #expect(throws: TemoinError.invalidDate(value: "2026-02-30")) { try TimeFormat.interpret("2026-02-30") }
    }

    @Test func attemptsBeforeTwoThousandAreTypingMistakes() throws {
        for early in ["0001-01-01", "1900-01-01", "1999-12-31T23:59"] {
            let error = #expect(throws: TemoinError.self) {
                try TimeFormat.interpret(early, earliest: TimeFormat.earliestAttempt)
            }
            #expect(error == .dateTooEarly(value: early, earliest: "2000-01-01"))
            #expect(error?.exitStatus == .usage)
        }
        #expect(throws: Never.self) {
            try TimeFormat.interpret("2000-01-01T12:00", earliest: TimeFormat.earliestAttempt)
        }
        // Other dates (a dossier's period) have no such floor.
        #expect(throws: Never.self) { try TimeFormat.interpret("1900-01-01") }
    }

    @Test func importRefusesTheseDatesAndFilesThatLostTheirs() throws {
        let dir = TempDir()
        let store = try initStore(dir)
        let page = Fixtures.page("rdv-creneau-aucun.html")
        for (date, words) in [
            ("0001-01-01", "before 2000-01-01"), ("1900-01-01", "before 2000-01-01"),
            ("2026-03-29T02:30", "2026-03-29T03:30+02:00"), ("2026-10-25T02:30", "2026-10-25T02:30+01:00"),
        ] {
            let r = try temoin(["import", page, "--observed-at", date], store: store)
            #expect(r.status == 64, "\(date): \(r.stderr)")
            #expect(r.stderr.contains(words), "\(date): \(r.stderr)")
        }
        let r = try temoin(["import", page, "--observed-at", "2026-10-25T02:30+01:00", "--json"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        // A copy that lost its date (1970) is refused, the other file recorded.
        let undated = dir.write(
            "sans-date.html", try Fixtures.data("legacy-aucune-plage.html"),
            modified: Date(timeIntervalSince1970: 86_400))
        let dated = dir.write(
            "avec-date.html", try Fixtures.data("legacy-aucune-plage-latin1.html"),
            modified: Date(timeIntervalSince1970: 1_795_000_000))
        let both = try temoin(["import", undated, dated], store: store)
        #expect(both.status == 4, "\(both.stderr)")
        #expect(both.stderr.contains("--observed-at"))
        let entries = try Store.open(at: store, readOnly: true).entries()
        #expect(entries.count == 3)
        #expect(entries[1].body?.observedAt == "2026-10-25T01:30:00.000Z")
    }
}

@Suite struct ScheduleQuotingTests {
    /// What cron does with a crontab command (crontab(5)): `\%` becomes `%`, an unescaped `%` ends the
    /// command (the rest is standard input).
    func cronCommand(_ line: String) -> String {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        var out = ""
        var escaped = false
        for ch in fields[5] {
            if escaped {
                out += ch == "%" ? "%" : "\\\(ch)"
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == "%" {
                break
            } else {
                out.append(ch)
            }
        }
        return out
    }

    @Test func aCronLineRunsWithTheExactStorePath() throws {
        let dir = TempDir()
        let script = dir.write("bin dir/fake temoin", "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$OUT\"\n")
        chmod(script, 0o755)
        let store = dir.path + "/100% d'avance $HOME/temoin.sqlite"
        let text = ScheduleText.cron(binary: script, store: store, everyMinutes: 120)
        let line = try #require(text.split(separator: "\n").last.map(String.init))
        let r = try run(
            "/bin/sh", ["-c", cronCommand(line)], environment: ["OUT": dir.file("args"), "HOME": dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let args = try String(contentsOfFile: dir.file("args"), encoding: .utf8)
        #expect(args == "attempt\n--store\n\(store)\n")
    }

    @Test func systemdLinesEscapeSpecifiersAndVariables() {
        #expect(ScheduleText.systemdQuote("/a b/100% \"x\" $HOME\\") == #""/a b/100%% \"x\" $$HOME\\""#)
        let unit = ScheduleText.systemd(
            binary: "/opt/t emoin", store: "/s/50%.sqlite", everyMinutes: 60, jitterSeconds: 0)
        #expect(unit.contains(#"ExecStart="/opt/t emoin" attempt --store "/s/50%%.sqlite""#))
    }

    @Test func aPathWithALineBreakCannotBeScheduled() throws {
        let r = try temoin(["schedule", "--store", "/tmp/a\nb.sqlite"])
        #expect(r.status == 64, "\(r.stderr)")
    }
}

@Suite(.serialized) struct AttemptInputTests {
    @Test func addressesWithSpacesOrControlsAreRefusedEverywhere() throws {
        for bad in [
            "https://www.val-de-marne.gouv.fr/booking/create/4963/0 x", "https://a.fr/\u{7}", "https://a.fr/x\ty",
            "https://a.fr/\u{202E}x",
        ] {
            #expect(throws: TemoinError.self) { try URLCheck.validate(bad) }
        }
        let dir = TempDir()
        var arguments = Fixtures.initArguments
        arguments[8] = "https://www.val-de-marne.gouv.fr/booking/create/4963/0 ?"
        #expect(try temoin(arguments, store: dir.file("a.sqlite")).status == 64)
        arguments[8] = "https://www.val-de-marne.gouv.fr/booking\n/create/4963/0"
        #expect(try temoin(arguments, store: dir.file("a.sqlite")).status == 64)
        let store = try initStore(dir)
        for command in [
            ["case", "set", "booking_url", "https://www.val-de-marne.gouv.fr/a b"],
            ["attempt", "--url", "http://127.0.0.1:9/a\tb"],
            ["import", Fixtures.page("rdv-creneau-aucun.html"), "--url", "https://x.fr/a b"],
            ["seal", "tsa", "add", "https://tsa .example/tsr"],
        ] {
            let r = try temoin(command, store: store)
            #expect(r.status == 64, "\(command): \(r.stderr)")
        }
        #expect(try Store.open(at: store, readOnly: true).entries().count == 1)
    }

    @Test func aMissingOrBadCAFileIsAnErrorNotAnUnreachableSite() throws {
        let dir = TempDir()
        let store = try initStore(dir)
        let notPEM = dir.write("not.pem", "bonjour")
        for ca in ["/nonexistent.pem", notPEM, dir.path] {
            // The address is one nobody listens on: were the check missed, nothing leaves the computer.
            let r = try temoin(["attempt", "--cacert", ca, "--url", "http://127.0.0.1:9/"], store: store)
            #expect(r.status == 4, "\(ca): \(r.status) \(r.stderr)")
        }
        #expect(try Store.open(at: store, readOnly: true).entries().count == 1)
    }

    @Test func curlsLocalFailuresAreErrorsAndTheSitesAreOutcomes() {
        var result = TransferResult()
        let request = PlannedRequest(method: "GET", url: "http://127.0.0.1/x", body: nil, contentType: nil)
        var options = AttemptOptions()
        options.transfer.caFile = "/x.pem"
        result.curlCode = 77
        #expect(
            AttemptRunner.localFailure(result, request: request, first: false, options: options)?.exitStatus
                == .inputRefused)
        result.curlCode = 3
        #expect(
            AttemptRunner.localFailure(result, request: request, first: true, options: options)?.exitStatus == .usage)
        // A malformed Location from the site is the site's doing: recorded.
        #expect(AttemptRunner.localFailure(result, request: request, first: false, options: options) == nil)
        result.curlCode = 43
        #expect(
            AttemptRunner.localFailure(result, request: request, first: false, options: options)?.exitStatus
                == .networkUnavailable)
        for remote in [6, 7, 28, 35, 52, 56, 60] {
            result.curlCode = remote
            #expect(AttemptRunner.localFailure(result, request: request, first: true, options: options) == nil)
        }
    }

    @Test func privateAddressesAreKnown() {
        for ip in [
            "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "224.0.0.1", "::1", "::", "fe80::1", "fd00::1", "::ffff:192.168.1.1", "not an address",
        ] {
            #expect(NetworkAddress.isPrivate(ip), "\(ip)")
        }
        for ip in ["8.8.8.8", "172.32.0.1", "193.51.24.1", "2a01:e0a::1", "100.128.0.1", "::ffff:8.8.8.8"] {
            #expect(!NetworkAddress.isPrivate(ip), "\(ip)")
        }
    }

    /// Two loopback servers: one on 127.0.0.2, which the test treats as a public address, redirecting
    /// to one on 127.0.0.1 (private) that counts the requests it gets.
    final class RedirectServers {
        let process = Process()
        let dir = TempDir()
        var start = ""

        init() throws {
            let script = """
                import http.server, os, sys, threading, time
                hits = sys.argv[1]
                class Target(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        open(hits, "a").write(self.path + "\\n")
                        body = b"<html><body><p>Page interne du routeur</p></body></html>"
                        self.send_response(200); self.send_header("Content-Type", "text/html")
                        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
                    def log_message(self, *a): pass
                target = http.server.HTTPServer(("127.0.0.1", 0), Target)
                class Redirect(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        self.send_response(302)
                        to = self.path[len("/to/"):] if self.path.startswith("/to/") else None
                        self.send_header("Location", to or "http://127.0.0.1:%d/admin" % target.server_address[1])
                        self.send_header("Content-Length", "0"); self.end_headers()
                    def log_message(self, *a): pass
                redirect = http.server.HTTPServer(("127.0.0.2", 0), Redirect)
                for s in (target, redirect):
                    threading.Thread(target=s.serve_forever, daemon=True).start()
                print(redirect.server_address[1], flush=True)
                parent = os.getppid()
                while os.getppid() == parent:  # ends with the test process, however that ends
                    time.sleep(0.5)
                """
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script, dir.file("hits")]
            let (started, printed) = try startServerReadingPort(process)
            let port = try #require(started, "the redirecting server did not start: \(printed)")
            start = "http://127.0.0.2:\(port)/booking"
        }

        var hits: Int {
            ((try? String(contentsOfFile: dir.file("hits"), encoding: .utf8)) ?? "").split(separator: "\n").count
        }

        deinit { process.terminate() }
    }

    @Test func aRedirectFromAPublicAddressToAPrivateOneIsNotFollowed() throws {
        let servers = try RedirectServers()
        let (_, store) = try makeStore()
        var options = AttemptOptions()
        options.bookingURL = servers.start
        options.isPrivateAddress = { $0 != "127.0.0.2" }
        let report = try AttemptRunner(store: store).run(options: options)
        #expect(report.outcome == .siteError)
        let exchanges = try #require(report.entry.body?.exchanges)
        #expect(exchanges.count == 2)
        #expect(exchanges[0].status == 302)
        #expect(exchanges[1].failure?.kind == "private_address")
        #expect(exchanges[1].status == nil)
        #expect(servers.hits == 0, "the private server was reached")
        // No page came back: the failure is temoin's description, not the page's words.
        #expect(report.message == nil)
        #expect(report.description?.contains("private address") == true)
        // Between private addresses (a test server, the simulator), redirects are followed as before.
        var local = AttemptOptions()
        local.bookingURL = servers.start
        let followed = try AttemptRunner(store: store).run(options: local)
        #expect(followed.entry.body?.exchanges?.count == 2)
        #expect(followed.entry.body?.exchanges?.last?.status == 200)
        #expect(servers.hits == 1)
    }

    /// What held in the audit, kept so: a redirect to another scheme is recorded, never followed.
    @Test(arguments: ["file:///etc/passwd", "gopher://127.0.0.1:70/1", "ftp://127.0.0.1/x"])
    func aRedirectToAnotherSchemeIsRecordedNotFollowed(_ location: String) throws {
        let servers = try RedirectServers()
        let (_, store) = try makeStore()
        var options = AttemptOptions()
        options.bookingURL = servers.start.replacingOccurrences(of: "/booking", with: "/to/" + location)
        let report = try AttemptRunner(store: store).run(options: options)
        #expect(report.outcome == .unreachable)
        let exchanges = try #require(report.entry.body?.exchanges)
        #expect(exchanges.count == 2 && exchanges[1].url == location && exchanges[1].status == nil)
        #expect(exchanges[1].failure?.curlCode == 1)  // CURLE_UNSUPPORTED_PROTOCOL
        for capture in report.entry.body?.captures ?? [] {
            let bytes = try store.captureBytes(digest: capture.digest) ?? Data()
            #expect(bytes.range(of: Data("root:".utf8)) == nil)
        }
    }

    @Test func credentialsAndCookiesAreKeptOnlyAsDigests() {
        let headers = AttemptRunner.redacted([
            HeaderField(name: "Authorization", value: "Basic YWxpY2U6czNjcmV0"),
            HeaderField(name: "proxy-authorization", value: "Basic eDp5"), HeaderField(name: "Cookie", value: "a=b"),
            HeaderField(name: "Set-Cookie", value: "eZSESSID=abc; Path=/; HttpOnly"),
            HeaderField(name: "Accept", value: "text/html"),
        ])
        #expect(headers[0].value == "sha256:" + sha256Hex(Data("Basic YWxpY2U6czNjcmV0".utf8)))
        #expect(headers[1].value.hasPrefix("sha256:") && headers[2].value.hasPrefix("sha256:"))
        #expect(headers[3].value == "eZSESSID=sha256:\(sha256Hex(Data("abc".utf8))); Path=/; HttpOnly")
        #expect(headers[4].value == "text/html")
    }
}
