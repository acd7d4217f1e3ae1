// Routing and session state of the simulated prefecture. The router is pure request -> reply logic;
// the NIO handler (Server.swift) turns replies into bytes on the wire.

import Foundation
import NIOHTTP1

/// A parsed request, after the optional `/scenario/<name>` prefix has been removed from the path.
struct SimulatorRequest {
    var method: HTTPMethod
    /// The path without the scenario prefix (always starts with "/").
    var path: String
    /// The raw query string, without "?".
    var query: String
    /// "" or "/scenario/<name>" (with the seconds for `clock-skew`).
    var prefix: String
    var scenario: Scenario
    var headers: HTTPHeaders
    var body: [UInt8]

    var queryItems: [String: String] { FormCoding.decode(query) }
    var form: [String: String] { FormCoding.decode(String(decoding: body, as: UTF8.self)) }
    var cookies: [String: String] { CookieParsing.parse(headers["cookie"]) }
    var isHead: Bool { method == .HEAD }
}

/// A complete response, before transport-level decisions (delay, drip, gzip...).
struct SimulatorResponse {
    var status: HTTPResponseStatus
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// Seconds to wait before sending the response headers (`slow`).
    var delay: Double = 0
    /// Send the body 16 bytes every 200 ms (`drip`).
    var drip = false
    /// Seconds added to the `Date` header (`clock-skew`).
    var dateOffset: Double = 0
}

enum SimulatorReply {
    case response(SimulatorResponse)
    /// 200 with a body that never ends (`huge`).
    case endless
    /// Close the connection abruptly, without any response (`reset`).
    case reset
}

/// Server-side state shared by every connection: configuration and sessions.
final class SimulatorState: @unchecked Sendable {
    struct Session {
        /// Legacy module: highest step reached per booking id, and the chosen counter.
        var legacySteps: [String: Int] = [:]
        var legacyPlanning: [String: String] = [:]
        /// RDV Préfecture: the current CAPTCHA code and the procedures whose CAPTCHA was solved.
        var captchaCode: String?
        var solvedDemarches: Set<String> = []
    }

    static let legacyCookie = "eZSESSID"
    static let rdvCookie = "SESSION"
    static let maxSessions = 10_000

    let configuration: SimulatorConfiguration
    private let lock = NSLock()
    private var sessions: [String: Session] = [:]
    private var order: [String] = []

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
    }

    func session(_ id: String?) -> Session? {
        guard let id else { return nil }
        return lock.withLock { sessions[id] }
    }

    func newSession() -> String {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        lock.withLock {
            sessions[id] = Session()
            order.append(id)
            if order.count > Self.maxSessions {
                let evicted = order.prefix(order.count - Self.maxSessions)
                for old in evicted {
                    sessions[old] = nil
                }
                order.removeFirst(evicted.count)
            }
        }
        return id
    }

    func update(_ id: String, _ change: (inout Session) -> Void) {
        lock.withLock {
            if var session = sessions[id] {
                change(&session)
                sessions[id] = session
            }
        }
    }
}

struct Router {
    let state: SimulatorState
    let now: () -> Date

    static let redirectMarker = "redirige=1"

    /// Splits a request target into scenario, prefix, path and query. Returns nil for an unknown scenario.
    static func parseTarget(_ uri: String, defaultScenario: Scenario) -> (Scenario, String, String, String)? {
        let pieces = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var path = pieces.isEmpty ? "/" : String(pieces[0])
        let query = pieces.count > 1 ? String(pieces[1]) : ""
        if !path.hasPrefix("/") {
            path = "/" + path
        }
        guard path.hasPrefix("/scenario/") else {
            return (defaultScenario, "", path, query)
        }
        let rest = path.dropFirst("/scenario/".count)
        let name = String(rest.prefix { $0 != "/" })
        guard let scenario = Scenario(rawValue: name) else { return nil }
        var remainder = String(rest.dropFirst(name.count))
        var prefix = "/scenario/\(name)"
        // clock-skew may carry its amount, a signed number of seconds, as the next path segment.
        if scenario == .clockSkew {
            let segment = remainder.dropFirst().prefix { $0 != "/" }
            if Self.skewSeconds(segment) != nil {
                prefix += "/" + segment
                remainder = String(remainder.dropFirst(1 + segment.count))
            }
        }
        return (scenario, prefix, remainder.isEmpty ? "/" : remainder, query)
    }

    /// A signed whole number of seconds (`-5270400`, `+180`, `300`), else nil.
    static func skewSeconds<S: StringProtocol>(_ text: S) -> Double? {
        let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : text[...]
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Double(digits)
        else { return nil }
        return text.first == "-" ? -value : value
    }

    func respond(to request: SimulatorRequest) -> SimulatorReply {
        guard [.GET, .POST, .HEAD].contains(request.method) else {
            var response = page(Pages.methodNotAllowed(), status: .methodNotAllowed)
            response.headers.append(("Allow", "GET, POST, HEAD"))
            return .response(response)
        }
        // Test hooks and the redirect chain are never affected by the failure scenarios.
        if request.path == "/_test/captcha-code" {
            return .response(captchaHook(request))
        }
        if request.path.hasPrefix("/_redirect/") {
            return .response(redirectStep(request))
        }
        switch request.scenario {
        case .overload:
            return .response(page(Pages.badGateway(), status: .badGateway))
        case .maintenance:
            var response = page(Pages.maintenance(), status: .serviceUnavailable)
            response.headers.append(("Retry-After", "3600"))
            return .response(response)
        case .reset:
            return .reset
        case .huge:
            return .endless
        case .redirectLoop:
            return .response(redirect(to: request.prefix + "/_redirect/a", status: .found))
        case .redirects where request.method != .POST && !request.query.contains(Self.redirectMarker):
            let target = request.prefix + request.path + (request.query.isEmpty ? "" : "?" + request.query)
            let location = request.prefix + "/_redirect/1?to=" + FormCoding.escape(target)
            return .response(redirect(to: location, status: .movedPermanently))
        default:
            break
        }
        var response = route(request)
        switch request.scenario {
        case .clockSkew:
            response.dateOffset =
                request.prefix.split(separator: "/").last.flatMap { Self.skewSeconds($0) }
                ?? state.configuration.clockSkew
        case .slow:
            response.delay = state.configuration.slowDelay
        case .drip:
            response.drip = true
        case .latin1:
            if response.headers.contains(where: { $0.0 == "Content-Type" && $0.1.hasPrefix("text/html") }) {
                response.body = Latin1.encodePage(String(decoding: response.body, as: UTF8.self))
                response.headers = response.headers.filter { $0.0 != "Content-Type" }
                response.headers.append(("Content-Type", "text/html; charset=ISO-8859-1"))
            }
        case .gzip:
            response.headers.append(("Vary", "Accept-Encoding"))
            if Gzip.accepted(by: request.headers["accept-encoding"]), let compressed = Gzip.compress(response.body) {
                response.body = compressed
                response.headers.append(("Content-Encoding", "gzip"))
            }
        default:
            break
        }
        return .response(response)
    }

    // MARK: Pages

    private func route(_ request: SimulatorRequest) -> SimulatorResponse {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // parts[0] is "" because the path starts with "/".
        if request.path == "/" {
            return page(Pages.index(withScenarios: request.prefix.isEmpty))
        }
        if parts.count == 5, parts[1] == "booking", parts[2] == "create", isNumber(parts[3]) {
            return legacy(request, id: parts[3], step: parts[4])
        }
        if parts.count >= 5, parts[1] == "rdvpref", parts[2] == "reservation", parts[3] == "demarche",
            isNumber(parts[4])
        {
            let base = request.prefix + "/rdvpref/reservation/demarche/\(parts[4])/"
            switch Array(parts.dropFirst(5)) {
            case []:
                return redirect(to: base, status: .movedPermanently)
            case [""]:
                return page(Pages.rdvDemarche(demarche: parts[4]))
            case ["cgu", ""]:
                return captcha(request, demarche: parts[4], base: base)
            case ["creneau", ""]:
                return slots(request, demarche: parts[4], base: base)
            case ["cgu"], ["creneau"]:
                return redirect(to: base + parts[5] + "/", status: .movedPermanently)
            default:
                break
            }
        }
        return page(Pages.notFound(), status: .notFound)
    }

    private func legacy(_ request: SimulatorRequest, id: String, step: String) -> SimulatorResponse {
        let base = request.prefix + "/booking/create/\(id)/"
        let cookieID = request.cookies[SimulatorState.legacyCookie]
        let session = state.session(cookieID)
        let reached = session?.legacySteps[id] ?? 0
        switch (step, request.method) {
        case ("0", .POST):
            guard let cookieID, session != nil else {
                return redirect(to: base + "0", status: .found)
            }
            guard request.form["condition"] == "on" else {
                return page(Pages.legacyConditions(error: true))
            }
            state.update(cookieID) { $0.legacySteps[id] = max($0.legacySteps[id] ?? 0, 1) }
            return redirect(to: base + "1", status: .found)
        case ("0", _):
            var response = page(Pages.legacyConditions(error: false))
            if session == nil {
                let newID = state.newSession()
                response.headers.append(("Set-Cookie", "\(SimulatorState.legacyCookie)=\(newID); Path=/; HttpOnly"))
            }
            return response
        case ("1", _), ("2", _):
            guard let cookieID, session != nil, reached >= Int(step)! else {
                return redirect(to: base + "0", status: .found)
            }
            if step == "1" {
                guard request.method == .POST else { return page(Pages.legacyCounters(error: false)) }
                guard let planning = request.form["planning"], Pages.counters.contains(where: { $0.0 == planning })
                else {
                    return page(Pages.legacyCounters(error: true))
                }
                state.update(cookieID) {
                    $0.legacySteps[id] = max($0.legacySteps[id] ?? 0, 2)
                    $0.legacyPlanning[id] = planning
                }
                return redirect(to: base + "2", status: .found)
            }
            let planning = session?.legacyPlanning[id] ?? Pages.counters[0].0
            if request.method == .POST {
                if request.scenario == .slotAvailable, request.form["nextStepDate"] != nil {
                    return page(Pages.legacyEnd())
                }
                return redirect(to: base + "0", status: .found)
            }
            if request.scenario == .slotAvailable {
                return page(Pages.legacySlots(planning: planning, dates: PageDates(now: now())))
            }
            return page(Pages.legacyNoSlot(planning: planning))
        default:
            return page(Pages.notFound(), status: .notFound)
        }
    }

    private func captcha(_ request: SimulatorRequest, demarche: String, base: String) -> SimulatorResponse {
        var sessionID = request.cookies[SimulatorState.rdvCookie]
        var setCookie: String?
        if state.session(sessionID) == nil {
            let newID = state.newSession()
            sessionID = newID
            setCookie = "\(SimulatorState.rdvCookie)=\(newID); Path=/; HttpOnly"
        }
        let id = sessionID!
        if request.method == .POST {
            let expected = state.session(id)?.captchaCode
            let given = (request.form["captchaUsercode"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
            // Every attempt uses up the code; the next display shows a new one.
            state.update(id) { $0.captchaCode = nil }
            var response: SimulatorResponse
            if let expected, !given.isEmpty, given == expected {
                state.update(id) { $0.solvedDemarches.insert(demarche) }
                response = redirect(to: base + "creneau/", status: .found)
            } else {
                response = redirect(to: base + "cgu/?error=invalidCaptcha", status: .found)
            }
            if let setCookie {
                response.headers.append(("Set-Cookie", setCookie))
            }
            return response
        }
        var code = state.session(id)?.captchaCode ?? ""
        if code.isEmpty {
            code = CaptchaImage.randomCode()
            state.update(id) { $0.captchaCode = code }
        }
        let error = request.queryItems["error"] == "invalidCaptcha"
        var response = page(Pages.rdvCaptcha(demarche: demarche, code: code, error: error))
        if let setCookie {
            response.headers.append(("Set-Cookie", setCookie))
        }
        return response
    }

    private func slots(_ request: SimulatorRequest, demarche: String, base: String) -> SimulatorResponse {
        let session = state.session(request.cookies[SimulatorState.rdvCookie])
        guard let session, session.solvedDemarches.contains(demarche) else {
            return redirect(to: base + "cgu/", status: .found)
        }
        if request.scenario == .slotAvailable {
            if request.method == .POST, request.form["trhId"] != nil {
                return page(Pages.rdvEnd(demarche: demarche))
            }
            return page(Pages.rdvSlots(demarche: demarche, dates: PageDates(now: now())))
        }
        return page(Pages.rdvNoSlot(demarche: demarche, dates: PageDates(now: now())))
    }

    // MARK: Test hook and redirects

    private func captchaHook(_ request: SimulatorRequest) -> SimulatorResponse {
        guard state.configuration.testHooks,
            let code = state.session(request.cookies[SimulatorState.rdvCookie])?.captchaCode
        else {
            return page(Pages.notFound(), status: .notFound)
        }
        return SimulatorResponse(
            status: .ok,
            headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")],
            body: Array(code.utf8)
        )
    }

    private func redirectStep(_ request: SimulatorRequest) -> SimulatorResponse {
        let step = request.path.dropFirst("/_redirect/".count)
        switch step {
        case "a":
            return redirect(to: request.prefix + "/_redirect/b", status: .found)
        case "b":
            return redirect(to: request.prefix + "/_redirect/a", status: .found)
        case "other-host", "return":
            return hostHop(request, step: String(step))
        case "1", "2":
            guard let target = request.queryItems["to"], target.hasPrefix("/"), !target.hasPrefix("//") else {
                return page(Pages.notFound(), status: .notFound)
            }
            if step == "1" {
                return redirect(to: request.prefix + "/_redirect/2?to=" + FormCoding.escape(target), status: .found)
            }
            let separator = target.contains("?") ? "&" : "?"
            return redirect(to: target + separator + Self.redirectMarker, status: .temporaryRedirect)
        default:
            return page(Pages.notFound(), status: .notFound)
        }
    }

    /// A detour through the other loopback name (127.0.0.1 and localhost are different hosts to a
    /// client): `other-host` sets a cookie and sends the client to the other name, `return` sends it
    /// back to `to` on the first. A client that keeps cookies to their host sends it on the way back only.
    private func hostHop(_ request: SimulatorRequest, step: String) -> SimulatorResponse {
        let host = request.headers["host"].first ?? ""
        guard let target = request.queryItems["to"], target.hasPrefix("/"), !target.hasPrefix("//"),
            host.hasPrefix("127.0.0.1:") || host.hasPrefix("localhost:")
        else { return page(Pages.notFound(), status: .notFound) }
        let port = host.split(separator: ":").last.map(String.init) ?? ""
        if step == "other-host" {
            let other = host.hasPrefix("127.0.0.1:") ? "localhost" : "127.0.0.1"
            let back = host.hasPrefix("127.0.0.1:") ? "127.0.0.1" : "localhost"
            var response = redirect(
                to: "http://\(other):\(port)\(request.prefix)/_redirect/return?back=\(back)&to="
                    + FormCoding.escape(target),
                status: .found)
            response.headers.append(("Set-Cookie", "simhop=set-by-\(back); Path=/"))
            return response
        }
        guard let back = request.queryItems["back"], back == "127.0.0.1" || back == "localhost" else {
            return page(Pages.notFound(), status: .notFound)
        }
        return redirect(to: "http://\(back):\(port)\(request.prefix)\(target)", status: .found)
    }

    // MARK: Helpers

    private func page(_ html: String, status: HTTPResponseStatus = .ok) -> SimulatorResponse {
        SimulatorResponse(
            status: status,
            headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
            body: Array(html.utf8)
        )
    }

    private func redirect(to location: String, status: HTTPResponseStatus) -> SimulatorResponse {
        var response = page(Pages.moved(to: location), status: status)
        response.headers.append(("Location", location))
        return response
    }

    private func isNumber(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 9 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
