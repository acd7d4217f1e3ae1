import Foundation

/// The slot alerts a person asked for, as plain values (`watch` and `notify test` read them from their
/// options): e-mail through a mail server, and/or a command. The mail password is never among them: it
/// is read from `TEMOIN_SMTP_PASSWORD` or from a file only its owner can read.
package struct AlertSettings: Sendable {
    package var emails: [String]
    package var commands: [String]
    package var server: String?
    package var user: String?
    package var passwordFile: String?
    package var from: String?
    package var caFile: String?
    /// Waits between the tries of an alert that failed (`--notify-retry`).
    package var retryDelays: [TimeInterval]

    /// `30s,2m,5m`.
    package static let defaultRetryDelays: [TimeInterval] = [30, 120, 300]

    package init(
        emails: [String] = [], commands: [String] = [], server: String? = nil, user: String? = nil,
        passwordFile: String? = nil, from: String? = nil, caFile: String? = nil,
        retryDelays: [TimeInterval] = AlertSettings.defaultRetryDelays
    ) {
        self.emails = emails
        self.commands = commands
        self.server = server
        self.user = user
        self.passwordFile = passwordFile
        self.from = from
        self.caFile = caFile
        self.retryDelays = retryDelays
    }

    /// No channel asked for.
    package var isEmpty: Bool { emails.isEmpty && commands.isEmpty }

    /// Checks the addresses, the server and the commands before anything runs; the error says which
    /// value is wrong and how.
    package func validate() throws {
        for address in emails { _ = try SMTPSettings.validatedAddress(address) }
        if let from { _ = try SMTPSettings.validatedAddress(from) }
        if let server { _ = try SMTPSettings.validatedServer(server) }
        if !emails.isEmpty, server == nil { throw TemoinError.notify(.noServer) }
        for command in commands where command.trimmingCharacters(in: .whitespaces).isEmpty {
            throw TemoinError.emptyValue(field: "--notify-command")
        }
    }

    /// The channels asked for (reads the password now: a wrong file is said before the watch starts).
    package func channels() throws -> [any AlertChannel] {
        var channels: [any AlertChannel] = []
        if !emails.isEmpty, let server {
            let settings = SMTPSettings(
                server: try SMTPSettings.validatedServer(server), user: user,
                password: try SMTPSettings.password(file: passwordFile), from: from, caFile: caFile)
            channels += try emails.map { MailAlert(to: try SMTPSettings.validatedAddress($0), settings: settings) }
        }
        channels += commands.map { CommandAlert(command: $0) }
        return channels
    }

    /// The alerter for a watch, or nil when no channel was asked for.
    package func alerter() throws -> SlotAlerter? {
        let channels = try channels()
        return channels.isEmpty ? nil : SlotAlerter(channels: channels, retryDelays: retryDelays)
    }

    /// `30s,2m,5m`: at least 10 seconds each, at most 9 waits (10 tries); nil otherwise.
    package static func parseRetries(_ text: String) -> [TimeInterval]? {
        let parts = text.split(separator: ",").map { Pace.parseDuration(String($0)) }
        guard !parts.isEmpty, parts.count <= 9, parts.allSatisfy({ ($0 ?? 0) >= 10 }) else { return nil }
        return parts.compactMap { $0 }
    }
}

extension AlertSettings {
    /// `notify test`: a test alert sent at once on every channel asked for, never retried. Throws when
    /// no channel was asked for.
    package func sendTest() throws -> [AlertOutcome] {
        let channels = try channels()
        if channels.isEmpty { throw TemoinError.notify(.noChannel) }
        return SlotAlerter(channels: channels, retryDelays: []).sendNow(.test())
    }
}

extension AlertOutcome {
    /// Throws, counting them, when any of `outcomes` was not delivered.
    package static func checkDelivered(_ outcomes: [AlertOutcome]) throws {
        let failed = outcomes.filter { $0.status != .delivered }.count
        if failed > 0 { throw TemoinError.notify(.notDelivered(failed: failed, total: outcomes.count)) }
    }
}
