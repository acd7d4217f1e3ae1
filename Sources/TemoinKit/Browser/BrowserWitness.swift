import Foundation
import X509

/// Watches one tab through the DevTools Protocol while a person uses it, and gathers the evidence.
///
/// Only the main frame's documents and XHR/fetch responses are kept (images, styles and scripts are
/// the page's furniture, not its answer). Each redirect is an exchange of its own, as for captured
/// attempts. The page is analysed with the profile's rules after every load; a final outcome (no slot,
/// slot, site error) or the person's Enter ends the watch.
final class BrowserWitness {
    let connection: DevToolsConnection
    let analyzer: PageAnalyzer
    let options: BrowserAttemptOptions

    var session = ""
    var targetID = ""
    var mainFrame = ""
    var currentURL = ""
    private var product = ""
    private var userAgent = ""
    var ended: String?
    /// Set once the tab is attached and sent to the booking address: a failure before is the browser's.
    private(set) var started = false

    /// One request of interest, from `requestWillBeSent` to `loadingFinished` (or the next redirect).
    final class Pending {
        var exchange: HTTPExchange
        let requestID: String
        let startMonotonic: Double
        let isMainDocument: Bool
        var mimeType: String?
        var responded = false
        var done = false

        init(exchange: HTTPExchange, requestID: String, startMonotonic: Double, isMainDocument: Bool) {
            self.exchange = exchange
            self.requestID = requestID
            self.startMonotonic = startMonotonic
            self.isMainDocument = isMainDocument
        }
    }

    var pendings: [Pending] = []
    var current: [String: Pending] = [:]
    var extraRequestHeaders: [String: JSONValue] = [:]
    var extraResponses: [String: JSONValue] = [:]
    var captures: [PendingCapture] = []
    /// Bodies taken while their response was held (`Fetch.requestPaused`), by network request id.
    let heldBodies = HeldBodies()
    private var certificateChains: [String: [Data]] = [:]
    var mainFailure: NetworkFailure?
    var mainStatus: Int?

    init(connection: DevToolsConnection, analyzer: PageAnalyzer, options: BrowserAttemptOptions) {
        self.connection = connection
        self.analyzer = analyzer
        self.options = options
    }

    func send(_ method: String, _ params: [String: JSONValue] = [:], timeout: TimeInterval = 30) throws
        -> JSONValue
    {
        try connection.send(method, params, session: session, timeout: timeout)
    }

    func watch(url: String) throws -> WitnessedPages {
        let version = try connection.send("Browser.getVersion")
        product = version["product"]?.string ?? "unknown browser"
        userAgent = version["userAgent"]?.string ?? ""
        let target = try pageTarget()
        targetID = target
        session =
            try connection.send("Target.attachToTarget", ["targetId": .string(target), "flatten": .bool(true)])[
                "sessionId"]?.string ?? ""
        try send(
            "Network.enable",
            [
                "maxTotalBufferSize": .number(Double(max(options.maxBodyBytes * 4, 64_000_000))),
                "maxResourceBufferSize": .number(Double(options.maxBodyBytes)),
            ])
        // Each page, XHR and fetch response is held at the response stage until its body is taken: a
        // person who clicks on before a page finished loading must not make the browser drop its body.
        let (held, connection, session) = (heldBodies, self.connection, self.session)
        connection.intercept { event in
            let p = event.params
            guard event.sessionID == session, let fetchID = p["requestId"]?.string else { return }
            if let networkID = p["networkId"]?.string, let status = p["responseStatusCode"]?.int,
                !(300...399).contains(status), p["responseErrorReason"] == nil,
                let r = try? connection.send(
                    "Fetch.getResponseBody", ["requestId": .string(fetchID)], session: session, timeout: 60),
                let body = BrowserWitness.body(r)
            {
                held.put(body, for: networkID)
            }
            _ = try? connection.send("Fetch.continueRequest", ["requestId": .string(fetchID)], session: session)
        }
        try send(
            "Fetch.enable",
            [
                "patterns": .array(
                    ["Document", "XHR", "Fetch"].map {
                        .object([
                            "urlPattern": .string("*"), "resourceType": .string($0),
                            "requestStage": .string("Response"),
                        ])
                    })
            ])
        try send("Page.enable")
        mainFrame = try send("Page.getFrameTree")["frameTree"]?["frame"]?["id"]?.string ?? ""
        let openedAt = TimeFormat.utc(Date())
        currentURL = url
        // Not awaited: the navigation commits only once this loop releases the held response.
        try connection.post("Page.navigate", ["url": .string(url)], session: session)
        started = true
        if let person = options.personForTests {
            let tab = BrowserTab(connection: connection, session: session)
            Thread { person(tab) }.start()
        }

        while ended == nil {
            if options.interruption?.isRaised == true { throw TemoinError.interrupted }
            if options.recordNow?.isRaised == true {
                ended = "person"
                break
            }
            guard let event = connection.nextEvent(timeout: 0.2) else {
                if connection.isClosed { throw TemoinError.browserClosed }
                continue
            }
            try handle(event)
        }
        // Responses already on their way (a last XHR, a body still loading) belong to the attempt.
        let drainUntil = Date().addingTimeInterval(3)
        while Date() < drainUntil, let event = connection.nextEvent(timeout: 0.3) { try handle(event) }
        for p in pendings where p.responded && !p.done { finish(p, timestamp: nil) }
        if options.interruption?.isRaised == true { throw TemoinError.interrupted }

        let observedAt = TimeFormat.utc(Date())
        let (finalURL, html) = try dom()
        let analysis = analyseShown(html: html, url: finalURL, status: mainStatus)
        let (png, width, height) = try screenshot()
        let history = try send("Page.getNavigationHistory")
        // The blank tab temoin opened the booking address from is not part of the person's path.
        let entries = history["entries"]?.array ?? []
        let blank = entries.prefix { $0["url"]?.string == "about:blank" }.count
        let navigation = entries.dropFirst(blank).map {
            NavigationStep(
                url: $0["url"]?.string ?? "", title: $0["title"]?.string.flatMap { $0.isEmpty ? nil : $0 },
                transition: $0["transitionType"]?.string)
        }
        var all = captures
        all.append(
            PendingCapture(
                bytes: Data(html.utf8), role: "page", mediaType: "text/html; charset=utf-8", name: "dom.html"))
        all.append(
            PendingCapture(bytes: png, role: CaptureRef.screenshotRole, mediaType: "image/png", name: "screenshot.png"))
        let lastMain = pendings.last { $0.isMainDocument }
        let facts = BrowserFacts(
            product: product, executable: "", freshProfile: true, headless: options.headless ? true : nil,
            openedAt: openedAt, endedBy: ended ?? "person", navigation: navigation,
            navigationIndex: history["currentIndex"]?.int.map { $0 - blank }, screenshotWidth: width,
            screenshotHeight: height)
        return WitnessedPages(
            exchanges: pendings.map(\.exchange), captures: all, analysis: analysis,
            failure: lastMain?.exchange.failure == nil ? nil : mainFailure, finalURL: finalURL,
            observedAt: observedAt, userAgent: userAgent, facts: facts)
    }

    /// The tab the browser opened (it may take a moment to appear).
    private func pageTarget() throws -> String {
        try connection.send("Target.setDiscoverTargets", ["discover": .bool(true)])
        for _ in 0..<100 {
            let targets = try connection.send("Target.getTargets")["targetInfos"]?.array ?? []
            if let page = targets.first(where: { $0["type"]?.string == "page" }), let id = page["targetId"]?.string {
                return id
            }
            usleep(100_000)
        }
        throw TemoinError.browserFailed(detail: "no tab opened")
    }

    // MARK: Page state

    /// The tab's address and its DOM as serialised now (doctype included).
    func dom() throws -> (String, String) {
        let r = try send(
            "Runtime.evaluate",
            [
                "expression": .string(
                    """
                    ({url: location.href, html: (document.doctype ? new XMLSerializer().serializeToString(document.doctype) + "\\n" : "") + (document.documentElement ? document.documentElement.outerHTML : "")})
                    """),
                "returnByValue": .bool(true),
            ])
        let value = r["result"]?["value"]
        return (value?["url"]?.string ?? currentURL, value?["html"]?.string ?? "")
    }

    /// A PNG of the whole page, beyond the window (at most 4096 x 16384 CSS pixels).
    private func screenshot() throws -> (Data, Int, Int) {
        let metrics = try send("Page.getLayoutMetrics")
        let size = metrics["cssContentSize"] ?? metrics["contentSize"]
        let width = min(max(Int((size?["width"]?.double ?? 1280).rounded(.up)), 1), 4096)
        let height = min(max(Int((size?["height"]?.double ?? 1024).rounded(.up)), 1), 16384)
        let r = try send(
            "Page.captureScreenshot",
            [
                "format": .string("png"), "captureBeyondViewport": .bool(true),
                "clip": .object([
                    "x": .number(0), "y": .number(0), "width": .number(Double(width)),
                    "height": .number(Double(height)), "scale": .number(1),
                ]),
            ], timeout: 120)
        guard let data = r["data"]?.string.flatMap({ Data(base64Encoded: $0) }) else {
            throw TemoinError.browserFailed(detail: "no screenshot")
        }
        return (data, width, height)
    }

    // MARK: TLS

    func tlsFacts(_ d: JSONValue, securityState: String?, url: String) -> TLSFacts {
        let version = d["protocol"]?.string.map { $0.hasPrefix("TLS ") ? "TLSv" + $0.dropFirst(4) : $0 }
        var certificates: [CertificateFacts] = []
        let chain = certificateChain(for: url)
        for (i, der) in chain.enumerated() {
            guard let c = try? Certificate(derEncoded: Array(der)) else { continue }
            certificates.append(
                CertificateFacts(
                    subject: c.subject.description, issuer: c.issuer.description,
                    notBefore: TimeFormat.utc(c.notValidBefore), notAfter: TimeFormat.utc(c.notValidAfter),
                    sha256: sha256Hex(der),
                    san: i == 0 ? d["sanList"]?.array?.compactMap(\.string) : nil))
        }
        if certificates.isEmpty {
            certificates.append(
                CertificateFacts(
                    subject: d["subjectName"]?.string ?? "", issuer: d["issuer"]?.string ?? "",
                    notBefore: d["validFrom"]?.double.map { TimeFormat.utc(Date(timeIntervalSince1970: $0)) },
                    notAfter: d["validTo"]?.double.map { TimeFormat.utc(Date(timeIntervalSince1970: $0)) },
                    sha256: nil, san: d["sanList"]?.array?.compactMap(\.string)))
        }
        let scts = (d["signedCertificateTimestampList"]?.array ?? []).map { s in
            SignedCertificateTimestampFacts(
                status: s["status"]?.string ?? "", origin: s["origin"]?.string ?? "",
                log: s["logDescription"]?.string ?? "", logID: s["logId"]?.string ?? "",
                timestamp: s["timestamp"]?.double.map { TimeFormat.utc(Date(timeIntervalSince1970: $0 / 1000)) } ?? "")
        }
        return TLSFacts(
            version: version, cipher: d["cipher"]?.string, verified: securityState == "secure",
            certificates: certificates,
            certificateTransparency: d["certificateTransparencyCompliance"]?.string, scts: scts)
    }

    /// The server's certificate chain (DER, leaf first), asked once per origin.
    private func certificateChain(for url: String) -> [Data] {
        guard let u = URL(string: url), let scheme = u.scheme, let host = u.host else { return [] }
        let origin = "\(scheme)://\(host)" + (u.port.map { ":\($0)" } ?? "")
        if let known = certificateChains[origin] { return known }
        let names = (try? send("Network.getCertificate", ["origin": .string(origin)]))?["tableNames"]?.array ?? []
        let chain = names.compactMap { $0.string.flatMap { Data(base64Encoded: $0) } }
        certificateChains[origin] = chain
        return chain
    }

    // MARK: Helpers

    static func headerFields(_ value: JSONValue?) -> [HeaderField] {
        guard let object = value?.object else { return [] }
        return object.keys.sorted().flatMap { name in
            (object[name]?.string ?? "").components(separatedBy: "\n").map { HeaderField(name: name, value: $0) }
        }
    }

    static func redactedHeaders(_ value: JSONValue?) -> [HeaderField] {
        AttemptRunner.redacted(headerFields(value))
    }

    static func header(_ name: String, in headers: [HeaderField]) -> String? {
        AttemptRunner.header(name, in: headers)
    }

    /// A body as `getResponseBody` gives it: text, or base64 for binary content.
    static func body(_ reply: JSONValue) -> Data? {
        guard let text = reply["body"]?.string else { return nil }
        return reply["base64Encoded"]?.bool == true ? Data(base64Encoded: text) : Data(text.utf8)
    }

    static func postData(_ request: JSONValue) -> Data? {
        if let entries = request["postDataEntries"]?.array, !entries.isEmpty {
            var data = Data()
            for e in entries { data.append(e["bytes"]?.string.flatMap { Data(base64Encoded: $0) } ?? Data()) }
            return data
        }
        return request["postData"]?.string.map { Data($0.utf8) }
    }

    static func httpVersion(_ proto: String?) -> String? {
        switch proto?.lowercased() {
        case "http/1.0": return "HTTP/1.0"
        case "http/1.1": return "HTTP/1.1"
        case "h2", "h2c": return "HTTP/2"
        case "h3", "quic": return "HTTP/3"
        default: return proto
        }
    }

    /// Chromium's `net::ERR_…` names, in the kinds captured attempts use.
    static func failureKind(_ error: String) -> String {
        switch error {
        case "net::ERR_NAME_NOT_RESOLVED", "net::ERR_NAME_RESOLUTION_FAILED": return "dns"
        case "net::ERR_CONNECTION_REFUSED": return "refused"
        case "net::ERR_TIMED_OUT", "net::ERR_CONNECTION_TIMED_OUT": return "timeout"
        case "net::ERR_CONNECTION_RESET", "net::ERR_CONNECTION_CLOSED", "net::ERR_EMPTY_RESPONSE": return "reset"
        case "net::ERR_TOO_MANY_REDIRECTS": return "too_many_redirects"
        default:
            return error.hasPrefix("net::ERR_CERT_") || error.hasPrefix("net::ERR_SSL_") ? "tls" : "other"
        }
    }
}

/// Bodies of held responses, written by the intercepting queue and read by the event loop.
final class HeldBodies: @unchecked Sendable {
    private let lock = NSLock()
    var bodies: [String: Data] = [:]

    func put(_ body: Data, for requestID: String) { lock.withLock { bodies[requestID] = body } }
    func take(_ requestID: String) -> Data? { lock.withLock { bodies.removeValue(forKey: requestID) } }
}
