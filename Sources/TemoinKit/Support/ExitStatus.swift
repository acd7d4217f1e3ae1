import Foundation

/// How `temoin` ends: the single source of the exit statuses that `temoin --help`, the README and every
/// command use. An open set of named values, like GRDB's `ResultCode`, so no command writes a bare
/// number and a test can hold the documentation to this list.
///
/// Invariant: every status a command can end with is one of ``documented``, except the statuses of a
/// signal other than Ctrl-C (128 + its number, as shells report it), listed under ``interrupted``.
package struct ExitStatus: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    package let rawValue: Int32

    package init(rawValue: Int32) { self.rawValue = rawValue }

    /// Done; for `verify`, the chain is intact.
    package static let success = ExitStatus(rawValue: 0)
    /// `verify`, `status`: tampering or corruption found; `dossier`: written, but the store is not intact.
    package static let tampered = ExitStatus(rawValue: 1)
    /// `doctor`: something an attempt needs must be fixed (the number of ``tampered``: a problem was found).
    package static let needsFixing = ExitStatus(rawValue: 1)
    /// `verify --strict-time`: an attempt's time has a problem (docs/FORMAT.md §8), the chain being
    /// intact (the number of ``tampered``; without the flag such problems are listed and the status is 0).
    package static let timeProblems = ExitStatus(rawValue: 1)
    /// The store cannot be read (missing, not a temoin store, newer format, damaged).
    package static let storeUnreadable = ExitStatus(rawValue: 2)
    /// The store cannot be written (read-only medium, disk full, busy); nothing was recorded.
    package static let storeNotWritable = ExitStatus(rawValue: 3)
    /// An input file was refused (missing, empty, too large, unsafe, invalid).
    package static let inputRefused = ExitStatus(rawValue: 4)
    /// The network layer or the browser could not start; an unreachable site is recorded, not this.
    package static let networkUnavailable = ExitStatus(rawValue: 5)
    /// `seal`: no time-stamp authority gave a seal that verifies.
    package static let sealFailed = ExitStatus(rawValue: 6)
    /// An output or working file cannot be written (folder read-only or full); the store is untouched.
    package static let outputUnwritable = ExitStatus(rawValue: 7)
    /// `notify test`: an alert could not be delivered.
    package static let alertNotDelivered = ExitStatus(rawValue: 8)
    /// Invalid arguments (sysexits.h's `EX_USAGE`).
    package static let usage = ExitStatus(rawValue: 64)
    /// temoin's own files (messages, templates, profiles) are missing beside the program
    /// (sysexits.h's `EX_SOFTWARE`); said by a message built into the program, the catalogue being missing.
    package static let installationIncomplete = ExitStatus(rawValue: 70)
    /// Stopped by Ctrl-C (128 + SIGINT); other signals end with 128 + their number.
    package static let interrupted = ExitStatus(rawValue: 130)

    /// The statuses `temoin --help` and the README list, in order.
    package static let documented: [ExitStatus] = [
        .success, .tampered, .storeUnreadable, .storeNotWritable, .inputRefused, .networkUnavailable, .sealFailed,
        .outputUnwritable, .alertNotDelivered, .usage, .installationIncomplete, .interrupted,
    ]

    /// The status of a process ended by `signal` after cleaning up (SIGTERM: 143, SIGHUP: 129).
    package static func signal(_ number: Int32) -> ExitStatus { ExitStatus(rawValue: 128 + number) }

    /// What the status means, in the language of the messages (the `--help` table).
    package var summary: String { tr("exit.\(rawValue)") }

    package var description: String { String(rawValue) }

    package static func < (a: ExitStatus, b: ExitStatus) -> Bool { a.rawValue < b.rawValue }

    /// The table of `temoin --help`: one line per status with its meaning, which the argument parser
    /// wraps to the terminal's width (a line broken here would come out ragged once re-wrapped).
    package static func helpTable(indent: String = "  ") -> String {
        documented.map { indent + tr("help.exit_line", ["code": String($0.rawValue), "summary": $0.summary]) }
            .joined(separator: "\n")
    }
}
