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

/// Says what TemoinKit decided to say, each where it goes (`json`: standard output carries JSON).
func speak(_ utterances: [Utterance], json: Bool) {
    for utterance in utterances {
        switch utterance {
        case .line(let text): print(text)
        // A line for the person: on standard output, or on standard error when standard output carries JSON.
        case .aside(let text) where json: writeStandardError(text + "\n")
        // Out now: safe, since nothing reads stdin through a FILE (see TerminalLines).
        case .aside(let text): speak([.line(text), .flush], json: json)
        case .problem(let text): printError(text)
        // The terminal's bell (a slot was seen; a witnessed attempt is due): the one control character
        // temoin writes on purpose, on standard error so that it never mixes with a result on standard output.
        case .bell: writeRaw(STDERR_FILENO, [0x07])
        case .flush: fflush(nil)
        case .desktopNotice(let text): DesktopNotice.send(text)
        }
    }
}

/// Runs a command body, turning temoin's errors into a message on standard error and the documented
/// exit code. With `cleanup`, a signal while a bundle is made or opened removes it (TemoinKit), and
/// Ctrl-C says "interrupted" as it does for every other command.
func guarded(cleanup: Bool = false, _ body: () throws -> Void) throws {
    let handlers = cleanup ? installCleanupHandlers { printError(TemoinError.interrupted.description) } : []
    defer { for handler in handlers { handler.cancel() } }
    defer { Store.closeAll() }  // the -wal and -shm files go with the last connection
    defer { SignalExit.holdIfLeaving() }
    do {
        try body()
    } catch let error as TemoinError {
        SignalExit.holdIfLeaving()  // a signal's cleanup made this fail: it exits with the signal's status
        printError(error.description)
        throw ExitCode(error.exitStatus)
    }
}

/// An error or warning on standard error, on one line: a line break in it can only come from a value.
func printError(_ message: String) {
    writeStandardError("temoin: " + TerminalText.line(message) + "\n")
}

/// A message built into the program (no catalogue to translate it), on standard error as it is.
func printBuiltInError(_ message: String) {
    writeStandardError(message + "\n")
}

/// Standard error, neutralised like standard output; a closed or full standard error is ignored.
private func writeStandardError(_ text: String) {
    writeRaw(STDERR_FILENO, Array(TerminalText.text(text).utf8))
}

private func writeRaw(_ fd: Int32, _ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { writeAll(fd, $0) }
}

extension ExitCode {
    /// The process ends with one of the documented statuses, never a bare number.
    init(_ status: ExitStatus) { self.init(status.rawValue) }
}
