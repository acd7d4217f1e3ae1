import Foundation
import GRDB
import TestSupport
import Testing

@testable import TemoinKit
@testable import TemoinSimulator

/// Builds stores whose times the test chooses, through TemoinKit's own append (the clock is injected:
/// `recorded_at` is what the test says the computer's clock read).
struct TimedStore {
    let dir = TempDir()
    let store: Store
    /// The real time the case was opened.
    let opened: Date

    init(opened: Date = Date().addingTimeInterval(-3600)) throws {
        self.opened = opened
        store = try Store.create(at: dir.file("temoin.sqlite"), case: Fixtures.sampleCase, now: opened)
    }

    var path: String { store.path }

    /// A captured attempt at real time `at`, recorded by a computer whose clock is off by `clockOff`
    /// seconds, from a server whose clock is right (its `Date` header is the real time). `answered`
    /// false: the site never answered (no exchange with a status).
    @discardableResult
    func captured(at real: Date, clockOff: TimeInterval = 0, answered: Bool = true, dated: Bool = true) throws
        -> StoredEntry
    {
        let local = real.addingTimeInterval(clockOff)
        return try store.append(type: .attempt, now: local.addingTimeInterval(1)) { body in
            body.provenance = .captured
            body.timeBasis = .witnessed
            body.observedAt = TimeFormat.utc(local)
            body.url = Fixtures.sampleCase.bookingURL
            body.outcome = answered ? .noSlot : .unreachable
            var e = HTTPExchange(
                startedAt: TimeFormat.utc(local), method: "GET", url: Fixtures.sampleCase.bookingURL,
                requestHeaders: [])
            if answered {
                e.status = 200
                e.timings = Timings(dnsMs: 1, connectMs: 2, tlsMs: nil, firstByteMs: 120, totalMs: 130)
                // The server stamps its Date when it answers (120 ms in), truncated to the second.
                let stamp = real.addingTimeInterval(0.12)
                e.responseHeaders = dated ? [HeaderField(name: "Date", value: httpDate(stamp))] : []
                e.serverDate = dated ? httpDate(stamp) : nil
            } else {
                e.failure = NetworkFailure(kind: "refused", message: "Connection refused", curlCode: 7)
            }
            body.exchanges = [e]
        }
    }

    /// An imported page with a declared time, imported at real time `at` on a clock off by `clockOff`.
    @discardableResult
    func imported(at real: Date, clockOff: TimeInterval = 0, declared: Date) throws -> StoredEntry {
        try store.append(type: .attempt, now: real.addingTimeInterval(clockOff)) { body in
            body.provenance = .imported
            body.timeBasis = .declared
            body.observedAt = TimeFormat.utc(declared)
            body.url = Fixtures.sampleCase.bookingURL
            body.outcome = .noSlot
        }
    }
}

/// The time problems both verifiers report, as "seq:code", and the two reports' `time` members.
func timeProblems(_ path: String) throws -> (temoin: [String], reference: [String], report: VerificationReport) {
    var report = try Verifier().verify(path: path)
    try AnchorChecks.extend(&report, path: path, trust: TSATrust(), trustedKeys: [])
    let ours = report.time?.problems.map { "\($0.seq):\($0.code.rawValue)" } ?? ["(no time)"]
    let (_, json) = try referenceVerify(path)
    let time = json["time"] as? [String: Any]
    let theirs =
        (time?["problems"] as? [[String: Any]])?.map { "\($0["seq"] as? Int ?? -1):\($0["code"] as? String ?? "")" }
        ?? ["(no time)"]
    return (ours, theirs, report)
}

@Suite(.serialized) struct TimeTests {
    let day: TimeInterval = 86_400

    // MARK: Grammars (FORMAT.md §8.1)

    @Test func theTimeGrammarsAreExactAndAgreeWithTheReferenceVerifier() throws {
        let instants = [
            "2026-12-06T09:40:00.000Z", "2024-02-29T23:59:59.999Z", "2026-02-29T10:00:00.000Z",
            "2026-12-06T09:40:00Z", "2026-12-06 09:40:00.000Z", "0000-01-01T00:00:00.000Z", "2026-12-06T24:00:00.000Z",
            "2026-12-06T09:40:60.000Z", "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z",
        ]
        let dates = [
            "Sun, 06 Dec 2026 09:40:00 GMT", "Sun, 6 Dec 2026 09:40:00 GMT", "Sunday, 06-Dec-26 09:40:00 GMT",
            "Sun Dec  6 09:40:00 2026", "Xyz, 06 Dec 2026 09:40:00 GMT", "Sun, 06 Dec 2026 09:40:00 UTC",
            "Mon, 29 Feb 2027 00:00:00 GMT",
        ]
        let genTimes = [
            "20261206094000Z", "20261206094000.123456Z", "20261206094000.5Z", "20261206094000.Z", "2026120609400Z",
        ]
        #expect(TimeRules.instantMs(instants[0]) == 1_796_550_000_000)
        #expect(TimeRules.instantMs(instants[2]) == nil && TimeRules.instantMs(instants[3]) == nil)
        #expect(TimeRules.instantMs(instants[9]) == -1)
        #expect(TimeRules.httpDateMs(dates[0]) == 1_796_550_000_000)
        #expect(dates.dropFirst().allSatisfy { TimeRules.httpDateMs($0) == nil })
        #expect(TimeRules.generalizedTimeMs(Array(genTimes[1].utf8)) == 1_796_550_000_123)
        #expect(TimeRules.generalizedTimeMs(Array(genTimes[2].utf8)) == 1_796_550_000_500)
        #expect(TimeRules.utc(1_796_550_000_123) == "2026-12-06T09:40:00.123Z")
        #expect(TimeRules.utc(-1) == "1969-12-31T23:59:59.999Z")
        // The same answers from the reference verifier's functions.
        let script = """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            import verify_reference as v
            a = json.loads(sys.argv[2])
            print(json.dumps([[v.instant_ms(x) for x in a[0]], [v.http_date_ms(x) for x in a[1]],
                              [v.generalized_time_ms(x) for x in a[2]], [v.utc_text(v.instant_ms(a[0][0]))]]))
            """
        let input = String(
            decoding: try JSONSerialization.data(withJSONObject: [instants, dates, genTimes]), as: UTF8.self)
        let r = try run(
            "/usr/bin/env", ["python3", "-c", script, repositoryRoot.appendingPathComponent("docs").path, input])
        let theirs = try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [[Any]], "\(r.stderr)")
        func ints(_ list: [Any]) -> [Int64?] { list.map { ($0 as? NSNumber)?.int64Value } }
        #expect(ints(theirs[0]) == instants.map(TimeRules.instantMs))
        #expect(ints(theirs[1]) == dates.map(TimeRules.httpDateMs))
        #expect(ints(theirs[2]) == genTimes.map { TimeRules.generalizedTimeMs(Array($0.utf8)) })
        #expect(theirs[3].first as? String == instants[0])
    }

    // MARK: The server's clock

    @Test func aRightClockIsCorroboratedWithinTheMeasuredSeconds() throws {
        let t = try TimedStore()
        try t.captured(at: t.opened.addingTimeInterval(600))
        try t.captured(at: t.opened.addingTimeInterval(1200), clockOff: 0.8)
        let (ours, theirs, report) = try timeProblems(t.path)
        #expect(ours.isEmpty && theirs.isEmpty)
        let time = try #require(report.time)
        #expect(report.verdict == .intact)
        #expect(time.attempts == 2 && time.corroborated == 2 && time.byServer == 2 && time.contradicted == 0)
        // Offsets measured from a Date truncated to the second: at most 1.8 s here, said as "within 3 s".
        #expect((time.serverOffsetMaxMs ?? 9999) <= 1800)
        #expect(time.serverAgreementSeconds.map { $0 <= 3 } == true)
        Messages.shared.language = .fr
        defer { Messages.shared.language = .en }
        #expect(time.sentence.contains("2 corroborées par l'horloge du serveur de la préfecture"))
    }

    /// The computer's clock ahead or behind the prefecture's by minutes and by months.
    @Test(arguments: [180.0, -180.0, 61 * 86_400.0, -61 * 86_400.0])
    func aWrongComputerClockContradictsTheAttempt(_ off: TimeInterval) throws {
        let t = try TimedStore()
        try t.captured(at: t.opened.addingTimeInterval(600))
        try t.captured(at: t.opened.addingTimeInterval(1200), clockOff: off)
        try t.captured(at: t.opened.addingTimeInterval(1800))
        let (ours, theirs, report) = try timeProblems(t.path)
        #expect(ours == theirs)
        let expected: [String]
        switch off {
        case 61 * day:
            // Months ahead: recorded after #4 (whose clock is right), and in the verifier's future.
            expected = ["3:time_after_next", "3:time_in_future", "3:time_server_offset"]
        case -61 * day:
            // Months behind: recorded before #2 and before the case was opened.
            expected = ["3:time_before_case", "3:time_before_previous", "3:time_server_offset"]
        default:
            // Minutes: still in order with #2 and #4 (ten minutes apart); only the server shows it.
            expected = ["3:time_server_offset"]
        }
        #expect(ours == expected)
        #expect(report.verdict == .intact, "time problems never make the chain tampered")
        let time = try #require(report.time)
        #expect(time.contradicted == 1 && time.contradictedSeqs == [3] && time.corroborated == 2)
        let offset = try #require(time.problems.first { $0.code == .serverOffset }?.differenceMs)
        // The server's clock minus the computer's: the opposite of how far the computer is off.
        #expect(abs(Double(offset) / 1000 + off) < 2)
    }

    @Test func theAttemptIsJudgedAtOnceAndThePersonToldHowToFixTheClock() throws {
        let t = try TimedStore()
        let ok = try t.captured(at: t.opened.addingTimeInterval(600))
        #expect(try TimeCorroboration.check(store: t.store, appended: ok)?.verdict == .corroborated)
        #expect(try TimeCorroboration.check(store: t.store, appended: ok)?.warnings.isEmpty == true)
        let wrong = try t.captured(at: t.opened.addingTimeInterval(1200), clockOff: -61 * day)
        let time = try #require(try TimeCorroboration.check(store: t.store, appended: wrong))
        #expect(time.verdict == .contradicted)
        #expect(time.problems.map(\.code) == [.beforeCase, .beforePrevious, .serverOffset])
        let english = time.warnings.joined(separator: "\n")
        #expect(english.contains("The computer's clock is wrong: it is 61 days behind the prefecture's server"))
        #expect(english.contains("sudo timedatectl set-ntp true"))
        Messages.shared.language = .fr
        defer { Messages.shared.language = .en }
        let french = time.warnings.joined(separator: "\n")
        #expect(french.contains("elle a 61 jours de retard sur le serveur de la préfecture"))
        #expect(french.contains("La tentative est tout de même enregistrée"))
    }

    /// The simulator's clock-skew scenario: a prefecture whose Date is off, as a wrong computer clock
    /// looks from the other side; and a computer clock moved by the injected clock.
    @Test(arguments: [180.0, -180.0, 61 * 86_400.0, -61 * 86_400.0])
    func theServersDateOffByAChosenAmountIsRecordedAndJudged(_ skew: TimeInterval) async throws {
        try await withSimulator { sim in
            let url = "\(sim.baseURL)/scenario/clock-skew/\(Int(skew))/booking/create/4963/0"
            let store = try attemptStore(url)
            var settings = AttemptOptions()
            settings.transfer.timeout = 10
            let options = settings
            let report = try await offPool { try AttemptRunner(store: store).run(options: options) }
            #expect(report.outcome == .noSlot)
            let offset = try #require(report.entry.body?.environment?.clockOffsetMs)
            #expect(abs(Double(offset) / 1000 - skew) < 2, "the Date header is off by the chosen amount")
            let time = try #require(try TimeCorroboration.check(store: store, appended: report.entry))
            #expect(time.verdict == .contradicted && time.mainProblem?.code == .serverOffset)
            #expect(time.warnings.first?.contains(skew > 0 ? "behind the prefecture's server" : "ahead of") == true)
        }
        // The same difference from the computer's side: its clock moved the other way.
        try await withSimulator { sim in
            let dir = TempDir()
            var fields = Fixtures.sampleCase
            fields.bookingURL = "\(sim.baseURL)/booking/create/4963/0"
            let store = try Store.create(
                at: dir.file("temoin.sqlite"), case: fields, now: Date().addingTimeInterval(-skew - 60),
                clock: .offset(by: -skew))
            let report = try await offPool { try AttemptRunner(store: store).run() }
            let offset = try #require(report.entry.body?.environment?.clockOffsetMs)
            #expect(abs(Double(offset) / 1000 - skew) < 2)
            #expect(try TimeCorroboration.check(store: store, appended: report.entry)?.verdict == .contradicted)
        }
    }

    // MARK: Order

    @Test func anEntryDatedBeforeItsPredecessorAndBeforeTheCaseIsNamed() throws {
        let t = try TimedStore()
        // #2 and #3: imported pages (no server clock); #3 imported on a clock a day behind.
        try t.imported(at: t.opened.addingTimeInterval(600), declared: t.opened.addingTimeInterval(-5 * day))
        try t.imported(
            at: t.opened.addingTimeInterval(900), clockOff: -day, declared: t.opened.addingTimeInterval(-4 * day))
        // #4: a captured attempt whose clock is right, then #5 imported on the wrong clock again.
        try t.captured(at: t.opened.addingTimeInterval(1200))
        try t.imported(
            at: t.opened.addingTimeInterval(1500), clockOff: -day, declared: t.opened.addingTimeInterval(-3 * day))
        let (ours, theirs, report) = try timeProblems(t.path)
        #expect(ours == theirs)
        // #3 is before the case, so it stands below #2 (which nothing contradicts): only #3 is named.
        // #4 (confirmed by the server) and #3: #3 is named again; #5 before #4 and the case.
        #expect(
            ours == ["3:time_before_case", "3:time_before_previous", "5:time_before_case", "5:time_before_previous"])
        let time = try #require(report.time)
        #expect(time.contradictedSeqs == [3, 5])
        #expect(time.uncorroborated.declared == 1 && time.byServer == 1)
    }

    @Test func twoUnconfirmedEntriesOutOfOrderAreBothNamed() throws {
        let t = try TimedStore()
        // #2 imported on a right clock, #3 on a clock 1000 s behind (still after the case's opening):
        // nothing tells which of the two is wrong.
        try t.imported(at: t.opened.addingTimeInterval(600), declared: t.opened)
        try t.imported(at: t.opened.addingTimeInterval(900), clockOff: -1000, declared: t.opened)
        let (ours, theirs, report) = try timeProblems(t.path)
        #expect(ours == theirs)
        #expect(ours == ["2:time_after_next", "3:time_before_previous"])
        #expect(report.time?.contradictedSeqs == [2, 3])
    }

    // MARK: Uncorroborated

    @Test func anImportedPageAndAnUnreachableSiteAreUncorroboratedAndSaySo() throws {
        let t = try TimedStore()
        try t.imported(at: t.opened.addingTimeInterval(600), declared: t.opened.addingTimeInterval(-2 * day))
        try t.captured(at: t.opened.addingTimeInterval(900), answered: false)
        try t.captured(at: t.opened.addingTimeInterval(1200), dated: false)
        let (ours, theirs, report) = try timeProblems(t.path)
        #expect(ours.isEmpty && theirs.isEmpty)
        let time = try #require(report.time)
        #expect(time.corroborated == 0 && time.contradicted == 0)
        #expect(time.uncorroborated.declared == 1 && time.uncorroborated.unreachable == 1)
        #expect(time.uncorroborated.noServerDate == 1)
        #expect(
            time.sentence
                == "3 attempts: 3 uncorroborated (1 imported page with a time you declared, 1 where the site did not answer, 1 where the server gave no readable time)"
        )
        let (_, json) = try referenceVerify(t.path)
        let reference = try #require(json["time"] as? [String: Any])
        #expect(
            reference["uncorroborated"] as? [String: Int]
                == [
                    "declared": 1, "file_mtime": 0, "unreachable": 1, "no_server_date": 1, "no_exchange_recorded": 0,
                    "unreadable": 0,
                ])
    }

    /// An attempt on the tool's clock that holds no exchange at all (stores written without them, as
    /// the benchmark's) says nothing of the site: never "unreachable", which needs exchanges recorded
    /// and none answered.
    @Test func anAttemptWithNoExchangeRecordedIsNotCalledUnreachable() throws {
        let t = try TimedStore()
        try t.captured(at: t.opened.addingTimeInterval(600), answered: false)
        for (k, exchanges) in [(900.0, nil), (1200.0, [] as [HTTPExchange]?)] {
            try t.store.append(type: .attempt, now: t.opened.addingTimeInterval(k + 1)) { body in
                body.provenance = .captured
                body.timeBasis = .witnessed
                body.observedAt = TimeFormat.utc(t.opened.addingTimeInterval(k))
                body.url = Fixtures.sampleCase.bookingURL
                body.outcome = .noSlot
                body.exchanges = exchanges
            }
        }
        let (ours, theirs, report) = try timeProblems(t.path)
        #expect(ours.isEmpty && theirs.isEmpty)
        let time = try #require(report.time)
        #expect(time.uncorroborated.unreachable == 1 && time.uncorroborated.noExchangeRecorded == 2)
        #expect(
            time.sentence
                == "3 attempts: 3 uncorroborated (1 where the site did not answer, 2 with no HTTP exchange recorded)")
        let (_, json) = try referenceVerify(t.path)
        let reference = try #require(json["time"] as? [String: Any])
        #expect(
            reference["uncorroborated"] as? [String: Int]
                == [
                    "declared": 0, "file_mtime": 0, "unreachable": 1, "no_server_date": 0, "no_exchange_recorded": 2,
                    "unreadable": 0,
                ])
        let (_, all) = try TimeCorroboration.attempts(store: t.store)
        #expect([2, 3, 4].map { all[$0]?.reason } == [.unreachable, .noExchangeRecorded, .noExchangeRecorded])
        let status = try CaseStatus.compute(path: t.path)
        #expect(status.text.contains("1 where the site did not answer, 2 with no HTTP exchange recorded"))
    }

    @Test func aCacheAgeIsAddedToTheServersDate() throws {
        let t = try TimedStore()
        // A cache answered with a Date five minutes old and Age: 300: the server's clock is right.
        try t.store.append(type: .attempt) { body in
            let now = Date()
            body.provenance = .captured
            body.timeBasis = .witnessed
            body.observedAt = TimeFormat.utc(now)
            body.outcome = .noSlot
            var e = HTTPExchange(
                startedAt: TimeFormat.utc(now), method: "GET", url: "https://x.test/", requestHeaders: [])
            e.status = 200
            e.serverDate = httpDate(now.addingTimeInterval(-300))
            e.responseHeaders = [HeaderField(name: "age", value: "300")]
            body.exchanges = [e]
        }
        let (ours, theirs, report) = try timeProblems(t.path)
        #expect(ours.isEmpty && theirs.isEmpty)
        #expect(report.time?.byServer == 1)
    }

    // MARK: Older stores

    @Test func aStoreWithoutTheNewMemberVerifiesAsBeforeAndReadsTheSame() throws {
        let t = try TimedStore()
        try t.captured(at: t.opened.addingTimeInterval(600))
        try t.imported(at: t.opened.addingTimeInterval(900), declared: t.opened)
        let body = try #require(try t.store.entry(seq: 2).bodyBytes)
        #expect(!String(decoding: body, as: UTF8.self).contains("after_seal"))
        let (ours, theirs, report) = try timeProblems(t.path)
        #expect(ours.isEmpty && theirs.isEmpty)
        #expect(report.verdict == .intact && report.problems.isEmpty && report.firstBadSeq == nil)
        #expect(try referenceVerify(t.path).0 == 0)
        // The status of a store with no time problem: the rows it had, plus the new one.
        let status = try CaseStatus.compute(path: t.path)
        var without = status
        without.time = nil
        let added = status.text.split(separator: "\n").filter { !without.text.split(separator: "\n").contains($0) }
        #expect(added.count == 1 && added[0].hasPrefix("Times"))
        let seconds = try #require(status.time?.summary.serverAgreementSeconds)
        #expect(
            added[0].hasSuffix(
                "2 attempts: 1 corroborated by the prefecture's server clock, which agrees with the computer's within \(seconds) s; 1 uncorroborated (1 imported page with a time you declared)"
            ))
    }

    /// A time-stamp authority is named by its URL, the same in a seal window and in a problem, and a
    /// user name or password in it is never printed.
    @Test func anAuthorityIsNamedByItsURLWithoutCredentials() {
        #expect(TimeText.authority("https://freetsa.org/tsr") == "https://freetsa.org/tsr")
        #expect(TimeText.authority("http://127.0.0.1:8123/good") == "http://127.0.0.1:8123/good")
        #expect(TimeText.authority("https://ann:s3cret@tsa.example:8443/ts?x=1") == "https://tsa.example:8443/ts?x=1")
        let seal = SealClock(id: 3, seq: 2, genMs: 0, tokenSHA256: "", tsaURL: "https://ann:s3cret@tsa.example/ts")
        let problem = TimeProblem(
            seq: 3, code: .afterSeal, at: 200_000, reference: 0, differenceMs: 200_000, seal: seal)
        #expect(problem.text(.en).contains("authority https://tsa.example/ts certified"), "\(problem.text(.en))")
        #expect(!problem.text(.fr).contains("s3cret"))
        #expect(TimeText.window(seal, seal, language: .en).hasSuffix("according to https://tsa.example/ts"))
    }

    @Test func theMessagesOfTheTimeRulesExistInBothLanguages() {
        let catalogue = Messages.shared.catalogue
        var keys = TimeCode.allCases.map { "time.problem.\($0.rawValue)" }
        for family in ["time.unit.ms", "time.unit.second", "time.unit.minute", "time.unit.hour", "time.unit.day"]
            + ["time.summary.attempts", "time.summary.server", "time.summary.seals", "time.summary.uncorroborated"]
            + ["time.summary.contradicted", "status.windows.count", "status.advice.time_kept"]
            + UncorroboratedReason.allCases.map({ "time.reason.\($0.rawValue)" })
        {
            keys += [family + ".one", family + ".other"]
        }
        keys += [
            "time.window.one_tsa", "time.window.two_tsas", "time.attempt.clock_ahead", "time.attempt.clock_behind",
        ]
        for key in keys { #expect(catalogue[key]?["en"] != nil && catalogue[key]?["fr"] != nil, "\(key)") }
        #expect(TimeText.duration(61 * 86_400_000 + 7_200_000) == "61 days 2 h")
        #expect(TimeText.duration(1 * 86_400_000) == "1 day")
        #expect(TimeText.duration(185_000) == "3 min 5 s")
        #expect(TimeText.duration(800) == "800 ms")
    }
}

/// Seals as bounds (FORMAT.md §8.2), with the test TSA (OpenSSL behind a loopback server).
@Suite(.serialized) struct TimeSealTests {
    static let tsa: LocalTSA? = try? LocalTSA()
    /// A TSA of its own for the test that holds answers (its release lets every later one go).
    static let holdingTSA: LocalTSA? = try? LocalTSA()

    func localTSA() throws -> LocalTSA { try #require(Self.tsa, "the test TSA (openssl + python3) did not start") }

    func seal(_ store: Store, _ tsa: LocalTSA) throws {
        let outcomes = try Sealer(store: store).seal(urls: [tsa.url("good")])
        #expect(outcomes.allSatisfy { $0.seal != nil }, "\(outcomes.compactMap(\.error))")
    }

    @Test func sealsBeforeAndAfterBoundEachAttemptAndAnEntryOutsideItsWindowIsNamed() throws {
        let tsa = try localTSA()
        let t = try TimedStore()
        try seal(t.store, tsa)  // A, of the case
        let now = Date()
        let two = try t.captured(at: now)  // names A
        #expect(two.body?.afterSeal?.seq == 1)
        try seal(t.store, tsa)  // B, of #2
        try t.captured(at: Date(), answered: false)  // #3: the site did not answer; names B
        try seal(t.store, tsa)  // C, of #3
        try t.captured(at: Date(), clockOff: 240, answered: false)  // #4: a clock 4 minutes ahead
        try seal(t.store, tsa)  // D, of #4: its genTime is before #4's recorded time
        try t.captured(at: Date(), clockOff: -240, answered: false)  // #5: 4 minutes behind; names D
        let (ours, theirs, report) = try timeProblems(t.path)
        #expect(ours == theirs)
        #expect(
            ours == ["4:time_after_next", "4:time_after_seal", "5:time_before_previous", "5:time_before_seal"])
        #expect(report.verdict == .intact)
        let time = try #require(report.time)
        #expect(time.byServer == 1 && time.bySealsOnly == 1, "#3 is corroborated by its two seals")
        #expect(time.windows == TimeSummary.Windows(both: 3, lowerOnly: 1, upperOnly: 0, none: 0))
        // The reference verifier counts the same.
        let (_, json) = try referenceVerify(t.path)
        let reference = try #require(json["time"] as? [String: Any])
        #expect(reference["by_seals_only"] as? Int == 1 && reference["by_server"] as? Int == 1)
        #expect(reference["windows"] as? [String: Int] == ["both": 3, "lower_only": 1, "upper_only": 0, "none": 0])
        // Each attempt's window, as status and the dossier read it.
        let (_, all) = try TimeCorroboration.attempts(store: t.store)
        let three = try #require(all[3])
        #expect(three.verdict == .corroborated && three.bySeals && !three.byServer)
        let window = try #require(three.window)
        #expect(window.lower.seq == 2 && window.upper.seq == 3 && window.upper.genMs - window.lower.genMs < 120_000)
        #expect(TimeText.window(window.lower, window.upper).hasPrefix("between "))
        // The authority named by its URL, as in the problems' text (a lawyer can look it up).
        #expect(TimeText.window(window.lower, window.upper).hasSuffix("according to \(tsa.url("good"))"))
        let afterSeal = try #require(time.problems.first { $0.code == .afterSeal })
        #expect(afterSeal.text(.en).contains("time-stamp authority \(tsa.url("good")) certified"))
        let status = try CaseStatus.compute(path: t.path)
        #expect(status.text.contains("3 of 4 attempts lie between two seals; the last, #4, was recorded between "))
        #expect(status.text.contains("without a window: #5"))
        #expect(status.text.contains("1 corroborated by two seals that bracket their recording") == false)
        #expect(status.text.contains("1 corroborated by two seals that bracket its recording"))
    }

    @Test func aSealRemovedFromTheStoreLeavesItsBoundUnchecked() throws {
        let tsa = try localTSA()
        let t = try TimedStore()
        try seal(t.store, tsa)
        try t.captured(at: Date())
        try seal(t.store, tsa)
        try t.captured(at: Date())
        try tamper(t.path, "DELETE FROM seals WHERE seq = 2")
        let (ours, theirs, report) = try timeProblems(t.path)
        #expect(ours == theirs)
        #expect(ours == ["3:time_seal_unknown"])
        #expect(report.time?.contradicted == 0 && report.time?.corroborated == 2, "a missing bound contradicts nothing")
    }

    @Test func anAttemptNeverWaitsForItsSeals() async throws {
        // A TSA whose answers wait until the test lets them go.
        let tsa = try #require(Self.holdingTSA, "the test TSA did not start")
        try await withSimulator { sim in
            let store = try attemptStore("\(sim.baseURL)/booking/create/4963/0")
            try store.addTSA(url: tsa.url("hold"), name: nil)
            let sealing = AttemptSealing(store: store, urls: [tsa.url("hold")], trust: TSATrust())
            sealing.before()
            var settings = AttemptOptions()
            settings.transfer.timeout = 10
            let options = settings
            let report = try await offPool { try AttemptRunner(store: store).run(options: options) }
            // Recorded while the seal taken before it is still held by the TSA: it names no seal.
            #expect(report.entry.seq == 2 && report.entry.body?.afterSeal == nil)
            #expect(try store.seals().isEmpty)
            sealing.after()
            tsa.release()
            let done = sealing.wait()
            #expect(done.count == 2 && done.allSatisfy { $0.failure == nil && $0.outcomes.first?.seal != nil })
            // Both answers are released at once: the seals are stored in whichever order they come back.
            #expect(try store.seals().map(\.seq).sorted() == [1, 2], "the seal before sealed the head as it was then")
            // The next attempt names the latest seal: its lower bound.
            let next = try await offPool { try AttemptRunner(store: store).run(options: options) }
            #expect(next.entry.body?.afterSeal?.seq == 2)
        }
    }
}
