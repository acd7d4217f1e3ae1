import ArgumentParser
import TemoinKit

/// What a command reports: `value` as JSON with `--json`, else `lines` (built only then), one a line.
struct Reported<Value: Encodable> {
    let value: Value
    let lines: () throws -> [String]

    init(_ value: Value, lines: @escaping () throws -> [String]) {
        self.value = value
        self.lines = lines
    }
}

/// A command that reports: its `run()` makes one TemoinKit call (`report()`) and prints the answer as
/// JSON or as text; temoin's errors become their message and documented exit code (`guarded`).
protocol ReportingCommand: ParsableCommand {
    associatedtype Value: Encodable
    var output: OutputOptions { get }
    func report() throws -> Reported<Value>
}

extension ReportingCommand {
    func run() throws {
        try guarded { try output.render(try report()) }
    }
}

/// A reporting command on the store of `--store`, opened read-only unless the command records something
/// (`records`), then given to `report(_:)`.
protocol StoreCommand: ParsableCommand {
    associatedtype Value: Encodable
    static var records: Bool { get }
    var storeOptions: StoreOptions { get }
    var output: OutputOptions { get }
    func report(_ store: Store) throws -> Reported<Value>
}

extension StoreCommand {
    static var records: Bool { false }

    func run() throws {
        try guarded { try output.render(try report(Store.open(at: storeOptions.path, readOnly: !Self.records))) }
    }
}
