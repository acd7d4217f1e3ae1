import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// Sizes and durations as typed on the command line: read once, the text kept for help and errors,
/// and a text that means nothing refused with the error that names it (a bad argument, exit 64).
@Suite struct TypedArgumentsTests {
    @Test func aSizeIsReadOnceAndAWrongOneIsNamed() throws {
        #expect(try ByteLimit("20MB").value() == 20_000_000)
        #expect(try ByteLimit("500k").value() == 500_000)
        #expect(ByteLimit("20MB").description == "20MB")
        #expect(throws: TemoinError.invalidSize(value: "lots")) { try ByteLimit("lots").value() }
        #expect(throws: TemoinError.invalidSize(value: "0")) { try ByteLimit("0").value() }
        #expect(TemoinError.invalidSize(value: "lots").exitStatus == .usage)
    }

    @Test func aDurationIsReadOnceAndZeroIsADuration() throws {
        #expect(try DurationText("1h30m").value() == 5_400)
        #expect(try DurationText("0").value() == 0)
        #expect(DurationText("30m").description == "30m")
        #expect(throws: TemoinError.invalidDuration(value: "soon")) { try DurationText("soon").value() }
    }

    @Test func aDateIsReadOnceAndTheEarliestIsCheckedOnItsValue() throws {
        let date = DateText("2026-11-12 07:30")
        #expect(date.description == "2026-11-12 07:30")
        #expect(try date.value() == TimeFormat.interpret("2026-11-12 07:30"))
        #expect(try date.value(earliest: TimeFormat.earliestAttempt) == TimeFormat.interpret("2026-11-12T07:30+01:00"))
        #expect(throws: TemoinError.invalidDate(value: "hier")) { try DateText("hier").value() }
        #expect(throws: TemoinError.dateTooEarly(value: "1999-12-31 12:00", earliest: "2000-01-01")) {
            try DateText("1999-12-31 12:00").value(earliest: TimeFormat.earliestAttempt)
        }
        _ = try DateText("1999-12-31 12:00").value()  // no earliest: a date like any other
        // The hour skipped when Paris clocks went forward is refused, with what a clock showed.
        #expect(
            throws: TemoinError.nonexistentParisTime(value: "2026-03-29 02:30", suggestion: "2026-03-29T03:30+02:00")
        ) {
            try DateText("2026-03-29 02:30").value()
        }
    }

    @Test func anExpectedHeadIsReadOnceAndAMalformedOneIsABadArgument() throws {
        let head = try ExpectedHeadText("#42 · 3F9A 01BC").value()
        #expect(head == ExpectedHead(parsing: "42:3f9a01bc"))
        #expect(ExpectedHeadText("#42 · 3F9A 01BC").description == "#42 · 3F9A 01BC")
        for bad in ["42", "6:abc", "x:12345678", "0:3f9a01bc", ""] {
            #expect(throws: TemoinError.invalidExpectedHead(value: bad)) { try ExpectedHeadText(bad).value() }
        }
        #expect(TemoinError.invalidExpectedHead(value: "6:abc").exitStatus == .usage)
        #expect(TemoinError.invalidExpectedHead(value: "6:abc").description.contains("6:abc"))
    }

    @Test func alertRetriesAreReadOnceAndAWrongListIsNamed() throws {
        #expect(try AlertRetries().value() == AlertSettings.defaultRetryDelays)
        #expect(AlertRetries().description == "30s,2m,5m")
        #expect(try AlertRetries("10s,1m").value() == [10, 60])
        for bad in ["5s", "30s,soon", "", Array(repeating: "1m", count: 10).joined(separator: ",")] {
            #expect(throws: TemoinError.notify(.badRetries(value: bad))) { try AlertRetries(bad).value() }
        }
        #expect(TemoinError.notify(.badRetries(value: "5s")).exitStatus == .usage)
    }

    @Test func aPaceNamesTheJitterThatIsNoDuration() throws {
        // `schedule` used to read such a jitter as none at all.
        #expect(throws: TemoinError.invalidDuration(value: "beaucoup")) {
            try Pace(every: DurationText("2h"), jitter: DurationText("beaucoup"))
        }
        #expect(throws: TemoinError.invalidDuration(value: "often")) {
            try Pace(every: DurationText("often"), jitter: DurationText("30m"))
        }
        #expect(throws: TemoinError.invalidJitter(seconds: 7_200)) {
            try Pace(every: DurationText("2h"), jitter: DurationText("2h"))
        }
        #expect(throws: TemoinError.intervalTooShort(seconds: 0)) {
            try Pace(every: DurationText("0"), jitter: DurationText("0"))
        }
        let pace = try Pace(every: DurationText("2h"), jitter: DurationText("0"))
        #expect(pace.every == 7_200 && pace.jitter == 0)
    }

    @Test func aScheduleEntryRefusesALineBreakInAPath() throws {
        let pace = try Pace(every: 3 * 3600, jitter: 40 * 60)
        let unit = try ScheduleText.entry(
            binary: "/usr/bin/temoin", store: "/home/a/t.sqlite", pace: pace, systemd: true)
        #expect(unit.contains("OnUnitActiveSec=180min") && unit.contains("RandomizedDelaySec=2400s"))
        let cron = try ScheduleText.entry(
            binary: "/usr/bin/temoin", store: "/home/a/t.sqlite", pace: pace, systemd: false)
        #expect(cron.contains("*/3 * * *"))
        #expect(throws: TemoinError.self) {
            try ScheduleText.entry(binary: "/usr/bin/temoin", store: "/home/a/t\n.sqlite", pace: pace, systemd: false)
        }
    }

    @Test func aScheduleEntryNamesTheProgramThroughItsLinksAndTheStoreByItsAbsolutePath() throws {
        let dir = TempDir()
        let program = dir.write("temoin-real", "#!/bin/sh\n")
        try FileManager.default.createSymbolicLink(atPath: dir.file("temoin"), withDestinationPath: program)
        let cwd = FileManager.default.currentDirectoryPath
        let cron = try ScheduleText.entry(
            program: dir.file("temoin"), store: "cas/../temoin.sqlite", pace: try Pace(every: 7_200), systemd: false)
        #expect(cron.contains(ScheduleText.quote(URL(fileURLWithPath: program).resolvingSymlinksInPath().path)))
        #expect(cron.contains(ScheduleText.quote(cwd + "/temoin.sqlite")))
        #expect(!cron.contains("cas/.."))
    }

    @Test func importOptionsAreCheckedBeforeAnyFileIsRead() throws {
        try ImportOptions.check(url: nil, observedAt: nil, maxSize: ByteLimit("20MB"))
        #expect(throws: TemoinError.invalidSize(value: "big")) {
            try ImportOptions.check(url: nil, observedAt: nil, maxSize: ByteLimit("big"))
        }
        #expect(throws: TemoinError.invalidURL(value: "val-de-marne.gouv.fr")) {
            try ImportOptions.check(url: "val-de-marne.gouv.fr", observedAt: nil, maxSize: ByteLimit("20MB"))
        }
        #expect(throws: TemoinError.self) {
            try ImportOptions.check(url: nil, observedAt: "hier", maxSize: ByteLimit("20MB"))
        }
        let options = try ImportOptions(
            url: nil, observedAt: nil, maxSize: ByteLimit("5MB"), note: nil, profileFile: nil)
        #expect(options.maxSize == 5_000_000)
    }

    @Test func aPeriodThatEndsBeforeItStartsIsABadArgument() throws {
        #expect(throws: TemoinError.periodReversed(from: "2026-11-20", to: "2026-11-01")) {
            try DossierOptions.period(from: "2026-11-20", to: "2026-11-01")
        }
        #expect(TemoinError.periodReversed(from: "a", to: "b").exitStatus == .usage)
        // A day as its end is the whole of that day: the same day is a period.
        _ = try DossierOptions.period(from: "2026-11-20 09:00", to: "2026-11-20")
    }

    @Test func aDossiersFileSizeAndFirstPieceAreBoundedAndItsOptionsReadAsTyped() throws {
        #expect(throws: TemoinError.invalidMaxFileSize) { try DossierOptions.check(maxFileMB: 0, firstPiece: 1) }
        #expect(throws: TemoinError.invalidFirstPiece) { try DossierOptions.check(maxFileMB: 32, firstPiece: 0) }
        #expect(throws: TemoinError.invalidFirstPiece) { try DossierOptions.check(maxFileMB: 32, firstPiece: 1000) }
        try DossierOptions.check(maxFileMB: 1, firstPiece: 999)
        #expect(
            TemoinError.invalidMaxFileSize.exitStatus == .usage && TemoinError.invalidFirstPiece.exitStatus == .usage)
        #expect(TemoinError.invalidFirstPiece.description == tr("dossier.bad_first_piece"))
        let options = try DossierOptions(
            outputFolder: "dossier", language: .fr, templatesFolder: nil, from: "2026-11-01", to: "2026-11-20",
            requete: true, maxFileMB: 10, firstPiece: 3, journal: false, pageImages: false, browserPath: nil)
        #expect(options.maxFileBytes == 10 * 1024 * 1024 && options.firstPiece == 3)
        #expect(options.pageImages == .off && options.requete && !options.journal)
        #expect(options.to == (try DossierOptions.period(from: nil, to: "2026-11-20").to))
        #expect(throws: TemoinError.invalidFirstPiece) {
            try DossierOptions(
                outputFolder: "dossier", language: .fr, templatesFolder: nil, from: nil, to: nil, requete: false,
                maxFileMB: 32, firstPiece: 0, journal: false, pageImages: true, browserPath: nil)
        }
    }

    @Test func importAttemptAndWatchOptionsAreRefusedBeforeAnythingIsDone() throws {
        let page = Fixtures.page("rdv-creneau-aucun.html")
        #expect(throws: TemoinError.noFilesGiven) {
            try ImportOptions.check(files: [], url: nil, observedAt: nil, maxSize: ByteLimit("20MB"))
        }
        #expect(throws: TemoinError.oneFileForOptions) {
            try ImportOptions.check(
                files: [page, page + "x"], url: "https://a.example/", observedAt: nil, maxSize: ByteLimit("1MB"))
        }
        try ImportOptions.check(files: [page, page], url: nil, observedAt: nil, maxSize: ByteLimit("1MB"))
        #expect(throws: TemoinError.invalidTimeout) {
            try LiveAttemptSettings.check(timeout: 601, maxSize: ByteLimit("20MB"), url: nil)
        }
        #expect(throws: TemoinError.invalidSize(value: "gros")) {
            try LiveAttemptSettings.check(timeout: 0, maxSize: ByteLimit("gros"), url: nil)
        }
        try LiveAttemptSettings.check(timeout: 600, maxSize: ByteLimit("20MB"), url: "http://127.0.0.1:8080/")
        #expect(throws: TemoinError.invalidCount) { try WatchPlan(every: "2h", jitter: "0", until: nil, count: 0) }
        // What is wrong with the pace is said first.
        #expect { try WatchPlan(every: "1m", jitter: "0", until: nil, count: 0) } throws: {
            ($0 as? TemoinError).map { $0 != .invalidCount && $0.exitStatus == .usage } ?? false
        }
        for error in [TemoinError.noFilesGiven, .oneFileForOptions, .invalidTimeout, .invalidCount] {
            #expect(error.exitStatus == .usage)
        }
        #expect(TemoinError.invalidCount.description == tr("watch.bad_count"))
    }

    @Test func aFollowUpsDateIsReadAsTypedAndAWrongOneNamed() throws {
        let answer = try FollowUpRequest(
            of: 3, kind: .answerReceived, typedDate: "2026-11-20", from: "Préfecture", summary: nil, files: [])
        #expect(answer.date == StepDate(day: "2026-11-20") && answer.from == "Préfecture" && answer.of == 3)
        let byEmail = try FollowUpRequest(of: 3, kind: .other, typedDate: nil, from: nil, summary: nil, files: [])
        #expect(byEmail.date == nil)
        #expect(throws: TemoinError.self) {
            try FollowUpRequest(of: 3, kind: .other, typedDate: "bientôt", from: nil, summary: nil, files: [])
        }
    }

    @Test func aStepWithoutAnyoneToAskNeedsItsKindAndSummary() {
        #expect(StepRequest.missingOptions(kind: nil, summary: nil) == ["--kind", "--summary"])
        #expect(StepRequest.missingOptions(kind: .letter, summary: "   ") == ["--summary"])
        #expect(StepRequest.missingOptions(kind: .letter, summary: "Lettre au préfet").isEmpty)
    }

    @Test func aSignerNeedsANameAndAnOrganisationOnOneLine() throws {
        try VolunteerKey.checkSigner(name: "Claire Martin", organisation: "La Cimade")
        #expect(throws: TemoinError.emptyValue(field: "name")) {
            try VolunteerKey.checkSigner(name: " ", organisation: "La Cimade")
        }
        #expect(throws: TemoinError.emptyValue(field: "organisation")) {
            try VolunteerKey.checkSigner(name: "Claire Martin", organisation: "")
        }
        #expect(throws: TemoinError.self) {
            try VolunteerKey.checkSigner(name: "Claire\nMartin", organisation: "La Cimade")
        }
    }

    @Test func aTestAlertNeedsAChannelAndCountsWhatWasNotDelivered() throws {
        #expect(throws: TemoinError.notify(.noChannel)) { try AlertSettings().sendTest() }
        let outcomes = try AlertSettings(commands: ["true", "false"]).sendTest()
        #expect(outcomes.map(\.status) == [.delivered, .failed])
        #expect(throws: TemoinError.notify(.notDelivered(failed: 1, total: 2))) {
            try AlertOutcome.checkDelivered(outcomes)
        }
        try AlertOutcome.checkDelivered(Array(outcomes.prefix(1)))
    }

    @Test func aKindIsTypedWithDashesOrUnderscoresInAnyCaseAndShownWithDashes() {
        #expect(StepKind(typed: "registered-letter") == .registeredLetter)
        #expect(StepKind(typed: "Registered_Letter") == .registeredLetter)
        #expect(StepKind(typed: "registered letter") == nil)
        #expect(StepKind.typedNames == StepKind.allCases.map { $0.rawValue.replacingOccurrences(of: "_", with: "-") })
        #expect(StepKind.typedNames.contains("phone-call"))
        #expect(FollowUpKind(typed: "RECEIPT-RETURNED") == .receiptReturned)
        // An open set is typed among the kinds known today; one read from a store is not offered.
        #expect(NoteKind(typed: "follow-up") == .followUp)
        #expect(NoteKind(typed: "reminder") == nil)
        #expect(NoteKind.typedNames == ["follow-up", "comment"])
    }
}
