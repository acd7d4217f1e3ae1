import ArgumentParser
import Foundation
import TemoinKit

struct ShowCommand: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("show", key: "ShowCommand")
    @OptionGroup var options: StoreOutputOptions
    @Argument(help: .text("ShowCommand.seq")) var seq: Int64
    @Option(help: .text("ShowCommand.capture", value: "role")) var capture: String?

    func execute() throws {
        let store = try Store.open(at: storeOptions.path, readOnly: true)
        if let role = capture {
            // The capture's raw bytes, for a file only (TemoinKit refuses a terminal).
            let bytes = try store.captureForFile(seq: seq, role: role, toTerminal: isatty(STDOUT_FILENO) == 1)
            // A full disk behind `> page.html` is exit 7, never a crash.
            do { try FileHandle.standardOutput.write(contentsOf: bytes) } catch {
                throw TemoinError.outputUnwritable(path: "-", detail: error.localizedDescription)
            }
            return
        }
        let view = EntryView(try store.entry(seq: seq), includeBody: output.json)
        print(output.json ? JSONOutput.string(view) : view.detail)
    }
}
