import ArgumentParser
import Foundation
import TemoinKit

struct ShowCommand: GuardedCommand {
    static let configuration = CommandConfiguration.text("show", key: "ShowCommand")
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: .text("ShowCommand.seq")) var seq: Int64
    @Option(help: .text("ShowCommand.capture", value: "role")) var capture: String?

    func execute() throws {
        let store = try Store.open(at: storeOptions.path, readOnly: true)
        let entry = try store.entry(seq: seq)
        if let role = capture {
            try write(try store.capture(of: entry, role: role), role: role)
            return
        }
        let view = EntryView(entry, includeBody: output.json)
        print(output.json ? JSONOutput.string(view) : view.detail)
    }

    /// The capture's raw bytes, for a file: on a terminal, a hostile page's escape sequences would be
    /// obeyed.
    private func write(_ lookup: CaptureLookup, role: String) throws {
        switch lookup {
        case .noSuchCapture: throw ValidationError(tr("show.no_capture", ["role": role, "seq": String(seq)]))
        case .withheld(let digest): throw ValidationError(tr("show.capture_withheld", ["digest": digest]))
        case .found(let bytes):
            if isatty(STDOUT_FILENO) == 1 {
                throw ValidationError(tr("security.show.capture_terminal", ["seq": String(seq), "role": role]))
            }
            // A full disk behind `> page.html` is exit 7, never a crash.
            do { try FileHandle.standardOutput.write(contentsOf: bytes) } catch {
                throw TemoinError.outputUnwritable(path: "-", detail: error.localizedDescription)
            }
        }
    }
}
