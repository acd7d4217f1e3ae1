import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// Slot alerts: the e-mail reaches a real mail server (aiosmtpd, STARTTLS and login required) with the
/// slot's address; a failing server is retried and reported; a command gets the slot in its environment.
@Suite(.serialized) struct NotifyTests {
    static let slot = SlotAlert(
        seq: 7, url: "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/",
        seenAt: Date(timeIntervalSince1970: 1_795_000_000))

    func sink(failFirst: Int = 0) throws -> MailSink {
        guard MailSink.available else { try Test.cancel("aiosmtpd is not in .venv-tools: run make tools") }
        return try MailSink(failFirst: failFirst)
    }

    @Test func theEmailReachesTheServerOverTLSWithTheSlotsAddress() throws {
        let sink = try sink()
        let outcomes = SlotAlerter(
            channels: [MailAlert(to: "amina@example.org", settings: sink.settings())], retryDelays: []
        ).sendNow(Self.slot)
        #expect(outcomes.map(\.status) == [.delivered], "\(outcomes.map(\.reason))")
        let messages = sink.messages()
        try #require(messages.count == 1)
        let (text, session) = messages[0]
        #expect(text.contains(Self.slot.url))
        #expect(text.contains(TimeFormat.parisWallTime(Self.slot.seenAt)))
        #expect(text.contains("To: <amina@example.org>"))
        #expect(session["tls"] as? Bool == true)
        #expect(session["login"] as? String == MailSink.user)
        #expect((session["to"] as? [String]) == ["amina@example.org"])
    }

    @Test func aWrongPasswordIsReportedWithTheServersWords() throws {
        let sink = try sink()
        var settings = sink.settings()
        settings.password = "wrong"
        let outcome = SlotAlerter(channels: [MailAlert(to: "amina@example.org", settings: settings)], retryDelays: [])
            .sendNow(Self.slot)[0]
        #expect(outcome.status == .failed)
        #expect(outcome.reason?.contains(sink.server) == true)
        #expect(sink.messages().isEmpty)
    }

    @Test func anUntrustedServerCertificateIsRefused() throws {
        let sink = try sink()
        var settings = sink.settings()
        settings.caFile = nil  // the system's authorities do not know the test server
        let outcome = SlotAlerter(channels: [MailAlert(to: "amina@example.org", settings: settings)], retryDelays: [])
            .sendNow(Self.slot)[0]
        #expect(outcome.status == .failed)
        #expect(sink.messages().isEmpty)
    }

    /// The server answers 451 twice: the alert is tried again after each wait, each failure reported
    /// with its reason and the next try's time, then delivered.
    @Test func aFailingServerIsRetriedAndEachFailureReported() throws {
        let sink = try sink(failFirst: 2)
        let alerter = SlotAlerter(
            channels: [MailAlert(to: "amina@example.org", settings: sink.settings())], retryDelays: [0.2, 0.2, 0.2])
        alerter.send(Self.slot)
        alerter.waitUntilIdle(stop: StopFlag(), timeout: 60)
        let outcomes = alerter.takeOutcomes()
        #expect(outcomes.map(\.status) == [.retrying, .retrying, .delivered])
        #expect(outcomes.map(\.attempt) == [1, 2, 3])
        #expect(outcomes[0].reason?.contains("451") == true, "\(outcomes[0].reason ?? "")")
        #expect(outcomes[0].nextTry != nil)
        #expect(sink.messages().count == 1)
    }

    @Test func anAlertThatNeverGoesThroughEndsAsFailed() throws {
        let sink = try sink(failFirst: 10)
        let alerter = SlotAlerter(
            channels: [MailAlert(to: "amina@example.org", settings: sink.settings())], retryDelays: [0.1])
        alerter.send(Self.slot)
        alerter.waitUntilIdle(stop: StopFlag(), timeout: 60)
        let outcomes = alerter.takeOutcomes()
        #expect(outcomes.map(\.status) == [.retrying, .failed])
        #expect(sink.messages().isEmpty)
    }

    @Test func aCommandGetsTheSlotInItsEnvironmentAndItsTextOnStandardInput() throws {
        let dir = TempDir()
        let out = dir.file("alert.txt")
        let command = CommandAlert(
            command:
                "printf '%s|%s|%s\\n' \"$TEMOIN_SLOT_URL\" \"$TEMOIN_SLOT_SEQ\" \"$TEMOIN_SLOT_TIME\" > '\(out)'; cat >> '\(out)'"
        )
        let outcome = SlotAlerter(channels: [command], retryDelays: []).sendNow(Self.slot)[0]
        #expect(outcome.status == .delivered, "\(outcome.reason ?? "")")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("\(Self.slot.url)|7|\(TimeFormat.parisWallTime(Self.slot.seenAt))\n"))
        #expect(text.contains(Self.slot.text))
    }

    @Test func aFailingCommandIsReportedWithItsStatusAndOutput() throws {
        let outcome = SlotAlerter(
            channels: [CommandAlert(command: "echo gateway refused >&2; exit 3")], retryDelays: []
        )
        .sendNow(Self.slot)[0]
        #expect(outcome.status == .failed)
        #expect(outcome.reason?.contains("3") == true)
        #expect(outcome.reason?.contains("gateway refused") == true)
    }

    @Test func aCommandThatHangsIsStopped() throws {
        var command = CommandAlert(command: "sleep 30")
        command.timeout = 0.5
        let started = Date()
        let outcome = SlotAlerter(channels: [command], retryDelays: []).sendNow(Self.slot)[0]
        #expect(outcome.status == .failed)
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func theSlotsAddressNeverReachesTheShell() throws {
        let dir = TempDir()
        let marker = dir.file("pwned")
        var hostile = Self.slot
        hostile.url = "https://example.org/$(touch \(marker))`touch \(marker)`"
        let command = CommandAlert(command: "echo \"$TEMOIN_SLOT_URL\" > /dev/null")
        #expect(SlotAlerter(channels: [command], retryDelays: []).sendNow(hostile)[0].status == .delivered)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func settingsRefuseWhatWouldLeakOrInject() throws {
        #expect(try SMTPSettings.validatedServer("smtp://mail.example.org") == "smtp://mail.example.org:587")
        #expect(try SMTPSettings.validatedServer("smtps://mail.example.org") == "smtps://mail.example.org:465")
        #expect(throws: TemoinError.notify(.credentialsInServer)) {
            try SMTPSettings.validatedServer("smtp://amina:secret@mail.example.org")
        }
        #expect(throws: TemoinError.self) { try SMTPSettings.validatedServer("http://mail.example.org") }
        #expect(throws: TemoinError.self) { try SMTPSettings.validatedAddress("amina@example.org\r\nBcc: x@y.z") }
        #expect(throws: TemoinError.self) { try SMTPSettings.validatedAddress("a@b.c, d@e.f") }
        #expect(throws: TemoinError.self) { try SMTPSettings.validatedAddress("amina") }
        #expect(SMTPSettings(server: "smtp://127.0.0.1:25").isLoopback)
        #expect(!SMTPSettings(server: "smtp://mail.example.org:587").isLoopback)
    }

    @Test func thePasswordFileMustBeTheOwnersAlone() throws {
        let dir = TempDir()
        let file = dir.write("password", "s3cret\n")
        chmod(file, 0o644)
        #expect(throws: TemoinError.notify(.passwordFileOpen(path: file, mode: "644"))) {
            try SMTPSettings.password(file: file, environment: [:])
        }
        chmod(file, 0o600)
        #expect(try SMTPSettings.password(file: file, environment: [:]) == "s3cret")
        #expect(try SMTPSettings.password(file: nil, environment: ["TEMOIN_SMTP_PASSWORD": "env"]) == "env")
        #expect(try SMTPSettings.password(file: nil, environment: [:]) == nil)
    }

    @Test func theMessageIsValidMIMEWithAnEncodedSubject() throws {
        let message = MailMessage(
            from: "temoin@example.org", to: "amina@example.org", subject: "créneau — réservez", text: "é\nligne 2",
            date: Date(timeIntervalSince1970: 0), host: "mail.example.org")
        let text = String(decoding: message.rendered, as: UTF8.self)
        #expect(text.contains("Subject: =?UTF-8?B?\(Data("créneau — réservez".utf8).base64EncodedString())?=\r\n"))
        #expect(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
        #expect(!text.split(separator: "\r\n").contains { $0.utf8.count > 998 })
        let ascii = text.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii)
        #expect(MailSink.decoded(text).hasSuffix("é\r\nligne 2"))
    }

    /// Through the binary: `notify test`, then `watch` seeing a slot on the simulator; the password comes
    /// from the environment, never the command line.
    @Test func watchAlertsThroughTheCommandLine() throws {
        let sink = try sink()
        let mail = [
            "--notify-email", "amina@example.org", "--smtp-server", sink.server, "--smtp-user", MailSink.user,
            "--smtp-from", "temoin@example.org", "--smtp-cacert", sink.certificate,
        ]
        let env = ["TEMOIN_SMTP_PASSWORD": MailSink.password]
        let test = try temoin(["notify", "test"] + mail, environment: env)
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("amina@example.org"))
        #expect(sink.messages().count == 1)
        let wrong = try temoin(["notify", "test"] + mail, environment: ["TEMOIN_SMTP_PASSWORD": "wrong"])
        #expect(wrong.status == 8, "\(wrong.stdout)\(wrong.stderr)")

        let sim = try SimulatorProcess()
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        var args = Fixtures.initArguments
        args[args.firstIndex(of: "--booking-url")! + 1] = sim.baseURL + "/scenario/slot-available/booking/create/4963/0"
        #expect(try temoin(args, store: store).status == 0)
        let watch = try temoin(
            ["watch", "--count", "1", "--every", "5m", "--jitter", "0"] + mail, store: store, environment: env)
        #expect(watch.status == 0, "\(watch.stderr)")
        #expect(watch.stdout.contains("SLOT AVAILABLE"))
        #expect(watch.stdout.contains("Alert sent"), "\(watch.stdout)")
        let messages = sink.messages()
        #expect(messages.count == 2)
        #expect(messages.last?.text.contains(sim.baseURL + "/scenario/slot-available/") == true)
        let noServer = try temoin(["watch", "--notify-email", "amina@example.org"], store: store)
        #expect(noServer.status == 64)
        #expect(noServer.stderr.contains("--smtp-server"))
    }
}
