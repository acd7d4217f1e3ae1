import ArgumentParser
import Foundation
import TemoinKit

/// A line for the person: on standard output, or on standard error when standard output carries JSON.
func say(_ line: String, json: Bool) {
    if json {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    } else {
        print(line)
        fflush(nil)  // safe: nothing reads stdin through a FILE (see TerminalLines)
    }
}

/// Runs a command body, turning temoin's errors into a message on standard error and the documented
/// exit code.
func guarded(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as TemoinError {
        printError(error.description)
        throw ExitCode(error.exitCode)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("temoin: \(message)\n".utf8))
}
