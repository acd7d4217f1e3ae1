// temoin simulator: a simulated prefecture for the tests and the demo.
//
// Honesty note. The pages served here are written by us, for temoin, from the markers published in public
// checker projects (see docs/DOMAIN.md, "The booking systems"). They mimic the structure and the
// wording of the legacy prefecture booking module and of RDV Préfecture so that temoin's capture and
// classification can be exercised; they are not copies of the real sites, and every page says in its footer
// that it comes from the simulator. The server binds the loopback address 127.0.0.1 only and refuses any
// other address: it is never reachable from the network.
//
// Routes (an optional `/scenario/<name>` prefix selects the scenario for one request):
//   /                                             index of the entry points and scenarios
//   /booking/create/<id>/0, /1, /2                legacy module: conditions, counter, outcome
//   /rdvpref/reservation/demarche/<id>/           RDV Préfecture: procedure page
//   /rdvpref/reservation/demarche/<id>/cgu/       CAPTCHA (CaptchEtat-like)
//   /rdvpref/reservation/demarche/<id>/creneau/   outcome (no slot, or three slots)
//   /_redirect/1, /_redirect/2, /_redirect/a|b    redirect chain (redirects) and loop (redirect-loop)
//   /_redirect/other-host?to=PATH                 sets a cookie, detours through the other loopback name
//                                                 (127.0.0.1 <-> localhost), then back to PATH
//   /_test/captcha-code                           the session's CAPTCHA code, only with testHooks
//   /scenario/clock-skew/<±seconds>/...           as no-slot, the Date header off by that many seconds

import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// What the simulated prefecture answers. Select one for the whole server with
/// ``SimulatorConfiguration/defaultScenario`` or for one request with a `/scenario/<name>/...` path prefix.
package enum Scenario: String, CaseIterable, Sendable {
    /// Every scenario's name, as `--scenario` and a `/scenario/<name>` prefix take it.
    package static var names: [String] { allCases.map(\.rawValue) }

    /// Both systems say there is no slot (the usual case).
    case noSlot = "no-slot"
    /// Both systems offer three slots.
    case slotAvailable = "slot-available"
    /// Every page answers HTTP 502 "Bad Gateway", "Service surchargé".
    case overload = "overload-502"
    /// Every page answers HTTP 503 "Site en maintenance".
    case maintenance
    /// Like no-slot, but pages are encoded in ISO-8859-1 and declared so.
    case latin1
    /// Like no-slot, but bodies are gzip-compressed when the client accepts it.
    case gzip
    /// Like no-slot, but every GET or HEAD page request first goes through 3 redirects (301, 302, 307, via
    /// `/_redirect/1` and `/_redirect/2`); the final URL carries `redirige=1` in its query so that it is served.
    /// POSTs are not redirected (browsers would turn them into GETs).
    case redirects
    /// Every page redirects endlessly (A -> B -> A ...).
    case redirectLoop = "redirect-loop"
    /// Like no-slot, but the response headers come after ``SimulatorConfiguration/slowDelay``.
    case slow
    /// 200 with a body that never ends.
    case huge
    /// Like no-slot, but the body arrives 16 bytes every 200 ms.
    case drip
    /// The connection is closed abruptly (RST when possible) without any response.
    case reset
    /// Like no-slot, but the `Date` header is off by ``SimulatorConfiguration/clockSkew`` seconds, or by
    /// the signed number of seconds in the path (`/scenario/clock-skew/-5270400/booking/create/4963/0`):
    /// a prefecture whose clock disagrees with the computer's, as a wrong computer clock looks.
    case clockSkew = "clock-skew"
}

package struct SimulatorConfiguration: Sendable {
    /// The only accepted value is "127.0.0.1": the simulator never listens beyond loopback.
    package var bindAddress: String
    /// HTTP port; 0 picks a free (ephemeral) port.
    package var httpPort: Int
    /// HTTPS port; nil means no TLS listener, 0 picks a free port.
    package var httpsPort: Int?
    /// The scenario of requests without a `/scenario/<name>` prefix.
    package var defaultScenario: Scenario
    /// Seconds the `slow` scenario waits before sending the response headers.
    package var slowDelay: Double
    /// Enables `GET /_test/captcha-code` (the session's CAPTCHA code as text/plain). Tests only.
    package var testHooks: Bool
    /// Seconds the `clock-skew` scenario adds to the `Date` header when its path gives none.
    package var clockSkew: Double

    package init(
        bindAddress: String = "127.0.0.1",
        httpPort: Int = 0,
        httpsPort: Int? = nil,
        defaultScenario: Scenario = .noSlot,
        slowDelay: Double = 3,
        testHooks: Bool = false,
        clockSkew: Double = 0
    ) {
        self.bindAddress = bindAddress
        self.httpPort = httpPort
        self.httpsPort = httpsPort
        self.defaultScenario = defaultScenario
        self.slowDelay = slowDelay
        self.testHooks = testHooks
        self.clockSkew = clockSkew
    }
}

package enum SimulatorError: Error, Equatable, CustomStringConvertible {
    /// The bind address is not 127.0.0.1.
    case nonLoopbackAddress(String)
    /// A port is outside 0...65535.
    case invalidPort(Int)
    /// The listening socket is not on the loopback address (should never happen).
    case unexpectedLocalAddress(String)

    package var description: String {
        switch self {
        case .nonLoopbackAddress(let address):
            return "the simulator listens on 127.0.0.1 only; refusing to bind to \(address)"
        case .invalidPort(let port):
            return "invalid port \(port) (expected 0...65535)"
        case .unexpectedLocalAddress(let address):
            return "the simulator socket is bound to \(address), not to 127.0.0.1"
        }
    }
}

/// A running simulated prefecture (HTTP, and HTTPS when configured), on 127.0.0.1 only.
package final class SimulatedPrefecture: Sendable {
    package let configuration: SimulatorConfiguration
    package let httpPort: Int
    package let httpsPort: Int?
    /// The self-signed certificate generated at start (served by the HTTPS listener when there is one),
    /// DER-encoded.
    package let certificateDER: [UInt8]
    /// The same certificate, PEM-encoded.
    package let certificatePEM: String

    private let group: MultiThreadedEventLoopGroup
    private let channels: [Channel]
    private let stopped = OnceFlag()

    /// "http://127.0.0.1:PORT"
    package var baseURL: String { "http://127.0.0.1:\(httpPort)" }
    /// "https://127.0.0.1:PORT", or nil without HTTPS.
    package var httpsBaseURL: String? { httpsPort.map { "https://127.0.0.1:\($0)" } }
    /// Lower-case hexadecimal SHA-256 of ``certificateDER`` (the certificate's fingerprint).
    package var certificateSHA256: String {
        SelfSignedCertificate(der: certificateDER, pem: certificatePEM, privateKeyPEM: "").sha256Fingerprint
    }

    private init(
        configuration: SimulatorConfiguration,
        group: MultiThreadedEventLoopGroup,
        channels: [Channel],
        httpPort: Int,
        httpsPort: Int?,
        certificate: SelfSignedCertificate
    ) {
        self.configuration = configuration
        self.group = group
        self.channels = channels
        self.httpPort = httpPort
        self.httpsPort = httpsPort
        self.certificateDER = certificate.der
        self.certificatePEM = certificate.pem
    }

    /// Starts the listeners. Throws ``SimulatorError/nonLoopbackAddress(_:)`` for any address but 127.0.0.1.
    package static func start(_ configuration: SimulatorConfiguration) async throws -> SimulatedPrefecture {
        let (state, certificate, tls) = try prepare(configuration)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var channels: [Channel] = []
        do {
            channels.append(try await bind(group: group, port: configuration.httpPort, state: state, tls: nil).get())
            if let httpsPort = configuration.httpsPort {
                channels.append(try await bind(group: group, port: httpsPort, state: state, tls: tls).get())
            }
            return try SimulatedPrefecture(configuration, group, channels, certificate)
        } catch {
            for channel in channels {
                try? await channel.close()
            }
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Synchronous variant of ``start(_:)``, for code that is not async. Do not call it on an event loop.
    package static func startAndWait(_ configuration: SimulatorConfiguration) throws -> SimulatedPrefecture {
        let (state, certificate, tls) = try prepare(configuration)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var channels: [Channel] = []
        do {
            channels.append(try bind(group: group, port: configuration.httpPort, state: state, tls: nil).wait())
            if let httpsPort = configuration.httpsPort {
                channels.append(try bind(group: group, port: httpsPort, state: state, tls: tls).wait())
            }
            return try SimulatedPrefecture(configuration, group, channels, certificate)
        } catch {
            for channel in channels {
                try? channel.close().wait()
            }
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    /// Closes the listeners and every open connection, then stops the event loops. Idempotent.
    package func shutdown() async throws {
        guard stopped.markOnce() else { return }
        for channel in channels {
            try? await channel.close()
        }
        try await group.shutdownGracefully()
    }

    /// Synchronous variant of ``shutdown()``. Do not call it on an event loop.
    package func shutdownAndWait() throws {
        guard stopped.markOnce() else { return }
        for channel in channels {
            try? channel.close().wait()
        }
        try group.syncShutdownGracefully()
    }

    /// Checks the configuration and makes the TLS context (with a fresh certificate) when HTTPS is wanted.
    private static func prepare(
        _ configuration: SimulatorConfiguration
    ) throws -> (SimulatorState, SelfSignedCertificate, NIOSSLContext?) {
        guard configuration.bindAddress == "127.0.0.1" else {
            throw SimulatorError.nonLoopbackAddress(configuration.bindAddress)
        }
        for port in [configuration.httpPort, configuration.httpsPort ?? 0] where !(0...65_535).contains(port) {
            throw SimulatorError.invalidPort(port)
        }
        let certificate = try SelfSignedCertificate.generate()
        guard configuration.httpsPort != nil else {
            return (SimulatorState(configuration: configuration), certificate, nil)
        }
        let key = try NIOSSLPrivateKey(bytes: Array(certificate.privateKeyPEM.utf8), format: .pem)
        let tlsConfiguration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: certificate.der, format: .der))],
            privateKey: .privateKey(key)
        )
        return (
            SimulatorState(configuration: configuration), certificate,
            try NIOSSLContext(configuration: tlsConfiguration)
        )
    }

    private convenience init(
        _ configuration: SimulatorConfiguration,
        _ group: MultiThreadedEventLoopGroup,
        _ channels: [Channel],
        _ certificate: SelfSignedCertificate
    ) throws {
        let ports = try channels.map { channel -> Int in
            // Defence in depth: check where the socket really is.
            guard let address = channel.localAddress, address.ipAddress == "127.0.0.1", let port = address.port else {
                throw SimulatorError.unexpectedLocalAddress(String(describing: channel.localAddress))
            }
            return port
        }
        self.init(
            configuration: configuration,
            group: group,
            channels: channels,
            httpPort: ports[0],
            httpsPort: ports.count > 1 ? ports[1] : nil,
            certificate: certificate
        )
    }

    private static func bind(
        group: MultiThreadedEventLoopGroup,
        port: Int,
        state: SimulatorState,
        tls: NIOSSLContext?
    ) -> EventLoopFuture<Channel> {
        ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 4)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let tls {
                        try operations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try operations.configureHTTPServerPipeline(withErrorHandling: true)
                    try operations.addHandler(SimulatorHTTPHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: port)
    }
}

/// A thread-safe flag that can be raised once.
final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    /// Raises the flag; true only for the first caller.
    func markOnce() -> Bool {
        lock.withLock {
            defer { raised = true }
            return !raised
        }
    }
}

extension SimulatedPrefecture {
    /// `temoin simulate`: listens, lets `ready` announce it (and write its certificate), serves until
    /// `until` returns, then closes every listener and connection, also when `ready` throws.
    package static func serve(
        _ configuration: SimulatorConfiguration, until: () async -> Void,
        ready: (SimulatedPrefecture) throws -> Void
    ) async throws {
        let server = try await start(configuration)
        do {
            try ready(server)
        } catch {
            try? await server.shutdown()
            throw error
        }
        await until()
        try await server.shutdown()
    }
}
