import Foundation

/// What `temoin simulate` is asked for, checked before the simulated prefecture starts (TemoinSimulator
/// stays independent of TemoinKit, so the names of its scenarios are given).
package struct SimulateArguments: Sendable, Equatable {
    /// The scenario of requests without a `/scenario/<name>` prefix, one of the names given.
    package let scenario: String
    /// Seconds the `clock-skew` scenario adds to the `Date` header, negative for a clock behind.
    package let clockSkew: TimeInterval

    /// Throws, in this order, `.unknownScenario` (naming those there are), `.invalidDuration` for a skew
    /// that is no signed duration (`-90s`, `+2h`, `0`), `.invalidPort` for a port outside 0...65535:
    /// each a bad argument (exit 64).
    package init(scenario: String, scenarios: [String], clockSkew: String, ports: [Int]) throws {
        guard scenarios.contains(scenario) else {
            throw TemoinError.unknownScenario(names: scenarios.joined(separator: ", "))
        }
        guard let skew = Pace.parseSignedDuration(clockSkew) else {
            throw TemoinError.invalidDuration(value: clockSkew)
        }
        for port in ports where !(0...65535).contains(port) { throw TemoinError.invalidPort(port: port) }
        self.scenario = scenario
        self.clockSkew = skew
    }
}
