import ArgumentParser
import Foundation
import TemoinKit

// Everything the executable writes for a person goes through this file, made safe by `TerminalText`:
// stores, pages, file names and attestations can hold escape sequences that would otherwise move the
// cursor, erase lines or hide text on the terminal. (`show --capture` writes raw bytes, to files only.)

/// `print` for the whole executable: shadows `Swift.print`, so no command can print text from a store
/// unneutralised. JSON reaches here already escaped (`JSONOutput`) and passes unchanged.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(TerminalText.text(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}

/// A line for the person: on standard output, or on standard error when standard output carries JSON.
func say(_ line: String, json: Bool) {
    if json {
        StandardError.write(line + "\n")
    } else {
        print(line)
        fflush(nil)  // safe: nothing reads stdin through a FILE (see TerminalLines)
    }
}

/// Runs a command body, turning temoin's errors into a message on standard error and the documented
/// exit code.
func guarded(_ body: () throws -> Void) throws {
    defer { Store.closeAll() }  // the -wal and -shm files go with the last connection
    do {
        try body()
    } catch let error as TemoinError {
        printError(error.description)
        throw ExitCode(error.exitStatus)
    }
}

/// An error or warning on standard error, on one line (`StandardError.message`).
func printError(_ message: String) {
    StandardError.message(message)
}

/// A message built into the program (no catalogue to translate it), on standard error as it is.
func printBuiltInError(_ message: String) {
    StandardError.write(message + "\n")
}

extension ExitCode {
    /// The process ends with one of the documented statuses, never a bare number.
    init(_ status: ExitStatus) { self.init(status.rawValue) }
}
