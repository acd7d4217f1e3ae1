import Foundation

/// Slot alerts (`watch --notify-email/--notify-command`, `temoin notify test`).
package enum NotifyError: Error, Sendable, Equatable {
    /// Not `smtp://host[:port]` or `smtps://host[:port]`.
    case badServer(value: String)
    /// A login inside the server's address: it would show in `ps` and the shell's history.
    case credentialsInServer
    case badAddress(value: String)
    /// E-mail alerts without `--smtp-server`.
    case noServer
    /// `--notify-retry` that is no list of waits (`AlertRetries`).
    case badRetries(value: String)
    /// The password file can be read by others (mode given in octal).
    case passwordFileOpen(path: String, mode: String)
    case passwordFileNotOwned(path: String)
    /// `notify test` without any channel.
    case noChannel
    /// `notify test`: at least one channel failed (each failure was printed).
    case notDelivered(failed: Int, total: Int)

    package var exitStatus: ExitStatus {
        switch self {
        case .badServer, .credentialsInServer, .badAddress, .noServer, .badRetries, .noChannel: return .usage
        case .passwordFileOpen, .passwordFileNotOwned: return .inputRefused
        case .notDelivered: return .alertNotDelivered
        }
    }

    package var exitCode: Int32 { exitStatus.rawValue }

    package var description: String {
        switch self {
        case .badServer(let value): return tr("notify.error.bad_server", ["value": value])
        case .credentialsInServer: return tr("notify.error.credentials_in_server")
        case .badAddress(let value): return tr("notify.error.bad_address", ["value": value])
        case .noServer: return tr("notify.error.no_server")
        case .badRetries(let value): return tr("notify.error.bad_retries", ["value": value])
        case .passwordFileOpen(let path, let mode):
            return tr("notify.error.password_file_open", ["path": path, "mode": mode])
        case .passwordFileNotOwned(let path): return tr("notify.error.password_file_not_owned", ["path": path])
        case .noChannel: return tr("notify.error.no_channel")
        case .notDelivered(let failed, let total):
            return tr("notify.error.not_delivered", ["failed": String(failed), "total": String(total)])
        }
    }
}
