import Foundation
import Testing

@testable import TemoinKit

/// `temoin simulate`'s options, checked before the simulated prefecture starts: a wrong one is a bad
/// argument that names what to type.
@Suite struct SimulateArgumentsTests {
    let scenarios = ["no-slot", "slot", "clock-skew"]

    @Test func aScenarioAndASignedSkewAreKept() throws {
        let arguments = try SimulateArguments(
            scenario: "clock-skew", scenarios: scenarios, clockSkew: "-1h30m", ports: [8080, 0])
        #expect(
            arguments
                == (try SimulateArguments(
                    scenario: "clock-skew", scenarios: scenarios, clockSkew: "-90m", ports: [65535])))
        #expect(arguments.clockSkew == -5_400)
        #expect(try SimulateArguments(scenario: "slot", scenarios: scenarios, clockSkew: "0", ports: []).clockSkew == 0)
        #expect(
            try SimulateArguments(scenario: "slot", scenarios: scenarios, clockSkew: "+2m", ports: []).clockSkew == 120)
    }

    @Test func aWrongOptionIsABadArgumentThatSaysWhatToType() throws {
        #expect(throws: TemoinError.unknownScenario(names: "no-slot, slot, clock-skew")) {
            try SimulateArguments(scenario: "full", scenarios: scenarios, clockSkew: "0", ports: [8080])
        }
        #expect(throws: TemoinError.invalidDuration(value: "tard")) {
            try SimulateArguments(scenario: "slot", scenarios: scenarios, clockSkew: "tard", ports: [8080])
        }
        #expect(throws: TemoinError.invalidPort(port: 70000)) {
            try SimulateArguments(scenario: "slot", scenarios: scenarios, clockSkew: "0", ports: [8080, 70000])
        }
        #expect(throws: TemoinError.invalidPort(port: -1)) {
            try SimulateArguments(scenario: "slot", scenarios: scenarios, clockSkew: "0", ports: [-1])
        }
        // The scenario is said first, as the command always did.
        #expect(throws: TemoinError.unknownScenario(names: "no-slot, slot, clock-skew")) {
            try SimulateArguments(scenario: "full", scenarios: scenarios, clockSkew: "tard", ports: [-1])
        }
        for error in [TemoinError.unknownScenario(names: "a"), .invalidPort(port: 70000)] {
            #expect(error.exitStatus == .usage)
            #expect(!error.description.contains("simulate."))
        }
    }
}
