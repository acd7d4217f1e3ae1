import Foundation
import TestSupport
import Testing

@testable import TemoinKit
@testable import TemoinSimulator

@Suite(.serialized) struct DoctorTests {
    func status(_ report: DoctorReport, _ kind: DoctorCheck.Kind) -> DoctorCheck.Status? {
        report.checks.first { $0.kind == kind }?.status
    }

    func check(_ report: DoctorReport, _ kind: DoctorCheck.Kind) throws -> DoctorCheck {
        try #require(report.checks.first { $0.kind == kind })
    }

    @Test func everythingAnAttemptNeedsIsFoundAgainstTheSimulator() async throws {
        let tsa = try LocalTSA()
        try await withSimulator { sim in
            let store = try attemptStore("\(sim.baseURL)/booking/create/4963/0")
            try store.addTSA(url: tsa.url("good"), name: "test")
            var doctor = Doctor(storePath: store.path)
            doctor.browserPath = "/bin/sh"  // any executable stands for a browser here
            let configured = doctor
            let report = try await offPool { configured.run() }
            #expect(report.checks.map(\.kind) == DoctorCheck.Kind.allCases)
            for kind in [DoctorCheck.Kind.installation, .store, .authorities, .network, .clock, .browser, .tsa] {
                let finding = report.checks.first { $0.kind == kind }?.finding ?? ""
                #expect(status(report, kind) == .ok, "\(kind): \(finding)")
            }
            #expect(!report.hasProblem)
            #expect(try check(report, .store).finding.contains(store.path))
            #expect(try check(report, .network).finding.contains("200"))
        }
    }

    /// The computer's clock five minutes ahead of the site's: a problem, said with the amount and what
    /// to do; twenty seconds: a warning.
    @Test func aClockThatDisagreesWithTheSitesIsSaidWithTheAmount() async throws {
        try await withSimulator { sim in
            let store = try attemptStore("\(sim.baseURL)/booking/create/4963/0")
            var doctor = Doctor(storePath: store.path)
            doctor.now = { Date().addingTimeInterval(300) }
            let ahead = try check(doctor.run(), .clock)
            #expect(ahead.status == .problem)
            #expect(ahead.finding.contains("5 min") && ahead.finding.contains("ahead"), "\(ahead.finding)")
            #expect(ahead.fix?.contains("timedatectl") == true)
            doctor.now = { Date().addingTimeInterval(-20) }
            let behind = try check(doctor.run(), .clock)
            #expect(behind.status == .warning)
            #expect(behind.finding.contains("behind"), "\(behind.finding)")
        }
    }

    @Test func anUnreachableSiteIsAProblemAndTheClockIsNotCompared() throws {
        let (_, store) = try makeStore()
        var doctor = Doctor(storePath: store.path)
        doctor.bookingURL = "http://127.0.0.1:9/booking/create/1/0"  // discard port: nothing listens
        let report = doctor.run()
        #expect(status(report, .network) == .problem)
        #expect(status(report, .clock) == .skipped)
        #expect(report.hasProblem)
        #expect(try check(report, .network).fix != nil)
    }

    @Test func noStoreYetIsAWarningWithTheCommandToRun() throws {
        let dir = TempDir()
        let report = Doctor(storePath: dir.file("temoin.sqlite")).run()
        let store = try check(report, .store)
        #expect(store.status == .warning)
        #expect(store.fix?.contains("temoin init") == true)
        #expect(status(report, .network) == .skipped)
        #expect(status(report, .tsa) == .skipped)
    }

    @Test func aMissingBrowserIsAProblemOnlyWhereTheSiteHasACaptcha() throws {
        var fields = Fixtures.sampleCase
        fields.bookingURL = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/"
        let dir = TempDir()
        _ = try Store.create(at: dir.file("temoin.sqlite"), case: fields)
        var doctor = Doctor(storePath: dir.file("temoin.sqlite"))
        doctor.browserPath = dir.file("no-such-browser")
        #expect(doctor.browser(url: fields.bookingURL, profile: "auto").status == .problem)
        #expect(
            doctor.browser(url: "https://www.val-de-marne.gouv.fr/booking/create/4963/0", profile: "auto").status
                == .warning)
    }

    /// A store on a read-only file system: attempts could not be recorded. Needs root for the mount.
    @Test func aStoreThatCannotBeWrittenIsAProblem() throws {
        guard geteuid() == 0 else { try Test.cancel("needs root to mount a read-only file system") }
        let dir = TempDir()
        let mountPoint = dir.file("ro")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        #expect(try run("/bin/mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mountPoint]).status == 0)
        defer { _ = try? run("/bin/umount", ["-l", mountPoint]) }
        let path = mountPoint + "/temoin.sqlite"
        _ = try Store.create(at: path, case: Fixtures.sampleCase)
        #expect(try run("/bin/mount", ["-o", "remount,ro", mountPoint]).status == 0)
        let store = try check(Doctor(storePath: path).run(), .store)
        #expect(store.status == .problem, "\(store.finding)")
        #expect(store.fix != nil)
    }

    @Test func freeSpaceIsMeasuredWhereTheStoreLives() throws {
        let dir = TempDir()
        let c = try check(Doctor(storePath: dir.file("temoin.sqlite")).run(), .freeSpace)
        #expect(c.status != .skipped)
        #expect(c.finding.contains(dir.path))
    }

    @Test func theCommandPrintsJSONAndExitsOneOnAProblem() throws {
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        #expect(try temoin(Fixtures.initArguments, store: store).status == 0)
        let r = try temoin(["doctor", "--json", "--url", "http://127.0.0.1:9/"], store: store)
        #expect(r.status == 1, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any])
        #expect(json["ok"] as? Bool == false)
        let checks = try #require(json["checks"] as? [[String: Any]])
        let network = try #require(checks.first { $0["kind"] as? String == "network" })
        #expect(network["status"] as? String == "problem")
        #expect((network["fix"] as? String)?.isEmpty == false)
        let french = try temoin(
            ["doctor", "--url", "http://127.0.0.1:9/"], store: store, environment: ["LANG": "fr_FR.UTF-8"])
        #expect(french.stdout.contains("PROBLÈME") && french.stdout.contains("site de réservation"), "\(french.stdout)")
    }

    /// Doctor names its messages in full ("doctor.clock.wrong"): each exists in both languages, and its
    /// fix too when the catalogue has one.
    @Test func everyMessageDoctorNamesIsInTheCatalogue() throws {
        let source = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Sources/TemoinKit/Doctor/Doctor.swift"), encoding: .utf8)
        let keys = source.matches(of: #/"(doctor\.[a-z_]+\.[a-z_.]+)"/#).map { String($0.output.1) }
        #expect(keys.count > 30)
        let catalogue = Messages.shared.catalogue
        for key in keys {
            #expect(catalogue[key]?["en"] != nil && catalogue[key]?["fr"] != nil, "\(key)")
        }
        for kind in Installation.Kind.allCases {
            #expect(catalogue["doctor.installation.\(kind.rawValue)"] != nil)
        }
    }
}
