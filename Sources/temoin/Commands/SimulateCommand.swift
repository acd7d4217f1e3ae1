import ArgumentParser
import Foundation
import TemoinKit
import TemoinSimulator

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration.text("simulate", key: "SimulateCommand")
    @OptionGroup var language: LanguageOptions
    @Option(help: .text("SimulateCommand.port")) var port: Int = 8080
    @Option(name: .customLong("https-port"), help: .text("SimulateCommand.httpsPort")) var httpsPort: Int?
    @Option(
        help: ArgumentHelp(
            tr("help.SimulateCommand.scenario", ["names": Scenario.allCases.map(\.rawValue).joined(separator: ", ")]),
            valueName: "name"))
    var scenario: String = Scenario.noSlot.rawValue
    @Option(name: .customLong("certificate-out"), help: .text("SimulateCommand.certificateOut"))
    var certificateOut: String?
    @Option(name: .customLong("clock-skew"), help: .text("SimulateCommand.clockSkew", value: "duration"))
    var clockSkew: String = "0"
    @Flag(name: .customLong("test-hooks"), help: .text("SimulateCommand.testHooks")) var testHooks = false

    func validate() throws {
        guard Scenario(rawValue: scenario) != nil else {
            throw ValidationError(
                tr("simulate.bad_scenario", ["names": Scenario.allCases.map(\.rawValue).joined(separator: ", ")]))
        }
        if Pace.parseSignedDuration(clockSkew) == nil {
            throw ValidationError(TemoinError.invalidDuration(value: clockSkew).description)
        }
        for p in [port] + (httpsPort.map { [$0] } ?? []) where !(0...65535).contains(p) {
            throw ValidationError(tr("simulate.bad_port", ["port": String(p)]))
        }
    }

    func run() async throws {
        let config = SimulatorConfiguration(
            httpPort: port, httpsPort: httpsPort, defaultScenario: Scenario(rawValue: scenario) ?? .noSlot,
            testHooks: testHooks, clockSkew: Pace.parseSignedDuration(clockSkew) ?? 0)
        // Ctrl-C is handled before the banner says the simulator is ready (main installs the handler and
        // waits for its registration): a SIGINT sent as soon as the address is read (tests do) stops it.
        InterruptHandler.install()
        let server = try await SimulatedPrefecture.start(config)
        if let certificateOut {
            try guarded {
                try OutputFile.replace(certificateOut) {
                    try Data(server.certificatePEM.utf8).write(to: URL(fileURLWithPath: $0))
                }
            }
        }
        let banner = SimulatorText.banner(
            baseURL: server.baseURL, httpsBaseURL: server.httpsBaseURL, testHooks: testHooks)
        for line in banner { print(line) }
        if testHooks { printError(SimulatorText.testHooksWarning) }
        fflush(nil)  // a parent reading through a pipe must see the address now, not at exit
        await InterruptHandler.waitForInterrupt()
        try await server.shutdown()
    }
}
