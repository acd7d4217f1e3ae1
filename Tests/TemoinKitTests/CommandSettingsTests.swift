import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// What the commands used to build themselves from their options, now built here from plain values:
/// alert settings, live attempts, the watch's plan, the sealing mode, the dossier's period, import
/// options, the DNS resolver and `--lang` read before parsing.
@Suite struct CommandSettingsTests {
    @Test func alertSettingsRefuseAnAddressWithoutServerAndAnEmptyCommand() throws {
        #expect(throws: TemoinError.notify(.noServer)) {
            try AlertSettings(emails: ["amina@example.org"]).validate()
        }
        #expect(throws: TemoinError.emptyValue(field: "--notify-command")) {
            try AlertSettings(commands: ["  "]).validate()
        }
        #expect(throws: TemoinError.self) {
            try AlertSettings(emails: ["not an address"], server: "smtp://127.0.0.1:2525").validate()
        }
        try AlertSettings(
            emails: ["amina@example.org"], commands: ["notify-send slot"], server: "smtp://127.0.0.1:2525"
        ).validate()
    }

    @Test func alertSettingsMakeOneChannelPerAddressAndCommandOrNoAlerter() throws {
        #expect(try AlertSettings().alerter() == nil)
        let channels = try AlertSettings(commands: ["true", "false"]).channels()
        #expect(channels.count == 2)
        #expect(try AlertSettings(commands: ["true"]).alerter() != nil)
    }

    @Test func retriesAreAtLeastTenSecondsAndAtMostNine() {
        #expect(AlertSettings.parseRetries("30s,2m,5m") == [30, 120, 300])
        #expect(AlertSettings.parseRetries("10s") == [10])
        #expect(AlertSettings.parseRetries("5s") == nil)
        #expect(AlertSettings.parseRetries("30s,soon") == nil)
        #expect(AlertSettings.parseRetries(Array(repeating: "1m", count: 10).joined(separator: ",")) == nil)
        #expect(AlertSettings.parseRetries(Array(repeating: "1m", count: 9).joined(separator: ",")) != nil)
    }

    @Test func aSignedDurationIsNegativeForAClockBehind() {
        #expect(Pace.parseSignedDuration("0") == 0)
        #expect(Pace.parseSignedDuration("-3m") == -180)
        #expect(Pace.parseSignedDuration("+90s") == 90)
        #expect(abs((Pace.parseSignedDuration("61d") ?? 0) - 61 * 86_400) < 0.001)
        #expect(Pace.parseSignedDuration("-") == nil)
        #expect(Pace.parseSignedDuration("soon") == nil)
    }

    @Test func theWatchPlanNamesTheWrongValue() throws {
        #expect(throws: TemoinError.invalidDuration(value: "often")) {
            try WatchPlan(every: "often", jitter: "30m", until: nil, count: nil)
        }
        #expect(throws: TemoinError.invalidDuration(value: "some")) {
            try WatchPlan(every: "2h", jitter: "some", until: nil, count: nil)
        }
        #expect(throws: TemoinError.self) { try WatchPlan(every: "1m", jitter: "0", until: nil, count: nil) }
        #expect(throws: TemoinError.self) { try WatchPlan(every: "2h", jitter: "0", until: "tomorrow", count: nil) }
        let plan = try WatchPlan(every: "2h", jitter: "0", until: "2026-12-24 18:00", count: 3)
        #expect(plan.pace.every == 7_200)
        #expect(plan.pace.jitter == 0)
        #expect(plan.count == 3)
        #expect(plan.deadline == (try TimeFormat.interpret("2026-12-24 18:00")))
    }

    @Test func aDossierPeriodEndingOnADayTakesTheWholeDay() throws {
        let (from, to) = try DossierOptions.period(from: "2026-11-01", to: "2026-11-20")
        #expect(from == (try TimeFormat.interpret("2026-11-01")))
        let endOfDay = try TimeFormat.interpret("2026-11-21").addingTimeInterval(-0.001)
        #expect(to == endOfDay)
        let (_, exact) = try DossierOptions.period(from: nil, to: "2026-11-20 12:00")
        #expect(exact == (try TimeFormat.interpret("2026-11-20 12:00")))
        #expect(throws: TemoinError.self) { try DossierOptions.period(from: "yesterday", to: nil) }
    }

    @Test func importOptionsParseTheObservationTimeAndTheSizeLimit() throws {
        let options = try ImportOptions(
            url: nil, observedAt: "2026-11-20 09:30", maxSize: "5MB", note: "saved by Amina", profileFile: nil)
        #expect(options.observedAt == (try TimeFormat.interpret("2026-11-20 09:30")))
        #expect(options.maxSize == ByteCount.parse("5MB"))
        #expect(options.note == "saved by Amina")
        #expect(options.ruleSet == nil)
        // An attempt cannot predate 2000.
        #expect(throws: TemoinError.self) {
            try ImportOptions(url: nil, observedAt: "1999-12-31 12:00", maxSize: "5MB", note: nil, profileFile: nil)
        }
        #expect(throws: TemoinError.self) {
            try ImportOptions(url: nil, observedAt: nil, maxSize: "5MB", note: nil, profileFile: "/nonexistent.json")
        }
    }

    @Test func liveAttemptSettingsCarryEveryOption() throws {
        let settings = LiveAttemptSettings(
            profileFile: nil, bookingURL: "http://127.0.0.1:8080/booking/create/4963/0", userAgent: "temoin-test",
            timeout: 42, maxBodyBytes: 1_000, caFile: "/tmp/ca.pem", browser: true, browserPath: "/usr/bin/chromium")
        let stop = StopFlag()
        let attempt = try settings.attemptOptions(stop: stop)
        #expect(attempt.transfer.timeout == 42)
        #expect(attempt.transfer.userAgent == "temoin-test")
        #expect(attempt.transfer.maxBodyBytes == 1_000)
        #expect(attempt.transfer.caFile == "/tmp/ca.pem")
        #expect(attempt.bookingURL == settings.bookingURL)
        #expect(attempt.interruption as? StopFlag === stop)
        let browser = try settings.browserOptions(stop: stop, recordNow: nil) { _, _ in }
        #expect(browser.browserPath == "/usr/bin/chromium")
        #expect(browser.maxBodyBytes == 1_000)
        #expect(browser.caFile == "/tmp/ca.pem")
        #expect(browser.bookingURL == settings.bookingURL)
        #expect(browser.recordNow == nil)
        #expect(browser.pageSeen != nil)
    }

    @Test func theBrowserOpensTheGivenAddressElseTheCases() throws {
        let (_, store) = try makeStore()
        var settings = LiveAttemptSettings(
            profileFile: nil, bookingURL: nil, userAgent: nil, timeout: 60, maxBodyBytes: 1_000, caFile: nil,
            browser: true, browserPath: nil)
        #expect(try settings.openedURL(store: store) == (try store.caseRecord().fields.bookingURL))
        settings.bookingURL = "http://127.0.0.1:8080/other"
        #expect(try settings.openedURL(store: store) == "http://127.0.0.1:8080/other")
    }

    @Test func sealingIsOffWithoutTSAUnlessAskedForAndThenRefused() throws {
        let (_, store) = try makeStore()
        #expect(try SealingMode.off.sealing(store, stop: nil) == nil)
        #expect(try SealingMode.auto.sealing(store, stop: nil) == nil)
        #expect(throws: TemoinError.trust(.noTSA)) { try SealingMode.on.sealing(store, stop: nil) }
        _ = try store.addTSA(url: "http://127.0.0.1:9/tsa", name: nil)
        #expect(try SealingMode.auto.sealing(store, stop: nil)?.urls == ["http://127.0.0.1:9/tsa"])
        #expect(try SealingMode.off.sealing(store, stop: nil) == nil)
    }

    @Test func theDNSResolverIsOfflineTheGivenServerOrTheSystems() throws {
        #expect(try DNSKeyResolver.chosen(server: "9.9.9.9", offline: true, environment: [:]) is OfflineKeyResolver)
        #expect(try DNSKeyResolver.chosen(server: nil, offline: false, environment: [:]) is DNSKeyResolver)
        #expect(
            try DNSKeyResolver.chosen(
                server: nil, offline: false, environment: [DNSKeyResolver.environmentVariable: "127.0.0.1:5353"])
                is DNSKeyResolver)
        #expect(throws: TemoinError.step(.invalidDNSServer(value: "not a server:port:x"))) {
            try DNSKeyResolver.chosen(server: "not a server:port:x", offline: false, environment: [:])
        }
        #expect(throws: TemoinError.step(.invalidDNSServer(value: "bad:port"))) {
            try DNSKeyResolver.chosen(
                server: nil, offline: false, environment: [DNSKeyResolver.environmentVariable: "bad:port"])
        }
    }

    @Test func mainStartsInTheLanguageOfLangWhenTemoinsFilesAreThere() {
        #expect(Installation.current.resources != nil)
        #expect(Installation.start(arguments: ["verify", "--lang", "en"]) == nil)
        #expect(Messages.shared.language == .en)
    }

    @Test func langIsReadFromRawArgumentsWhereverItStands() {
        #expect(Language.scan(["verify", "--lang", "fr"]) == .fr)
        #expect(Language.scan(["--lang=en", "verify"]) == .en)
        #expect(Language.scan(["--lang", "fr", "--lang", "xx"]) == .fr)
        #expect(Language.scan(["note", "--", "--lang", "fr"]) == nil)
        #expect(Language.scan(["--lang"]) == nil)
    }
}
