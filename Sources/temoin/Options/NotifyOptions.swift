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
    var retry = AlertRetries()

    /// What was asked for, as TemoinKit takes it; throws the error that names a wrong `--notify-retry`.
    func settings() throws -> AlertSettings {
        AlertSettings(
            emails: emails, commands: commands, server: server, user: user, passwordFile: passwordFile, from: from,
            caFile: cacert, retryDelays: try retry.value())
    }

    func validate() throws { try validating { try settings().validate() } }
}
