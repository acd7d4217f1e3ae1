import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// Runs the real `temoin` binary on a computer whose clock is off by `offset` (libfaketime's
/// `faketime -f`, e.g. "-61d", "+3m"): only temoin's clock moves, never the simulator's or the TSA's.
@discardableResult
func temoinWithClock(_ offset: String, _ arguments: [String], store: String, environment: [String: String] = [:])
    throws -> RunResult
{
    var env = environment
    env["TEMOIN_STORE"] = store
    // The monotonic clock stays true: timeouts and pacing are not what is tested.
    env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
    return try run("/usr/bin/faketime", ["-f", offset, temoinBinary] + arguments, environment: env)
}

/// The time problems of a store by both verifiers, through their command lines, as "seq:code".
func cliTimeProblems(_ store: String) throws -> (temoin: [String], reference: [String], json: [String: Any]) {
    let r = try temoin(["verify", "--json"], store: store)
    let json = try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any], "\(r.stderr)")
    func codes(_ report: [String: Any]) -> [String] {
        ((report["time"] as? [String: Any])?["problems"] as? [[String: Any]] ?? []).map {
            "\($0["seq"] as? Int ?? -1):\($0["code"] as? String ?? "")"
        }
    }
    return (codes(json), codes(try referenceVerify(store).1), json)
}

/// Times a court can rely on, through the command line, with a clock the test controls.
@Suite(.serialized) struct TimeCLITests {
    static let tsa: LocalTSA? = try? LocalTSA()

    static let faketime = FileManager.default.isExecutableFile(atPath: "/usr/bin/faketime")

    @Test(.enabled(if: faketime, "faketime (Debian package faketime) is installed by scripts/ensure-deps.sh"))
    func aComputerClockMonthsBehindIsSaidAtOnceInStatusAndInBothVerifiers() throws {
        let sim = try SimulatorProcess()
        defer { _ = sim.stop() }
        let store = try sim.newStore()
        #expect(try temoin(["attempt"], store: store).status == 0)
        let wrong = try temoinWithClock("-61d", ["attempt"], store: store)
        #expect(wrong.status == 0, "the attempt is recorded: \(wrong.stderr)")
        #expect(wrong.stdout.contains("#3"))
        #expect(wrong.stdout.contains("The computer's clock is wrong: it is 61 days behind the prefecture's server"))
        #expect(wrong.stdout.contains("sudo timedatectl set-ntp true"))
        let french = try temoinWithClock("-61d", ["attempt", "--lang", "fr"], store: store)
        #expect(french.stdout.contains("L'horloge de l'ordinateur est fausse : elle a 61 jours de retard"))
        let json = try temoinWithClock("-61d", ["attempt", "--json"], store: store)
        let attempt = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect((attempt["time"] as? [String: Any])?["verdict"] as? String == "contradicted")
        #expect(json.stderr.contains("61 days behind"), "with --json the warning goes to standard error")

        let status = try temoin(["status"], store: store)
        #expect(status.status == 0)
        #expect(status.stdout.contains("4 attempts: 1 corroborated by the prefecture's server clock"))
        #expect(status.stdout.contains("3 contradicted (#3, #4, #5)"))
        #expect(status.stdout.contains("#3: the prefecture's server clock"))
        #expect(status.stdout.contains("(#3) (time contradicted)"), "the first attempt is never stated as sure")
        // Several: the figures are said to be the first one's, and the plural is real.
        let advice = status.stdout.replacingOccurrences(of: "\n +", with: " ", options: .regularExpression)
        #expect(advice.contains("!! The evidence contradicts the time of #3, #4, #5: #3: the prefecture's"))
        #expect(advice.contains("These 3 attempts stay in the record"))
        let statusFR = try temoin(["status", "--lang", "fr"], store: store)
        #expect(statusFR.stdout.contains("Heures"))
        #expect(statusFR.stdout.contains("3 contredites (n° 3, n° 4, n° 5)"))

        let verify = try temoin(["verify"], store: store)
        #expect(verify.status == 0, "an intact chain with time problems exits 0")
        #expect(verify.stdout.contains("#3  time_server_offset: the prefecture's server clock"))
        #expect(try temoin(["verify", "--strict-time"], store: store).status == 1)
        let (ours, theirs, report) = try cliTimeProblems(store)
        #expect(ours == theirs)
        #expect(
            ours == [
                "3:time_before_case", "3:time_before_previous", "3:time_server_offset", "4:time_before_case",
                "4:time_server_offset", "5:time_before_case", "5:time_server_offset",
            ])
        #expect(report["verdict"] as? String == "intact")
        let reference = try run(
            "/usr/bin/env",
            ["python3", repositoryRoot.appendingPathComponent("docs/verify_reference.py").path, store])
        #expect(reference.status == 0 && reference.stdout.contains("3 contradicted"))
    }

    @Test(
        .enabled(if: faketime, "faketime is installed by scripts/ensure-deps.sh"),
        arguments: [
            ("+3m", "(2 min 59 s|3 min|3 min 1 s)", "ahead of"), ("-3m", "(2 min 59 s|3 min|3 min 1 s)", "behind"),
            ("+61d", "61 days", "ahead of"),
        ])
    func aComputerClockAheadOrBehindIsNamedWithItsFigure(_ offset: String, _ amount: String, _ direction: String)
        throws
    {
        let sim = try SimulatorProcess()
        defer { _ = sim.stop() }
        let store = try sim.newStore()
        let r = try temoinWithClock(offset, ["attempt"], store: store)
        #expect(r.status == 0)
        // The figure is measured against a Date header of whole seconds: within a second of 3 min.
        let said = "The computer's clock is wrong: it is \(amount) \(direction) the prefecture's server"
        #expect(r.stdout.range(of: said, options: .regularExpression) != nil, "\(r.stdout)")
        let (ours, theirs, _) = try cliTimeProblems(store)
        #expect(ours == theirs)
        #expect(ours.contains("2:time_server_offset"))
        #expect(ours.contains("2:time_in_future") == (offset == "+61d"))
        #expect(try temoin(["verify"], store: store).status == 0)
        let status = try temoin(["status"], store: store)
        #expect(status.stdout.contains("1 attempt: 1 contradicted (#2)"), "\(status.stdout)")
        #expect(status.stdout.contains("#2: the prefecture's server clock"))
        // Advice is wrapped to the terminal's width: read it as one line.
        let advice = status.stdout.replacingOccurrences(of: "\n +", with: " ", options: .regularExpression)
        #expect(advice.contains("The evidence contradicts the time of #2: the prefecture's server clock"))
        #expect(advice.contains("This attempt stays in the record, but its time cannot be relied on"))
    }

    @Test(.enabled(if: faketime, "faketime is installed by scripts/ensure-deps.sh"))
    func anImportedPageAndAnUnreachableSiteAreUncorroboratedWithTheirReason() throws {
        let dir = TempDir()
        let store = try initStore(dir)
        var r = try temoin(
            ["import", Fixtures.page("rdv-creneau-aucun.html"), "--observed-at", "2026-11-12T09:01"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        r = try temoin(
            ["attempt", "--url", "http://127.0.0.1:9/booking/create/4963/0", "--timeout", "5"], store: store)
        #expect(r.status == 0 && r.stdout.contains("site unreachable"))
        #expect(!r.stdout.contains("clock"), "nothing to say about the clock when no server answered")
        // Imported on a computer whose clock is a month behind: before the case and before #3.
        r = try temoinWithClock(
            "-30d", ["import", Fixtures.page("legacy-aucune-plage.html"), "--observed-at", "2026-10-06T08:31"],
            store: store)
        #expect(r.status == 0)
        #expect(r.stdout.contains("The time of attempt #4 is contradicted: it was recorded at"), "\(r.stdout)")
        #expect(r.stdout.contains("sudo timedatectl set-ntp true"))
        let status = try temoin(["status"], store: store)
        #expect(
            status.stdout.contains(
                "3 attempts: 2 uncorroborated (1 imported page with a time you declared, 1 where the site did not answer); 1 contradicted (#4)"
            ))
        let (ours, theirs, _) = try cliTimeProblems(store)
        #expect(ours == theirs)
        #expect(ours == ["4:time_before_case", "4:time_before_previous"])
    }

    @Test(.enabled(if: faketime, "faketime is installed by scripts/ensure-deps.sh"))
    func sealsAroundEachAttemptByDefaultAndAnEntryOutsideItsWindow() throws {
        let tsa = try #require(Self.tsa, "the test TSA did not start")
        let sim = try SimulatorProcess()
        defer { _ = sim.stop() }
        let store = try sim.newStore()
        #expect(try temoin(["seal", "tsa", "add", tsa.url("good")], store: store).status == 0)
        #expect(try temoin(["seal"], store: store).status == 0)  // seal 1, of the case
        var r = try temoin(["attempt"], store: store)
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        // Sealed by default, around the attempt: the head before it (#1), then the attempt (#2).
        #expect(r.stdout.contains("seal 2: #1") && r.stdout.contains("seal 3: #2"), "\(r.stdout)")
        r = try temoin(["attempt", "--seal", "off"], store: store)
        #expect(r.status == 0 && !r.stdout.contains("seal 4"))
        // #3 names the latest seal when it was appended: the one of #2.
        #expect(try Store.open(at: store, readOnly: true).entry(seq: 3).body?.afterSeal?.seq == 2)
        // A clock four minutes ahead, on an attempt whose site does not answer: only the seal shows it.
        r = try temoinWithClock(
            "+4m", ["attempt", "--url", "http://127.0.0.1:9/booking/create/4963/0", "--timeout", "5"], store: store)
        #expect(r.status == 0)
        let (ours, theirs, json) = try cliTimeProblems(store)
        #expect(ours == theirs)
        #expect(ours == ["4:time_after_seal"])
        #expect((json["time"] as? [String: Any])?["contradicted"] as? Int == 1)
        let status = try temoin(["status"], store: store)
        #expect(status.stdout.contains("3 of 3 attempts lie between two seals"), "\(status.stdout)")
        #expect(!status.stdout.contains("without a window"))
        #expect(try temoin(["attempt", "--seal", "on", "--store", initStore(TempDir())]).status == 64)
    }

    @Test func initConfiguresTimeStampAuthoritiesAndTakesAFirstSeal() throws {
        let tsa = try #require(Self.tsa, "the test TSA did not start")
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        let r = try temoin(Fixtures.initArguments + ["--tsa", tsa.url("good")], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Time-stamp authorities configured: \(tsa.url("good"))"))
        #expect(r.stdout.contains("seal 1: #1"))
        #expect(try Store.open(at: store, readOnly: true).tsas().map(\.url) == [tsa.url("good")])
        // An authority that does not answer stays configured, and init still succeeds.
        let other = TempDir().file("temoin.sqlite")
        let offline = try temoin(Fixtures.initArguments + ["--tsa", "http://127.0.0.1:9/tsr"], store: other)
        #expect(offline.status == 0)
        #expect(offline.stderr.contains("will try again around each attempt"))
        #expect(try Store.open(at: other, readOnly: true).tsas().count == 1)
        #expect(try temoin(Fixtures.initArguments + ["--tsa", "not a url"], store: TempDir().file("x")).status == 64)
    }
}
