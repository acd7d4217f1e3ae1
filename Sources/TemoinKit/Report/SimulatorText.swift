import Foundation

/// What `temoin simulate` prints once the simulated prefecture listens.
package enum SimulatorText {
    /// Where it listens and how to stop it, for standard output; with the test hooks on, the warning is
    /// among them (and `testHooksWarning` goes to standard error too: a hook that reveals CAPTCHA codes
    /// must never go unnoticed).
    package static func banner(baseURL: String, httpsBaseURL: String?, testHooks: Bool) -> [String] {
        var lines = [
            tr("simulate.running", ["base": baseURL]),
            "  \(baseURL)/booking/create/4963/0",
            "  \(baseURL)/rdvpref/reservation/demarche/4567/",
        ]
        if let httpsBaseURL { lines.append("  \(httpsBaseURL)/booking/create/4963/0") }
        if testHooks { lines.append(testHooksWarning) }
        lines.append(tr("simulate.stop"))
        return lines
    }

    /// The test hooks are on.
    package static var testHooksWarning: String { tr("simulate.test_hooks_on") }

    /// What `simulate` does once it listens: writes its HTTPS certificate (PEM) to `certificateOut` when
    /// asked (a path that cannot be written is `.outputUnwritable`, exit 7, before anything is said),
    /// then says the banner, the test hooks' warning on standard error too, and writes it all out at
    /// once: a parent reading through a pipe must see the address now, not at exit.
    package static func ready(
        baseURL: String, httpsBaseURL: String?, certificatePEM: String, certificateOut: String?, testHooks: Bool
    ) throws -> [Utterance] {
        if let certificateOut {
            try OutputFile.replace(certificateOut) { try Data(certificatePEM.utf8).write(to: URL(fileURLWithPath: $0)) }
        }
        let banner = banner(baseURL: baseURL, httpsBaseURL: httpsBaseURL, testHooks: testHooks).map(Utterance.line)
        return banner + (testHooks ? [.problem(testHooksWarning)] : []) + [.flush]
    }
}
