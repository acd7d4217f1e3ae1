import Foundation
import X509

/// The DevTools events of the witnessed tab: requests, responses, bodies, dialogs and navigation.
extension BrowserWitness {
    // MARK: Events

    func handle(_ event: DevToolsEvent) throws {
        let p = event.params
        // The person closed the tab or the window: there is no page left to record.
        if (event.method == "Target.detachedFromTarget" && p["sessionId"]?.string == session)
            || (event.method == "Target.targetDestroyed" && p["targetId"]?.string == targetID)
        {
            throw TemoinError.browserClosed
        }
        guard event.sessionID == session else { return }
        switch event.method {
        case "Network.requestWillBeSent": requestWillBeSent(p)
        case "Network.requestWillBeSentExtraInfo":
            guard let id = p["requestId"]?.string else { return }
            if let pending = current[id], !pending.responded {
                pending.exchange.requestHeaders = Self.redactedHeaders(p["headers"])
            } else {
                extraRequestHeaders[id] = p["headers"]
            }
        case "Network.responseReceived":
            guard let id = p["requestId"]?.string, let pending = current[id], let response = p["response"] else {
                return
            }
            apply(response, to: pending)
        case "Network.responseReceivedExtraInfo":
            guard let id = p["requestId"]?.string else { return }
            if let pending = current[id], pending.responded, pending.exchange.status == p["statusCode"]?.int {
                applyRawHeaders(p, to: pending)
            } else {
                extraResponses[id] = p
            }
        case "Network.loadingFinished":
            guard let id = p["requestId"]?.string, let pending = current[id] else { return }
            finish(pending, timestamp: p["timestamp"]?.double)
        case "Network.loadingFailed":
            guard let id = p["requestId"]?.string, let pending = current[id] else { return }
            let text = p["errorText"]?.string ?? "failed"
            let canceled = p["canceled"]?.bool == true
            pending.exchange.failure = NetworkFailure(
                kind: canceled ? "other" : Self.failureKind(text), message: canceled ? "\(text) (canceled)" : text,
                curlCode: nil)
            pending.done = true
            if pending.isMainDocument, !canceled {
                mainFailure = pending.exchange.failure
                ended = "outcome"
            }
        case "Page.frameNavigated":
            if let frame = p["frame"], frame["parentId"] == nil, let url = frame["url"]?.string { currentURL = url }
        case "Page.loadEventFired":
            try analyseCurrentPage()
        case "Page.navigatedWithinDocument":
            if p["frameId"]?.string == mainFrame {
                currentURL = p["url"]?.string ?? currentURL
                try analyseCurrentPage()
            }
        default:
            break
        }
    }

    private func analyseCurrentPage() throws {
        guard let (url, html) = try? dom() else { return }
        currentURL = url
        // Chromium's own error page (site unreachable) is not the site's answer: loadingFailed decides.
        if url.hasPrefix("chrome-error:") { return }
        let analysis = analyseShown(html: html, url: url, status: mainStatus)
        options.pageSeen?(analysis.outcome, url)
        if WitnessedAttemptRunner.finalOutcomes.contains(analysis.outcome) { ended = "outcome" }
    }

    func requestWillBeSent(_ p: JSONValue) {
        guard let id = p["requestId"]?.string, let request = p["request"] else { return }
        if let redirect = p["redirectResponse"], let previous = current[id] {
            apply(redirect, to: previous)
            previous.exchange.redirectTo = request["url"]?.string
            finish(previous, timestamp: p["timestamp"]?.double, fetchBody: false)
        }
        let type = p["type"]?.string ?? ""
        let isMain = type == "Document" && p["frameId"]?.string == mainFrame
        guard isMain || type == "XHR" || type == "Fetch" else { return }
        let wall = p["wallTime"]?.double.map { Date(timeIntervalSince1970: $0) } ?? Date()
        var exchange = HTTPExchange(
            startedAt: TimeFormat.utc(wall), method: request["method"]?.string ?? "GET",
            url: (request["url"]?.string ?? "") + (request["urlFragment"]?.string ?? ""),
            requestHeaders: Self.redactedHeaders(extraRequestHeaders.removeValue(forKey: id) ?? request["headers"]))
        exchange.resourceType = type.lowercased()
        if let body = Self.postData(request) {
            let c = PendingCapture(
                bytes: body, role: "request_body",
                mediaType: Self.header("Content-Type", in: exchange.requestHeaders),
                name: "request-\(pendings.count + 1)")
            captures.append(c)
            exchange.requestBody = c.ref.digest
        }
        let pending = Pending(
            exchange: exchange, requestID: id, startMonotonic: p["timestamp"]?.double ?? 0, isMainDocument: isMain)
        pendings.append(pending)
        current[id] = pending
    }

    private func apply(_ response: JSONValue, to pending: Pending) {
        pending.responded = true
        var e = pending.exchange
        e.status = response["status"]?.int
        e.responseHeaders = Self.redactedHeaders(response["headers"])
        e.remoteIP = response["remoteIPAddress"]?.string.map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        }
        e.remotePort = response["remotePort"]?.int
        e.httpVersion = Self.httpVersion(response["protocol"]?.string)
        pending.mimeType = response["mimeType"]?.string
        if let timing = response["timing"] {
            func ms(_ key: String) -> Int? { timing[key]?.double.flatMap { $0 < 0 ? nil : Int($0.rounded()) } }
            let firstByte = ms("receiveHeadersStart") ?? ms("receiveHeadersEnd")
            e.timings = Timings(
                dnsMs: ms("dnsEnd"), connectMs: ms("connectEnd"), tlsMs: ms("sslEnd"), firstByteMs: firstByte,
                totalMs: ms("receiveHeadersEnd") ?? 0)
        }
        if let details = response["securityDetails"] {
            e.tls = tlsFacts(details, securityState: response["securityState"]?.string, url: e.url)
        }
        pending.exchange = e
        if let extra = extraResponses.removeValue(forKey: pending.requestID),
            extra["statusCode"]?.int == e.status
        {
            applyRawHeaders(extra, to: pending)
        }
        if let date = Self.header("Date", in: pending.exchange.responseHeaders ?? []) {
            pending.exchange.serverDate = date
            if let server = AttemptRunner.httpDate(date), let started = TimeFormat.parseUTC(e.startedAt) {
                let local = started.addingTimeInterval(Double(e.timings?.firstByteMs ?? 0) / 1000)
                pending.exchange.clockOffsetMs = Int((server.timeIntervalSince(local) * 1000).rounded())
            }
        }
        if pending.isMainDocument { mainStatus = e.status }
    }

    /// Raw header lines, in the order the server sent them, when the browser has them (HTTP/1.x).
    private func applyRawHeaders(_ extra: JSONValue, to pending: Pending) {
        if let text = extra["headersText"]?.string {
            let lines = text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            let fields = lines.compactMap(AttemptRunner.split)
            if !fields.isEmpty {
                pending.exchange.responseHeaders = AttemptRunner.redacted(fields)
                return
            }
        }
        if extra["headers"] != nil { pending.exchange.responseHeaders = Self.redactedHeaders(extra["headers"]) }
    }

    func finish(_ pending: Pending, timestamp: Double?, fetchBody: Bool = true) {
        guard !pending.done else { return }
        pending.done = true
        if let timestamp, pending.startMonotonic > 0 {
            let total = Int(((timestamp - pending.startMonotonic) * 1000).rounded())
            if var timings = pending.exchange.timings {
                timings.totalMs = max(total, timings.totalMs)
                pending.exchange.timings = timings
            }
        }
        guard fetchBody, pending.responded else { return }
        guard
            var body = heldBodies.take(pending.requestID)
                ?? (try? send("Network.getResponseBody", ["requestId": .string(pending.requestID)], timeout: 60))
                .flatMap(Self.body)
        else { return }
        if body.count > options.maxBodyBytes {
            body = body.prefix(options.maxBodyBytes)
            pending.exchange.bodyTruncated = true
        }
        let c = PendingCapture(
            bytes: body, role: "response", mediaType: pending.mimeType,
            name: "response-\((pendings.firstIndex { $0 === pending } ?? 0) + 1)")
        captures.append(c)
        pending.exchange.responseBody = c.ref.digest
    }
}
