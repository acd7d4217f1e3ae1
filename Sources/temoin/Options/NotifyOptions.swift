import ArgumentParser
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

    /// What was asked for, as TemoinKit takes it.
    var settings: AlertSettings {
        AlertSettings(
            emails: emails, commands: commands, server: server, user: user, passwordFile: passwordFile, from: from,
            caFile: cacert, retryDelays: retry.delays)
    }

    func validate() throws {
        do { try settings.validate() } catch let error as TemoinError { throw ValidationError(error.description) }
    }
}

/// `--notify-retry 30s,2m,5m` (`AlertSettings.parseRetries`).
struct AlertRetries: ExpressibleByArgument {
    var delays = AlertSettings.defaultRetryDelays

    init() {}

    init?(argument: String) {
        guard let delays = AlertSettings.parseRetries(argument) else { return nil }
        self.delays = delays
    }

    var defaultValueDescription: String { "30s,2m,5m" }
}
