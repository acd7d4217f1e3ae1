import ArgumentParser
import TemoinKit

/// A command whose `run()` is `execute()` under `guarded`: temoin's errors become their message on
/// standard error and their documented exit code, and the store's connections close at the end.
protocol GuardedCommand: ParsableCommand {
    /// Whether a signal during the command removes what TemoinKit is making or has opened (a bundle).
    static var cleansUp: Bool { get }
    func execute() throws
}

extension GuardedCommand {
    static var cleansUp: Bool { false }

    func run() throws { try guarded(cleanup: Self.cleansUp, execute) }
}

/// What a command reports: `value` as JSON with `--json`, else `lines` (built only then), one a line;
/// then the status it exits with, as TemoinKit decided it.
struct Reported<Value: Encodable> {
    let value: Value
    let exitStatus: ExitStatus
    let lines: () throws -> [String]

    init(_ value: Value, exitStatus: ExitStatus = .success, lines: @escaping () throws -> [String]) {
        self.value = value
        self.exitStatus = exitStatus
        self.lines = lines
    }
}

/// A command that only reports: one TemoinKit call (`report()`), its answer printed as JSON or text,
/// then its exit status.
protocol ReportingCommand: GuardedCommand {
    associatedtype Value: Encodable
    var output: OutputOptions { get }
    func report() throws -> Reported<Value>
}

extension ReportingCommand {
    func execute() throws { try output.render(try report()) }
}

/// A command that reports on the store of `--store`, opened read-only unless the command records
/// something (`records`), then given to `report(_:)`.
protocol StoreCommand: GuardedCommand, StoreReporting {
    associatedtype Value: Encodable
    static var records: Bool { get }
    func report(_ store: Store) throws -> Reported<Value>
}

extension StoreCommand {
    static var records: Bool { false }

    func execute() throws {
        try output.render(try report(Store.open(at: storeOptions.path, readOnly: !Self.records)))
    }
}
