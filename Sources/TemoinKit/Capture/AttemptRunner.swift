import Foundation

package struct AttemptOptions: Sendable {
    package var transfer = TransferSettings()
    package var maxRedirects = 10
    /// Rules to use instead of the case's profile (`--profile-file`).
    package var ruleSet: RuleSet?
    package var interruption: InterruptionFlag?
    /// A booking address to use instead of the case's, for this attempt only.
    package var bookingURL: String?
    /// Addresses an attempt that reached a public server may not go on to (tests use loopback for both).
    var isPrivateAddress: @Sendable (String) -> Bool = NetworkAddress.isPrivate

    package init() {}
}

/// What one live attempt found, once recorded.
package struct AttemptReport: Sendable {
    package let entry: StoredEntry
    package let outcome: Outcome
    /// The page's own words that carry the outcome.
    package let message: String?
    /// temoin's own description (a network failure, a list of slots): never quoted.
    package let description: String?
    package let visibility: VisibilityRecord?
    package let finalURL: String
    package let failure: NetworkFailure?
    package let exchanges: Int
}

/// Makes one attempt the way the case's profile says, records every exchange, and appends one entry.
///
/// Nothing is written until the attempt is over: an attempt interrupted by the person (Ctrl-C) leaves
/// no entry at all, and a failure of the network or the site is itself recorded as the outcome.
package struct AttemptRunner {
    package let store: Store

    package init(store: Store) {
        self.store = store
    }

    private enum Fetched {
        case page(url: String, status: Int, contentType: String?, decoded: Data)
        case failed(NetworkFailure)
    }

    /// Accumulates what an attempt saw.
    private final class Record {
        var exchanges: [HTTPExchange] = []
        var captures: [PendingCapture] = []
        var clockOffsetMs: Int?

        func capture(_ bytes: Data, role: String, mediaType: String?, name: String) -> String {
            let c = PendingCapture(bytes: bytes, role: role, mediaType: mediaType, name: name)
            captures.append(c)
            return c.ref.digest
        }
    }

    package func run(options: AttemptOptions = AttemptOptions()) throws -> AttemptReport {
        var fields = try store.caseRecord().fields
        if let url = options.bookingURL { fields.bookingURL = url }
        guard !fields.bookingURL.isEmpty else { throw TemoinError.emptyValue(field: "booking_url") }
        try URLCheck.validate(fields.bookingURL)
        // A mistake on this computer (a missing --cacert file) is an error to fix, never an "unreachable"
        // site written into the evidence for good.
        if let ca = options.transfer.caFile { _ = try TSATrust.readCertificates(ca) }
        let ruleSet = try options.ruleSet ?? RuleSet.named(fields.profile, url: fields.bookingURL)
        let steps = ruleSet.steps ?? [ProfileStep(action: .get, url: "{booking_url}")]
        guard let transfer = CurlTransfer(settings: options.transfer, interruption: options.interruption) else {
            throw TemoinError.networkUnavailable(detail: "libcurl could not start")
        }
        let startedAt = store.clock.now()
        let record = Record()
        var walked: [String] = []
        var pageURL = fields.bookingURL
        var document: HTMLDocument?
        /// The last page received, parsed only if a next step has to find something in it.
        var lastPage: (text: String, url: String)?
        var analysis: PageAnalysis?
        var failure: NetworkFailure?
        let analyzer = PageAnalyzer(ruleSet: ruleSet)

        for step in steps {
            if let page = lastPage {
                document = HTMLDocument(text: page.text, url: page.url)
                lastPage = nil
            }
            guard
                let planned = StepPlanner.request(
                    for: step, page: document, pageURL: pageURL, bookingURL: fields.bookingURL)
            else {
                walked.append("\(step.summary): not found on the page")
                break
            }
            walked.append(step.summary)
            switch try fetch(planned, transfer: transfer, record: record, options: options) {
            case .failed(let f):
                failure = f
            case .page(let url, let status, let contentType, let decoded):
                pageURL = url
                let result = analyzer.analyze(decoded, contentType: contentType, status: status, url: url)
                analysis = result
                lastPage = (Charset.decode(decoded, as: result.charset), url)
                _ = record.capture(decoded, role: "page", mediaType: contentType, name: "page")
            }
            if failure != nil { break }
            // A decided outcome ends the walk; pages the rules call "unexpected" lead to the next step.
            if let a = analysis, a.outcome != .unexpected { break }
        }

        let outcome: Outcome
        let message: String?
        let description: String?
        if let failure {
            outcome = ["too_many_redirects", "private_address"].contains(failure.kind) ? .siteError : .unreachable
            message = nil
            description = tr("attempt.failure.\(failure.kind)", ["detail": failure.message])
        } else {
            outcome = analysis?.outcome ?? .unexpected
            message = analysis?.message
            description = analysis?.description
        }
        let visibility = failure == nil ? analysis?.visibility : nil
        // Only the last page analysed is the "page" of the entry; earlier ones stay as responses.
        var captures = record.captures
        if let lastPage = captures.lastIndex(where: { $0.ref.role == "page" }) {
            captures = captures.enumerated().compactMap { i, c in c.ref.role == "page" && i != lastPage ? nil : c }
        }
        let environment = EnvironmentFacts(
            tool: "\(Temoin.name) \(Temoin.version)", os: EnvironmentProbe.operatingSystem,
            userAgent: options.transfer.userAgent, proxy: EnvironmentProbe.proxy(for: fields.bookingURL),
            freshSession: true, clockOffsetMs: record.clockOffsetMs)
        if options.interruption?.isRaised == true { throw TemoinError.interrupted }
        let entry = try store.append(type: .attempt, captures: captures) { body in
            body.provenance = .captured
            body.observedAt = TimeFormat.utc(startedAt)
            body.timeBasis = .witnessed
            body.url = pageURL
            body.outcome = outcome
            body.rule = failure == nil ? analysis?.rule : nil
            body.message = message
            body.description = description
            body.visibility = visibility
            body.setAside = failure == nil && analysis?.setAside.isEmpty == false ? analysis?.setAside : nil
            body.title = failure == nil ? analysis?.title : nil
            body.profile = ruleSet.id
            body.facts = analysis.flatMap { $0.facts.isEmpty ? nil : $0.facts }
            body.exchanges = record.exchanges
            body.environment = environment
            body.steps = walked
        }
        store.checkpoint()  // `watch` keeps the store open between attempts (Store.checkpoint)
        return AttemptReport(
            entry: entry, outcome: outcome, message: message, description: description, visibility: visibility,
            finalURL: pageURL, failure: failure, exchanges: record.exchanges.count)
    }

    /// One request and its redirects, each recorded as an exchange.
    private func fetch(_ first: PlannedRequest, transfer: CurlTransfer, record: Record, options: AttemptOptions) throws
        -> Fetched
    {
        var request = first
        var hops = 0
        while true {
            let started = store.clock.now()
            let result = transfer.perform(
                TransferRequest(
                    method: request.method, url: request.url,
                    headers: [
                        "Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "Accept-Language: fr-FR,fr;q=0.9",
                        "Accept-Encoding: gzip, deflate",
                    ],
                    body: request.body, contentType: request.contentType))
            if result.interrupted { throw TemoinError.interrupted }
            if let local = Self.localFailure(
                result, request: request, first: record.exchanges.isEmpty, options: options)
            {
                throw local
            }
            let index = record.exchanges.count + 1
            var exchange = HTTPExchange(
                startedAt: TimeFormat.utc(started), method: request.method, url: request.url,
                requestHeaders: Self.redacted(result.requestHeaderLines.dropFirst().compactMap(Self.split)))
            if let body = request.body {
                exchange.requestBody = record.capture(
                    body, role: "request_body", mediaType: request.contentType, name: "request-\(index)")
            }
            exchange.status = result.status
            exchange.remoteIP = result.remoteIP
            exchange.remotePort = result.remotePort
            exchange.httpVersion = result.httpVersion
            exchange.tls = result.tls
            exchange.timings = result.timings
            let headers = result.headers.map { HeaderField(name: $0.0, value: $0.1) }
            if result.status != nil {
                exchange.responseHeaders = Self.redacted(headers)
                let contentType = Self.header("Content-Type", in: headers)
                exchange.responseBody = record.capture(
                    result.body, role: "response", mediaType: contentType, name: "response-\(index)")
                if result.truncated { exchange.bodyTruncated = true }
                if let date = Self.header("Date", in: headers) {
                    exchange.serverDate = date
                    if let server = Self.httpDate(date) {
                        let local = started.addingTimeInterval(Double(result.timings?.firstByteMs ?? 0) / 1000)
                        exchange.clockOffsetMs = Int((server.timeIntervalSince(local) * 1000).rounded())
                        record.clockOffsetMs = exchange.clockOffsetMs
                    }
                }
            }
            if let address = result.refusedAddress {
                exchange.remoteIP = address
                exchange.failure = NetworkFailure(
                    kind: "private_address",
                    message: "not sent: \(address) is a private address, reached after a public one",
                    curlCode: result.curlCode)
            } else if let message = result.errorMessage {
                exchange.failure = NetworkFailure(
                    kind: Self.failureKind(result.curlCode), message: message, curlCode: result.curlCode)
            } else if let ip = result.remoteIP, !options.isPrivateAddress(ip) {
                // From now on this attempt stays on the public internet.
                transfer.refusePrivateAddresses = options.isPrivateAddress
            }
            let status = result.status ?? 0
            let location = (300...399).contains(status) ? result.redirectURL : nil
            exchange.redirectTo = location
            record.exchanges.append(exchange)

            // A transfer cut short (timeout, reset) is a failure even when part of the body came: the
            // page was never whole. Stopping at our own size cap is not a failure (flagged instead).
            if let failure = exchange.failure { return .failed(failure) }
            if let location {
                hops += 1
                if hops > options.maxRedirects {
                    return .failed(
                        NetworkFailure(
                            kind: "too_many_redirects", message: "more than \(options.maxRedirects) redirects",
                            curlCode: nil))
                }
                let keepsMethod = status == 307 || status == 308
                request = PlannedRequest(
                    method: keepsMethod ? request.method : "GET", url: location, body: keepsMethod ? request.body : nil,
                    contentType: keepsMethod ? request.contentType : nil)
                continue
            }
            let contentType = Self.header("Content-Type", in: headers)
            var decoded = result.body
            if let encoding = Self.header("Content-Encoding", in: headers)?.lowercased(),
                encoding.contains("gzip") || encoding.contains("deflate"),
                let plain = CaptureCodec.contentDecode(
                    result.body, encoding: encoding, limit: options.transfer.maxBodyBytes)
            {
                decoded = plain
            }
            return .page(url: request.url, status: status, contentType: contentType, decoded: decoded)
        }
    }

    static func split(_ line: String) -> HeaderField? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        return HeaderField(
            name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    static func header(_ name: String, in headers: [HeaderField]) -> String? {
        headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Cookies and credentials are replaced by the SHA-256 of their value: the entry proves what was sent
    /// without holding a session someone could replay.
    static func redacted(_ headers: [HeaderField]) -> [HeaderField] {
        headers.map { h in
            switch h.name.lowercased() {
            case "cookie", "authorization", "proxy-authorization":
                return HeaderField(name: h.name, value: "sha256:" + sha256Hex(Data(h.value.utf8)))
            case "set-cookie":
                // Keep the cookie's name and attributes; hide its value.
                let parts = h.value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
                let pair = parts.first.map(String.init) ?? ""
                guard let eq = pair.firstIndex(of: "=") else { return h }
                let value = String(pair[pair.index(after: eq)...])
                let rest = parts.count > 1 ? ";" + parts[1] : ""
                return HeaderField(name: h.name, value: "\(pair[..<eq])=sha256:\(sha256Hex(Data(value.utf8)))\(rest)")
            default:
                return h
            }
        }
    }

    /// libcurl's failures that happen on this computer, not on the way to the site: errors to fix (exit
    /// 4, 5 or 64), never recorded as the site's answer. A malformed address counts only when the person
    /// gave it (the first request); one in a redirect is the site's doing and is recorded.
    static func localFailure(_ result: TransferResult, request: PlannedRequest, first: Bool, options: AttemptOptions)
        -> TemoinError?
    {
        let detail = result.errorMessage ?? "libcurl error \(result.curlCode)"
        switch result.curlCode {
        case 77: return .fileUnreadable(path: options.transfer.caFile ?? "--cacert", detail: detail)  // CA file
        case 3 where first: return .invalidURL(value: request.url)
        // init, not built in, out of memory, bad option or argument, TLS engine, local certificate, cipher
        case 2, 4, 27, 41, 43, 48, 53, 54, 58, 59, 66: return .networkUnavailable(detail: detail)
        default: return nil
        }
    }

    static func failureKind(_ curlCode: Int) -> String {
        switch curlCode {
        case 5, 6: return "dns"
        case 7: return "refused"
        case 28: return "timeout"
        case 35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98: return "tls"
        case 52, 55, 56: return "reset"
        case 47: return "too_many_redirects"
        default: return "other"
        }
    }

    /// An HTTP `Date` header (RFC 9110 IMF-fixdate).
    static func httpDate(_ text: String) -> Date? { TimeFormat.httpDate(text) }
}
