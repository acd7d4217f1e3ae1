import ArgumentParser
import Foundation
import TemoinKit

/// Slot alerts, shared by `watch` and `notify test`: e-mail through a mail server, and/or a command.
/// The mail password is never an option: `TEMOIN_SMTP_PASSWORD`, or a file only its owner can read.
struct NotifyOptions: ParsableArguments {
    @Option(name: .customLong("notify-email"), help: .text("NotifyOptions.emails", value: "address"))
    var emails: [String] = []

    @Option(name: .customLong("notify-command"), help: .text("NotifyOptions.commands", value: "command"))
    var commands: [String] = []

    @Option(name: .customLong("smtp-server"), help: .text("NotifyOptions.server", value: "url")) var server: String?

    @Option(name: .customLong("smtp-user"), help: .text("NotifyOptions.user", value: "name")) var user: String?

    @Option(name: .customLong("smtp-password-file"), help: .text("NotifyOptions.passwordFile", value: "file"))
    var passwordFile: String?

    @Option(name: .customLong("smtp-from"), help: .text("NotifyOptions.from", value: "address")) var from: String?

    @Option(name: .customLong("smtp-cacert"), help: .text("NotifyOptions.cacert", value: "file.pem"))
    var cacert: String?

    @Option(name: .customLong("notify-retry"), help: .text("NotifyOptions.retry", value: "list"))
    var retry: AlertRetries = AlertRetries()

    var isEmpty: Bool { emails.isEmpty && commands.isEmpty }

    func validate() throws {
        do {
            for address in emails { _ = try SMTPSettings.validatedAddress(address) }
            if let from { _ = try SMTPSettings.validatedAddress(from) }
            if let server { _ = try SMTPSettings.validatedServer(server) }
            if !emails.isEmpty, server == nil { throw TemoinError.notify(.noServer) }
        } catch let error as TemoinError {
            throw ValidationError(error.description)
        }
        for command in commands where command.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(TemoinError.emptyValue(field: "--notify-command").description)
        }
    }

    /// The channels asked for (reads the password now: a wrong file is said before the watch starts).
    func channels() throws -> [any AlertChannel] {
        var channels: [any AlertChannel] = []
        if !emails.isEmpty, let server {
            let settings = SMTPSettings(
                server: try SMTPSettings.validatedServer(server), user: user,
                password: try SMTPSettings.password(file: passwordFile), from: from, caFile: cacert)
            channels += try emails.map { MailAlert(to: try SMTPSettings.validatedAddress($0), settings: settings) }
        }
        channels += commands.map { CommandAlert(command: $0) }
        return channels
    }

    func alerter() throws -> SlotAlerter? {
        let channels = try channels()
        return channels.isEmpty ? nil : SlotAlerter(channels: channels, retryDelays: retry.delays)
    }
}

/// `--notify-retry 30s,2m,5m`: at least 10 seconds each, at most 10 tries.
struct AlertRetries: ExpressibleByArgument {
    var delays: [TimeInterval] = [30, 120, 300]

    init() {}

    init?(argument: String) {
        let parts = argument.split(separator: ",").map { Pace.parseDuration(String($0)) }
        guard !parts.isEmpty, parts.count <= 9, parts.allSatisfy({ ($0 ?? 0) >= 10 }) else { return nil }
        delays = parts.compactMap { $0 }
    }

    var defaultValueDescription: String { "30s,2m,5m" }
}
