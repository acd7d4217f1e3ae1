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
        if Self.signedDuration(clockSkew) == nil {
            throw ValidationError(TemoinError.invalidDuration(value: clockSkew).description)
        }
        for p in [port] + (httpsPort.map { [$0] } ?? []) where !(0...65535).contains(p) {
            throw ValidationError(tr("simulate.bad_port", ["port": String(p)]))
        }
    }

    /// `61d`, `-3m`, `+90s`, `0`: seconds, negative for a clock behind.
    static func signedDuration(_ text: String) -> Double? {
        if text == "0" { return 0 }
        let negative = text.hasPrefix("-")
        let body = negative || text.hasPrefix("+") ? String(text.dropFirst()) : text
        return Pace.parseDuration(body).map { negative ? -$0 : $0 }
    }

    func run() async throws {
        var config = SimulatorConfiguration()
        config.httpPort = port
        config.httpsPort = httpsPort
        config.defaultScenario = Scenario(rawValue: scenario)!
        config.testHooks = testHooks
        config.clockSkew = Self.signedDuration(clockSkew) ?? 0
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
        printBanner(server)
        fflush(nil)  // a parent reading through a pipe must see the address now, not at exit
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // Told once, on the first Ctrl-C, or at once if it came before (InterruptHandler, installed
            // by main before this command runs); a second one leaves at once.
            InterruptHandler.onInterrupt { continuation.resume() }
        }
        try await server.shutdown()
    }

    /// Where the simulator listens, and loudly, when the test hooks are on.
    private func printBanner(_ server: SimulatedPrefecture) {
        print(tr("simulate.running", ["base": server.baseURL]))
        print("  \(server.baseURL)/booking/create/4963/0")
        print("  \(server.baseURL)/rdvpref/reservation/demarche/4567/")
        if let https = server.httpsBaseURL { print("  \(https)/booking/create/4963/0") }
        if testHooks {
            // Loud on both streams: a hook that reveals CAPTCHA codes must never go unnoticed.
            print(tr("simulate.test_hooks_on"))
            printError(tr("simulate.test_hooks_on"))
        }
        print(tr("simulate.stop"))
    }
}
