import ArgumentParser
import TemoinKit
import TemoinSimulator

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration.text("simulate", key: "SimulateCommand")
    @OptionGroup var language: LanguageOptions
    @Option(help: .text("SimulateCommand.port")) var port: Int = 8080
    @Option(name: .customLong("https-port"), help: .text("SimulateCommand.httpsPort")) var httpsPort: Int?
    @Option(help: .text("SimulateCommand.scenario", value: "name", ["names": Scenario.names.joined(separator: ", ")]))
    var scenario: String = Scenario.noSlot.rawValue
    @Option(name: .customLong("certificate-out"), help: .text("SimulateCommand.certificateOut"))
    var certificateOut: String?
    @Option(name: .customLong("clock-skew"), help: .text("SimulateCommand.clockSkew", value: "duration"))
    var clockSkew: String = "0"
    @Flag(name: .customLong("test-hooks"), help: .text("SimulateCommand.testHooks")) var testHooks = false

    func validate() throws { try validating { _ = try configuration() } }

    /// The configuration asked for: a wrong option is a bad argument (exit 64), in the person's language.
    private func configuration() throws -> SimulatorConfiguration {
        let checked = try SimulateArguments(
            scenario: scenario, scenarios: Scenario.names, clockSkew: clockSkew,
            ports: [port] + (httpsPort.map { [$0] } ?? []))
        return SimulatorConfiguration(
            httpPort: port, httpsPort: httpsPort, defaultScenario: Scenario(rawValue: checked.scenario) ?? .noSlot,
            testHooks: testHooks, clockSkew: checked.clockSkew)
    }

    func run() async throws {
        // Ctrl-C is handled before the banner says the simulator is ready (main installs the handler and
        // waits for its registration): a SIGINT sent as soon as the address is read (tests do) stops it.
        InterruptHandler.install()
        try await SimulatedPrefecture.serve(try configuration(), until: InterruptHandler.waitForInterrupt) { server in
            try guarded {
                let said = try SimulatorText.ready(
                    baseURL: server.baseURL, httpsBaseURL: server.httpsBaseURL, certificatePEM: server.certificatePEM,
                    certificateOut: certificateOut, testHooks: testHooks)
                speak(said, json: false)
            }
        }
    }
}
