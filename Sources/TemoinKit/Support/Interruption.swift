import Foundation
import Synchronization

/// Ctrl-C, as the library sees it: a process-wide flag that the executable's signal handler raises and
/// that SQLite's progress handler reads on every connection (`Store`), so any SQLite work (a slow query,
/// an endless view in a hostile store) stops with `TemoinError.interrupted` within a few thousand
/// virtual-machine steps. A write interrupted this way rolls back: nothing half-written stays.
package enum Interruption {
    private static let flag = Atomic<Bool>(false)

    /// Called from a signal handler's event (never from the handler itself).
    package static func request() { flag.store(true, ordering: .relaxed) }

    package static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// For tests: a later interruption starts from a clear flag.
    static func reset() { flag.store(false, ordering: .relaxed) }
}
