import Foundation
import TestSupport
import Testing

@testable import TemoinKit

extension BrowserSuites {
    /// In a witnessed attempt the browser has laid the page out: its computed visibility of the deciding
    /// text is what counts, not temoin's reading of the markup. Pages served by a local HTTP server the
    /// test starts (Python's), opened in Debian's chromium, headless.
    @Suite(.serialized, .enabled(if: BrowserTests.hasChromium)) struct BrowserVisibilityTests {
        static let sentence = "Aucun créneau disponible à partir de cette date. Veuillez réessayer ultérieurement."

        /// Hidden by the page's script through the CSS object model: the `<style>` text the markup keeps
        /// does not say so; only the browser knows.
        static let scriptHidden = """
            <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Prendre un rendez-vous - RDV Préfecture</title>
            <style>.fr-alert { border-left: 4px solid #000091; padding: 8px; }</style>
            <script>document.styleSheets[0].insertRule(".msg { display: none }", 0);</script>
            </head><body><main><h1>Préfecture simulée – Titre de séjour</h1>
            <div class="fr-alert"><p class="msg">\(sentence)</p></div>
            <p>Les rendez-vous sont mis en ligne chaque semaine.</p></main></body></html>
            """

        /// A class that frameworks hide until a script shows it; this page loads no framework, so the
        /// browser shows it.
        static let toggledButShown = """
            <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Prendre un rendez-vous - RDV Préfecture</title>
            </head><body><main><h1>Préfecture simulée – Titre de séjour</h1>
            <div class="collapse" id="resultat"><p>\(sentence)</p></div></main></body></html>
            """

        /// Serves `files` on 127.0.0.1 (an ephemeral port) for the duration of `body`.
        static func serving<T>(_ files: [String: String], _ body: (String) throws -> T) throws -> T {
            let dir = TempDir()
            for (name, text) in files { dir.write(name, text) }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir.path]
            p.standardError = FileHandle.nullDevice
            // http.server prints "Serving HTTP on 127.0.0.1 port N …": the port is read from that line.
            let (_, text) = try startServerReadingPort(p)
            defer {
                // SIGKILL and a bounded wait: Foundation's waitUntilExit can miss the child's exit on Linux
                // while other tests spawn processes, and hang the whole run.
                kill(p.processIdentifier, SIGKILL)
                let end = Date().addingTimeInterval(10)
                while p.isRunning, Date() < end { usleep(20_000) }
            }
            let port = try #require(
                text.range(of: #"port (\d+)"#, options: .regularExpression).map {
                    text[$0].split(separator: " ").last.map(String.init)
                } ?? nil, "python's http.server said: \(text)")
            return try body("http://127.0.0.1:\(port)")
        }

        func witness(_ url: String, waitForLoadThenRecord: Bool) throws -> AttemptReport {
            let store = try attemptStore(url)
            let person = BrowserTests.Person()
            var options = BrowserAttemptOptions()
            options.browserPath = BrowserTests.chromium
            options.headless = true
            options.ruleSet = try RuleSet.loadBuiltIn("rdv-prefecture")
            options.recordNow = person.done
            options.personForTests = { tab in
                _ = person.waitFor(tab, "document.readyState == 'complete' && !!document.querySelector('main')")
                // Record after the page settled; when the outcome should end the attempt by itself, only
                // as a safety net, so that a test that fails does not wait for ever.
                usleep(waitForLoadThenRecord ? 1_500_000 : 20_000_000)
                person.done.raise()
            }
            return try WitnessedAttemptRunner(store: store).run(options: options)
        }

        @Test func textTheBrowserDoesNotDisplayDecidesNothing() throws {
            // The markup alone would say "no slot".
            let markup = PageAnalyzer(ruleSet: try RuleSet.loadBuiltIn("rdv-prefecture")).analyze(
                Data(Self.scriptHidden.utf8), url: "http://127.0.0.1/creneau.html")
            #expect(markup.outcome == .noSlot)

            let report = try Self.serving(["creneau.html": Self.scriptHidden]) { base in
                try witness(base + "/creneau.html", waitForLoadThenRecord: true)
            }
            #expect(report.outcome == .unexpected)
            let body = try #require(report.entry.body)
            #expect(body.browser?.endedBy == "person")
            let aside = try #require(body.setAside?.first)
            #expect(aside.reason == .hidden)
            #expect(aside.detail == "not displayed by the browser")
            #expect(aside.rule == "rdv-prefecture/rdv-no-slot-from-date")
        }

        @Test func textTheBrowserDisplaysCountsWithoutDoubt() throws {
            let markup = PageAnalyzer(ruleSet: try RuleSet.loadBuiltIn("rdv-prefecture")).analyze(
                Data(Self.toggledButShown.utf8), url: "http://127.0.0.1/creneau.html")
            #expect(markup.visibility?.uncertain == .classToggled)

            let report = try Self.serving(["creneau.html": Self.toggledButShown]) { base in
                try witness(base + "/creneau.html", waitForLoadThenRecord: false)
            }
            #expect(report.outcome == .noSlot)
            #expect(report.message == Self.sentence)
            #expect(report.visibility == VisibilityRecord(basis: "browser"))
            #expect(report.entry.body?.browser?.endedBy == "outcome")
        }
    }
}
