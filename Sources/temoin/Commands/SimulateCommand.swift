import ArgumentParser
import Foundation
import TemoinKit
import TemoinSimulator

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the simulated prefecture on 127.0.0.1 (for trying temoin, tests and the demo).",
        discussion: """
            Serves pages written by us that mimic both booking systems (the prefectures' former module and \
            RDV Préfecture), with their forms, cookies and messages, and their failure modes. It listens \
            on the loopback interface only. Choose the behaviour with --scenario, or per request with a \
            path prefix: /scenario/slot-available/booking/create/4963/0. Ctrl-C stops it.

            The clock-skew scenario answers like no-slot with a Date header off by --clock-skew (e.g.
            61d, -3m), or by the seconds in its path (/scenario/clock-skew/-180/booking/create/4963/0):
            what a computer whose clock is wrong sees. The simulator's clock itself is never changed.
            """)

    @OptionGroup var language: LanguageOptions
    @Option(help: "HTTP port on 127.0.0.1 (0: any free port).") var port: Int = 8080
    @Option(name: .customLong("https-port"), help: "Also serve HTTPS with a self-signed certificate on this port.")
    var httpsPort: Int?
    @Option(
        help: ArgumentHelp(
            "Default behaviour: \(Scenario.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var scenario: String = Scenario.noSlot.rawValue
    @Option(name: .customLong("certificate-out"), help: "Write the HTTPS certificate (PEM) here, to pass to --cacert.")
    var certificateOut: String?
    @Option(
        name: .customLong("clock-skew"),
        help: ArgumentHelp(
            "For the clock-skew scenario: how far its Date header is off, e.g. 61d or -3m.", valueName: "duration"))
    var clockSkew: String = "0"
    @Flag(
        name: .customLong("test-hooks"),
        help: "Serve /_test/captcha-code (the session's CAPTCHA code). For temoin's tests and demo only.")
    var testHooks = false

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
        // Ctrl-C is handled before the banner says the simulator is ready: a SIGINT sent as soon as the
        // address is read (tests do) must stop it, not be ignored between the two steps.
        signal(SIGINT, SIG_IGN)
        let stop = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let stopped = DispatchSemaphore(value: 0)
        let registered = DispatchSemaphore(value: 0)
        stop.setRegistrationHandler { registered.signal() }  // libdispatch installs its handler asynchronously
        stop.setEventHandler {
            stop.cancel()  // a second Ctrl-C must not signal twice
            stopped.signal()
        }
        stop.resume()
        registered.wait()
        let server = try await SimulatedPrefecture.start(config)
        if let certificateOut {
            try guarded {
                try OutputFile.replace(certificateOut) {
                    try Data(server.certificatePEM.utf8).write(to: URL(fileURLWithPath: $0))
                }
            }
        }
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
        fflush(nil)  // a parent reading through a pipe must see the address now, not at exit
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                stopped.wait()
                continuation.resume()
            }
        }
        try await server.shutdown()
    }
}
