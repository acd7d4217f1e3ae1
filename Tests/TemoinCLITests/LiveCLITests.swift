import Foundation
import TestSupport
import Testing

@testable import TemoinKit

@Suite(.serialized) struct LiveCLITests {
    @Test func attemptsAgainstTheSimulatorThroughTheCLI() throws {
        let sim = try SimulatorProcess()
        let store = try sim.newStore()
        let one = try temoin(["attempt"], store: store)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.contains("#2") && one.stdout.contains("no slot"))
        let json = try temoin(
            ["attempt", "--json", "--url", sim.baseURL + "/scenario/overload-502/booking/create/4963/0"], store: store)
        let report = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect(report["outcome"] as? String == "site_error")
        let slot = try temoin(
            ["attempt", "--url", sim.baseURL + "/scenario/slot-available/booking/create/4963/0"], store: store)
        #expect(slot.stdout.contains("SLOT AVAILABLE") && slot.stdout.contains("never books"))
        let show = try temoin(["show", "2", "--json"], store: store)
        let entry = try #require(try JSONSerialization.jsonObject(with: show.stdoutData) as? [String: Any])
        #expect(entry["provenance"] as? String == "captured")
        #expect(entry["time_basis"] as? String == "witnessed")
        #expect(try temoin(["verify"], store: store).status == 0)
        #expect(try referenceVerify(store).0 == 0)
        #expect(sim.stop() == 0)
        // With the simulator gone, the attempt is still recorded: the site was unreachable.
        let down = try temoin(["attempt"], store: store)
        #expect(down.status == 0)
        #expect(down.stdout.contains("site unreachable"))
    }

    @Test func everyScenarioOfTheSimulatorThroughTheCLI() throws {
        let dir = TempDir()
        let pem = dir.file("simulator.pem")
        let sim = try SimulatorProcess(arguments: ["--https-port", "0", "--certificate-out", pem])
        let store = try sim.newStore()
        let cases: [(String, [String], String, String?)] = [
            ("no-slot", [], "no_slot", nil), ("slot-available", [], "slot_available", nil),
            ("overload-502", [], "site_error", nil), ("maintenance", [], "site_error", nil),
            ("latin1", [], "no_slot", nil),
            ("gzip", [], "no_slot", nil), ("redirects", [], "no_slot", nil),
            ("redirect-loop", [], "site_error", "too_many_redirects"),
            ("slow", ["--timeout", "1"], "unreachable", "timeout"),
            ("drip", ["--timeout", "2"], "unreachable", "timeout"), ("reset", [], "unreachable", "reset"),
        ]
        for (scenario, extra, outcome, failure) in cases {
            let url = "\(sim.baseURL)/scenario/\(scenario)/booking/create/4963/0"
            let r = try temoin(["attempt", "--json", "--url", url] + extra, store: store)
            #expect(r.status == 0, "\(scenario): \(r.stderr)")
            let json = try #require(
                try JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any], "\(scenario)")
            #expect(json["outcome"] as? String == outcome, "\(scenario): \(r.stdout)")
            #expect((json["failure"] as? [String: Any])?["kind"] as? String == failure, "\(scenario)")
        }
        // An endless body stops at the cap, flagged, and the attempt is recorded.
        let huge = try temoin(
            ["attempt", "--json", "--max-size", "1MB", "--url", "\(sim.baseURL)/scenario/huge/booking/create/4963/0"],
            store: store)
        let hugeSeq = try #require(
            (try JSONSerialization.jsonObject(with: huge.stdoutData) as? [String: Any])?["seq"] as? Int)
        let shown = try temoin(["show", String(hugeSeq), "--json"], store: store)
        let exchanges =
            (try JSONSerialization.jsonObject(with: shown.stdoutData) as? [String: Any])?["exchanges"]
            as? [[String: Any]]
        #expect(exchanges?.last?["body_truncated"] as? Bool == true)
        // HTTPS: trusted through --cacert, its certificate recorded; untrusted, a recorded TLS failure.
        let https = try #require(sim.httpsURL)
        let trusted = try temoin(
            ["attempt", "--json", "--cacert", pem, "--url", "\(https)/booking/create/4963/0"], store: store)
        #expect(
            (try JSONSerialization.jsonObject(with: trusted.stdoutData) as? [String: Any])?["outcome"] as? String
                == "no_slot")
        let untrusted = try temoin(["attempt", "--json", "--url", "\(https)/booking/create/4963/0"], store: store)
        let u = try JSONSerialization.jsonObject(with: untrusted.stdoutData) as? [String: Any]
        #expect(u?["outcome"] as? String == "unreachable")
        #expect((u?["failure"] as? [String: Any])?["kind"] as? String == "tls")
        #expect(try temoin(["verify"], store: store).status == 0)
        #expect(try referenceVerify(store).0 == 0)
        _ = sim.stop()
    }

    @Test func watchKeepsAHumanePace() throws {
        let sim = try SimulatorProcess()
        let store = try sim.newStore()
        let tooFast = try temoin(["watch", "--every", "1m"], store: store)
        #expect(tooFast.status == 64)
        #expect(tooFast.stderr.contains("5 minutes"))
        let once = try temoin(["watch", "--every", "2h", "--jitter", "40m", "--count", "1", "--json"], store: store)
        #expect(once.status == 0, "\(once.stderr)")
        let lines = once.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first.map { $0.contains(#""outcome" : "no_slot""#) } == true)
        _ = sim.stop()
    }

    @Test func ctrlCDuringAnAttemptRecordsNothing() throws {
        let sim = try SimulatorProcess(arguments: ["--scenario", "slow"])
        let store = try sim.newStore()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: temoinBinary)
        p.arguments = ["attempt", "--store", store]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        // Ctrl-C once the attempt's connection is open (the simulator answers only after 3 s).
        let port = try #require(URL(string: sim.baseURL)?.port)
        try #require(waitUntilConnected(p.processIdentifier, toPort: port), "the attempt never connected")
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        #expect(
            String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains(
                "nothing unfinished was recorded"))
        #expect(try Store.open(at: store, readOnly: true).entries().count == 1)
        _ = sim.stop()
    }

    @Test func aHostileServerCannotGrowMemoryBeyondTheCap() throws {
        let sim = try SimulatorProcess(arguments: ["--scenario", "huge"])
        let store = try sim.newStore()
        let r = try run(
            "/usr/bin/time", ["-f", "maxrss_kb=%M", temoinBinary, "attempt", "--max-size", "8MB", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        let rss = r.stderr.components(separatedBy: "maxrss_kb=").last.flatMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        // The cap is 8 MB; the body is held once, plus its compressed copy: far under 200 MB.
        #expect((rss ?? .max) < 200_000, "max RSS \(rss ?? -1) kB")
        let entry = try Store.open(at: store, readOnly: true).entry(seq: 2)
        #expect(entry.body?.exchanges?.last?.bodyTruncated == true)
        _ = sim.stop()
    }

    @Test func scheduleAndProfilesHelpSetUp() throws {
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        let cron = try temoin(["schedule", "--every", "3h"], store: store)
        #expect(cron.status == 0)
        #expect(cron.stdout.contains("*/3 * * *") && cron.stdout.contains("attempt --store '\(store)'"))
        let unit = try temoin(["schedule", "--every", "2h", "--jitter", "40m", "--systemd"], store: store)
        #expect(unit.stdout.contains("RandomizedDelaySec=2400s"))
        #expect(try temoin(["schedule", "--every", "2m"], store: store).status == 64)
        let list = try temoin(["profiles", "list"])
        for name in ["prefecture-legacy", "rdv-prefecture", "generic"] { #expect(list.stdout.contains(name)) }
        let show = try temoin(["profiles", "show", "prefecture-legacy"])
        #expect(show.stdout.contains("Effectuer une demande de rendez-vous"))
        #expect(show.stdout.contains("legacy-no-slot"))
        #expect(try temoin(["profiles", "show", "ants"]).status == 64)
    }
}
