import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// `temoin status`: the figures, and each piece of advice on stores crafted to trigger it or not.
@Suite struct StatusTests {
    /// A Paris wall time as a date.
    static func paris(_ text: String) -> Date { TimeFormat.parse(text)! }

    /// Appends an attempt seen at `at` (Paris wall time) with the given outcome and provenance.
    @discardableResult
    static func attempt(
        _ store: Store, _ at: String, _ outcome: Outcome = .noSlot, provenance: Provenance = .captured,
        basis: TimeBasis = .witnessed, facts: PageFacts? = nil
    ) throws -> StoredEntry {
        let when = paris(at)
        return try store.append(type: .attempt, now: when.addingTimeInterval(provenance == .imported ? 86_400 : 1)) {
            body in
            body.provenance = provenance
            body.observedAt = TimeFormat.utc(when)
            body.timeBasis = basis
            body.outcome = outcome
            body.url = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/"
            body.facts = facts
        }
    }

    /// A store with the sample case (urgency facts given) unless `facts` says otherwise.
    static func store(facts: String? = nil) throws -> Store {
        var fields = Fixtures.sampleCase
        if let facts { fields.facts = facts }
        return try Store.create(at: TempDir().file("temoin.sqlite"), case: fields, now: paris("2026-10-01 10:00"))
    }

    /// A record a lawyer would be glad of: 20 attempts over four weeks, at different hours, witnessed.
    static func goodRecord(_ store: Store) throws {
        let hours = ["08:10", "12:40", "17:55", "21:30", "09:05"]
        for i in 0..<20 {
            let day = 2 + i + i / 5 * 2  // weekdays of 2 to 27 November 2026
            try attempt(store, String(format: "2026-11-%02d %@", day, hours[i % 5]))
        }
    }

    static let now = paris("2026-11-28 12:00")

    func rules(_ store: Store, verdict: VerificationReport.Verdict? = .intact, seals: Int? = nil, now: Date = now)
        throws -> Set<Advice.Rule>
    {
        let stats = try CaseStatistics.compute(store: store)
        return Set(
            CaseAdvice.evaluate(
                stats, facts: try store.caseRecord().fields.facts, verdict: verdict, seals: seals, now: now
            ).map(\.rule))
    }

    // MARK: Figures

    @Test func figuresAreCountedInParisTimeWithISOWeeks() throws {
        let store = try Self.store()
        // 23:30 UTC on 20 November is 00:30 on the 21st in Paris (CET): a Saturday.
        try store.append(type: .attempt, now: Self.paris("2026-11-21 00:31")) { body in
            body.provenance = .captured
            body.observedAt = "2026-11-20T23:30:00.000Z"
            body.timeBasis = .witnessed
            body.outcome = .noSlot
        }
        // Thursday 31 December 2026 is in ISO week 2026-W53; Monday 4 January 2027 in 2027-W01.
        try Self.attempt(store, "2026-12-31 14:05", .captcha)
        let slot = PageFacts(slotsListed: 3)
        let publication = PageFacts(
            lastPublication: PublicationFact(
                text: "Dernière mise en ligne de rendez-vous : le 30/12/2026 à 09:00", at: "2026-12-30T09:00"))
        try Self.attempt(store, "2027-01-04 09:00", .slotAvailable, facts: slot)
        try Self.attempt(
            store, "2027-01-04 18:20", .noSlot, provenance: .imported, basis: .declared, facts: publication)
        try Self.attempt(
            store, "2027-01-05 18:40", .noSlot, provenance: .imported, basis: .fileModificationTime, facts: publication)
        try store.amendCase(field: "facts", value: "Titre expiré", reason: nil, now: Self.paris("2027-01-06 10:00"))

        let s = try CaseStatistics.compute(store: store)
        #expect(s.attempts == 5)
        #expect(s.count(.noSlot) == 3 && s.count(.captcha) == 1 && s.count(.slotAvailable) == 1)
        #expect(s.count(.captured) == 3 && s.count(.imported) == 2)
        #expect(s.count(TimeBasis.witnessed) == 3 && s.count(.declared) == 1 && s.count(.fileModificationTime) == 1)
        #expect(s.days == ["2026-11-21", "2026-12-31", "2027-01-04", "2027-01-05"])
        #expect(s.weeks == ["2026-W47", "2026-W53", "2027-W01"])
        #expect(s.hoursCovered == [0, 9, 14, 18])
        #expect(s.bandsCovered == [.night, .morning, .afternoon, .evening])
        #expect(s.weekdayHour[5][0] == 1, "Saturday 00:30")
        #expect(s.weekdayHour[3][14] == 1, "Thursday 14:05")
        #expect(s.weekdayHour[0][9] == 1 && s.weekdayHour[0][18] == 1, "Monday 09:00 and 18:20")
        #expect(s.first == TimeFormat.parseUTC("2026-11-20T23:30:00.000Z") && s.firstSeq == 2)
        #expect(s.last == Self.paris("2027-01-05 18:40") && s.lastSeq == 6 && s.lastOutcome == .noSlot)
        #expect(s.slotsSeen.map(\.seq) == [4] && s.slotsSeen.first?.slotsListed == 3)
        #expect(s.publications.count == 1)
        #expect(s.publications.first?.timesSeen == 2 && s.publications.first?.firstSeq == 5)
        #expect(s.perDay.map(\.total) == [1, 1, 2, 1])
        #expect(s.perDay[2].byOutcome == [.slotAvailable: 1, .noSlot: 1])

        // A period keeps only the attempts inside it.
        let january = CaseStatistics(
            entries: try store.entries(), from: Self.paris("2027-01-01 00:00"), to: Self.paris("2027-01-04 23:59"))
        #expect(january.attempts == 2 && january.days == ["2027-01-04"])

        // JSON keys are stable and outcome-keyed.
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(JSONOutput.string(s).utf8)) as? [String: Any])
        #expect((json["by_outcome"] as? [String: Int])?["no_slot"] == 3)
        #expect(json["distinct_weeks"] as? Int == 3)
        #expect(json["hours_covered"] as? [Int] == [0, 9, 14, 18])
        #expect(json["first"] as? String == "2026-11-20T23:30:00.000Z")
    }

    @Test func weeksFollowISO8601AcrossTheYearAndDaylightSaving() throws {
        let store = try Self.store()
        // Sunday 25 October 2026, the night summer time ends, and Monday 26: two ISO weeks.
        try Self.attempt(store, "2026-10-25 23:50")
        try Self.attempt(store, "2026-10-26 00:10")
        // Friday 1 January 2027 still belongs to 2026's week 53.
        try Self.attempt(store, "2027-01-01 10:00")
        let s = try CaseStatistics.compute(store: store)
        #expect(s.weeks == ["2026-W43", "2026-W44", "2026-W53"])
        #expect(s.days == ["2026-10-25", "2026-10-26", "2027-01-01"])
    }

    // MARK: Advice, rule by rule

    @Test func aGoodRecordOnlyGetsEncouragement() throws {
        let store = try Self.store()
        try Self.goodRecord(store)
        #expect(try rules(store) == [.keepGoing])
        // With a seals table and no seal, a gentle suggestion is added, still no warning.
        #expect(try rules(store, seals: 0) == [.keepGoing, .noSeal])
        #expect(try rules(store, seals: 2) == [.keepGoing])
    }

    @Test func noAttemptsYet() throws {
        let store = try Self.store()
        #expect(try rules(store).contains(.noAttempts))
        try Self.attempt(store, "2026-11-27 10:00")
        #expect(!(try rules(store).contains(.noAttempts)))
    }

    @Test func tooFewAttempts() throws {
        let store = try Self.store()
        for d in [2, 9, 16] { try Self.attempt(store, "2026-11-\(String(format: "%02d", d)) 10:00") }
        #expect(try rules(store).contains(.fewAttempts))
        let good = try Self.store()
        try Self.goodRecord(good)
        #expect(!(try rules(good).contains(.fewAttempts)))
        #expect(CaseAdvice.minimumAttempts == 10)
    }

    @Test func allAttemptsInOneWeek() throws {
        let store = try Self.store()
        // Monday 23 to Friday 27 November 2026, at different hours: one ISO week only.
        for (i, t) in ["08:00", "12:30", "18:00", "21:00", "09:30", "14:00", "19:00", "10:00", "16:00", "20:00"]
            .enumerated()
        {
            try Self.attempt(store, "2026-11-\(23 + i / 2) \(t)")
        }
        let found = try rules(store)
        #expect(found.contains(.singleWeek))
        #expect(!found.contains(.fewAttempts) && !found.contains(.fewDays))
        let advice = CaseAdvice.evaluate(
            try CaseStatistics.compute(store: store), facts: "x", verdict: .intact, seals: nil, now: Self.now)
        let text = try #require(advice.first { $0.rule == .singleWeek }?.text)
        #expect(text.contains("2026-W48") && text.contains("435594"))
        // One more attempt the next Monday: two weeks.
        try Self.attempt(store, "2026-11-30 09:00")
        #expect(!(try rules(store, now: Self.paris("2026-11-30 12:00")).contains(.singleWeek)))
    }

    @Test func tooFewDistinctDays() throws {
        let store = try Self.store()
        // Ten attempts on three days over two weeks.
        for (day, times) in [
            ("2026-11-16", ["08:00", "13:00", "19:00"]), ("2026-11-17", ["09:00", "14:00", "20:00"]),
            ("2026-11-24", ["10:00", "15:00", "21:00", "11:00"]),
        ] {
            for t in times { try Self.attempt(store, "\(day) \(t)") }
        }
        let found = try rules(store)
        #expect(found.contains(.fewDays))
        #expect(!found.contains(.singleWeek) && !found.contains(.fewAttempts))
        for day in ["2026-11-25", "2026-11-26"] { try Self.attempt(store, "\(day) 12:00") }
        #expect(!(try rules(store).contains(.fewDays)))
    }

    @Test func onlyOneHourBand() throws {
        let store = try Self.store()
        for i in 0..<12 { try Self.attempt(store, "2026-11-\(String(format: "%02d", 2 + i * 2)) 09:\(10 + i)") }
        let found = try rules(store)
        #expect(found.contains(.oneHourBand))
        let advice = CaseAdvice.evaluate(
            try CaseStatistics.compute(store: store), facts: "x", verdict: .intact, seals: nil, now: Self.now)
        #expect(advice.first { $0.rule == .oneHourBand }?.arguments["band"] == tr("status.band.morning"))
        try Self.attempt(store, "2026-11-27 15:00")
        #expect(!(try rules(store).contains(.oneHourBand)))
    }

    @Test func noAttemptForAWeek() throws {
        let store = try Self.store()
        try Self.goodRecord(store)  // the last attempt is on 27 November
        #expect(!(try rules(store).contains(.stale)))
        let later = Self.paris("2026-12-08 12:00")
        #expect(try rules(store, now: later).contains(.stale))
        let advice = CaseAdvice.evaluate(
            try CaseStatistics.compute(store: store), facts: "x", verdict: .intact, seals: nil, now: later)
        #expect(advice.first { $0.rule == .stale }?.arguments["days"] == "11")
    }

    @Test func importedOnlyEvidenceWithDeclaredTimes() throws {
        let store = try Self.store()
        for i in 0..<12 {
            try Self.attempt(
                store, "2026-11-\(String(format: "%02d", 2 + i * 2)) \(String(format: "%02d", 8 + i)):15",
                provenance: .imported,
                basis: i % 2 == 0 ? .declared : .fileModificationTime)
        }
        #expect(try rules(store).contains(.declaredTimesOnly))
        try Self.attempt(store, "2026-11-27 16:00")  // one witnessed attempt made by temoin
        #expect(!(try rules(store).contains(.declaredTimesOnly)))
    }

    @Test func noUrgencyFacts() throws {
        let store = try Self.store(facts: "")
        try Self.goodRecord(store)
        #expect(try rules(store).contains(.noUrgencyFacts))
        try store.amendCase(field: "facts", value: "Récépissé expiré le 1er octobre 2026", reason: nil)
        #expect(!(try rules(store).contains(.noUrgencyFacts)))
    }

    @Test func aSlotSeenRecentlyMeansBookItNow() throws {
        let store = try Self.store()
        try Self.goodRecord(store)
        try Self.attempt(store, "2026-11-27 22:00", .slotAvailable)
        let advice = CaseAdvice.evaluate(
            try CaseStatistics.compute(store: store), facts: "x", verdict: .intact, seals: nil, now: Self.now)
        #expect(advice.first?.rule == .slotSeen && advice.first?.level == .urgent, "most pressing first")
        #expect(advice.first?.text.contains("rdv-prefecture.interieur.gouv.fr") == true)
        #expect(!advice.contains { $0.rule == .slotSeenEarlier })
        // Ten days later the slot is long gone: the advice becomes "say what happened".
        let later = try rules(store, now: Self.paris("2026-12-07 22:00"))
        #expect(later.contains(.slotSeenEarlier) && !later.contains(.slotSeen))
        let none = try Self.store()
        try Self.goodRecord(none)
        #expect(try rules(none).isDisjoint(with: [.slotSeen, .slotSeenEarlier]))
    }

    @Test func aTamperedStoreComesFirst() throws {
        let store = try Self.store()
        try Self.goodRecord(store)
        #expect(!(try rules(store, verdict: .intact).contains(.notIntact)))
        #expect(try rules(store, verdict: .tampered).contains(.notIntact))
        #expect(!(try rules(store, verdict: .tampered).contains(.keepGoing)))
    }

    // MARK: The whole status

    @Test func sealsAreCountedAndAdvisedUntilThereIsOne() throws {
        let store = try Self.store()
        try Self.goodRecord(store)
        // A store made by this version has the seals table (migration v2-trust), empty.
        let empty = try CaseStatus.compute(path: store.path, now: Self.now)
        #expect(empty.seals == 0 && empty.attestations == 0)
        #expect(empty.advice.contains { $0.rule == .noSeal })
        try tamper(
            store.path,
            """
            INSERT INTO seals (seq, head, tsa_url, nonce, requested_at, response)
            VALUES (21, 'ab', 'http://127.0.0.1:1/tsa', '01', '2026-11-23T00:00:00.000Z', x'3082')
            """)
        let sealed = try CaseStatus.compute(path: store.path, now: Self.now)
        #expect(sealed.seals == 1)
        #expect(!sealed.advice.contains { $0.rule == .noSeal })
        #expect(sealed.text.contains(tr("status.label.seals")))
        // A store from before seals existed (no table): nothing counted, no advice about it.
        try tamper(store.path, "DROP TABLE seals")
        let older = try CaseStatus.compute(path: store.path, now: Self.now)
        #expect(older.seals == nil)
        #expect(!older.advice.contains { $0.rule == .noSeal })
    }

    @Test func statusVerifiesAndSaysWhenTheStoreWasAltered() throws {
        let store = try Self.store()
        try Self.goodRecord(store)
        let intact = try CaseStatus.compute(path: store.path, now: Self.now)
        #expect(intact.verification.verdict == .intact && intact.verification.entries == 21)
        try tamper(
            store.path,
            "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'no_slot', 'captcha') AS BLOB) WHERE seq = 5")
        let altered = try CaseStatus.compute(path: store.path, now: Self.now)
        #expect(altered.verification.verdict == .tampered && altered.verification.firstBadSeq == 5)
        #expect(altered.advice.first?.rule == .notIntact)
    }

    @Test func theSummaryReadsInBothLanguages() throws {
        let store = try Self.store()
        for (i, t) in ["08:00", "12:30", "18:00"].enumerated() { try Self.attempt(store, "2026-11-2\(3 + i) \(t)") }
        let status = try CaseStatus.compute(path: store.path, now: Self.now)
        let en = Messages.shared.text("status.advice.single_week", ["week": "2026-W48"], language: .en)
        let fr = Messages.shared.text("status.advice.single_week", ["week": "2026-W48"], language: .fr)
        #expect(en.contains("not made in the same week") && fr.contains("pas été effectuées la même semaine"))
        let text = status.text
        #expect(text.contains("Amina Diallo"))
        #expect(text.contains("2026-W48"))
        #expect(text.contains("#4"))
        for a in status.advice { #expect(text.contains(a.text.prefix(30))) }
    }

    @Test func hoursAreShownAsRuns() {
        #expect(CaseStatus.ranges([8, 9, 10, 14, 18, 19]) == "8–10, 14, 18–19")
        #expect(CaseStatus.ranges(Array(0...23)) == "0–23")
        #expect(CaseStatus.ranges([]) == "")
    }

    @Test func longAdviceIsWrappedAtWords() {
        let lines = CaseStatus.wrap(String(repeating: "mot ", count: 60), width: 40, first: "  ! ", rest: "    ")
        #expect(lines.count > 5)
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(lines[0].hasPrefix("  ! mot") && lines[1].hasPrefix("    mot"))
    }
}
