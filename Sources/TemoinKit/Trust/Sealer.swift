import Foundation

/// Takes RFC 3161 seals over a store's head: one request per TSA, each answer checked before it is kept.
///
/// Invariant: a response is stored only if it is granted, its imprint is the head's hash and its nonce
/// is the one sent, and its signature verifies with the TSA certificate it carries (valid at genTime,
/// `timeStamping` usage). Whether that TSA is *trusted* is the verifier's business and is reported, not
/// required: trust anchors belong to whoever checks. A failure stores nothing and never touches the chain.
package struct Sealer: Sendable {
    package let store: Store
    package var transfer = TransferSettings()
    /// Raised by Ctrl-C: a seal in flight stops (and stores nothing).
    package var interruption: InterruptionFlag?
    /// Where TSA credentials are looked up (TSACredentials); the process's environment by default.
    package var environment = ProcessInfo.processInfo.environment

    package init(store: Store) {
        self.store = store
        transfer.timeout = 30
        transfer.maxBodyBytes = 1 << 20
    }

    package struct Outcome: Sendable {
        /// The TSA's URL, without credentials.
        package var url: String
        /// The stored seal; nil when the seal failed (see `error`).
        package var seal: SealSummary?
        package var error: TrustError?
    }

    /// The TSAs to use: those given, else those configured for the store.
    package func urls(given: [String]) throws -> [String] {
        let urls = given.isEmpty ? try store.tsaRows().map(\.url) : given
        if urls.isEmpty { throw TemoinError.trust(.noTSA) }
        return urls
    }

    /// Seals the current head (or `head`, read earlier) with each TSA. Never throws for a TSA's
    /// failure: each outcome says.
    package func seal(
        urls: [String], trust: TSATrust = TSATrust(), head given: ChainHead? = nil,
        now: @Sendable () -> Date = { Date() }
    ) throws -> [Outcome] {
        // `init` always writes entry 1, so only a damaged store has no head.
        guard let head = try given ?? store.head() else {
            throw TemoinError.notAStore(path: store.path, detail: tr("detail.no_store_id"))
        }
        let settings = try settingsWithCredentials()
        return urls.map { given in
            // Credentials typed in a URL (or kept by an older store) serve this request only: the URL
            // is stored and shown without them.
            let url = TSACredentials.withoutUserinfo(given)
            var request = settings
            if request.credentials == nil { request.credentials = TSACredentials.userinfo(in: given) }
            do {
                let seal = try sealOne(url: url, head: head, trust: trust, requestedAt: now(), settings: request)
                return Outcome(url: url, seal: seal, error: nil)
            } catch let TemoinError.trust(error) {
                return Outcome(url: url, seal: nil, error: error)
            } catch {
                return Outcome(url: url, seal: nil, error: .sealFailed(url: url, reason: "\(error)"))
            }
        }
    }

    /// `transfer`, its CA file checked, with the TSA credentials of the environment or the credentials
    /// file (TSACredentials) when none were given.
    func settingsWithCredentials() throws -> TransferSettings {
        var settings = transfer
        if let ca = settings.caFile { _ = try TSATrust.readCertificates(ca) }  // a local mistake: exit 4, not 6
        if settings.credentials == nil { settings.credentials = TSACredentials.fromEnvironment(environment) }
        if settings.netrcFile == nil { settings.netrcFile = try TSACredentials.netrcFile(environment: environment) }
        return settings
    }

    func sealOne(url: String, head: ChainHead, trust: TSATrust, requestedAt: Date, settings: TransferSettings) throws
        -> SealSummary
    {
        guard (try? URLCheck.validate(url)) != nil else {
            throw TemoinError.trust(.sealFailed(url: url, reason: TemoinError.invalidURL(value: url).description))
        }
        guard let imprint = Hex.bytes(head.hash), imprint.count == 32 else {
            throw TemoinError.trust(.sealFailed(url: url, reason: "head is not a SHA-256"))
        }
        let (response, nonce, check) = try timeStamp(url: url, imprint: imprint, trust: trust, settings: settings)
        let id = try store.insertSeal(
            SealRow(
                id: nil, seq: head.seq, head: head.hash, tsaURL: url, nonce: String(nonce),
                requestedAt: TimeFormat.utc(requestedAt), response: response))
        return SealSummary(
            id: id, seq: head.seq, head: head.hash, tsaURL: url, tsaName: check.tsaName, genTime: check.genTime,
            requestedAt: TimeFormat.utc(requestedAt),
            clockOffsetMs: SealSummary.offset(gen: check.genTime, requested: TimeFormat.utc(requestedAt)),
            signatureValid: true, trusted: check.trusted,
            state: check.trusted ? .trusted : .validUntrusted, detail: check.trustDetail)
    }

    /// One RFC 3161 exchange with `url` over `imprint`, the answer checked (see the invariant), nothing
    /// stored: what a seal stores, and what `temoin doctor` asks to see whether a TSA answers.
    func timeStamp(url: String, imprint: [UInt8], trust: TSATrust, settings: TransferSettings? = nil) throws
        -> (Data, Int64, TokenCheck)
    {
        let settings = try settings ?? settingsWithCredentials()
        let nonce = Int64.random(in: 1...Int64.max)
        let request = TimeStampRequest(imprint: imprint, nonce: nonce)
        guard let curl = CurlTransfer(settings: settings, interruption: interruption) else {
            throw TemoinError.trust(.sealFailed(url: url, reason: "libcurl could not start"))
        }
        let result = curl.perform(
            TransferRequest(
                method: "POST", url: url, headers: ["Accept: application/timestamp-reply"],
                body: Data(try request.derBytes()), contentType: "application/timestamp-query"))
        guard let status = result.status else {
            throw TemoinError.trust(
                .sealFailed(url: url, reason: tr("trust.seal.unreachable", ["detail": result.errorMessage ?? ""])))
        }
        if status == 401 || status == 407 {
            throw TemoinError.trust(.sealFailed(url: url, reason: tr("trust.seal.needs_credentials")))
        }
        guard status == 200 else {
            throw TemoinError.trust(
                .sealFailed(url: url, reason: tr("trust.seal.http_status", ["status": String(status)])))
        }
        guard !result.truncated else {
            throw TemoinError.trust(.sealFailed(url: url, reason: tr("trust.seal.garbage", ["detail": "too large"])))
        }
        let check = TokenCheck.check(response: [UInt8](result.body), imprint: imprint, nonce: nonce, trust: trust)
        if let problem = check.problem { throw TemoinError.trust(.sealFailed(url: url, reason: problem)) }
        return (result.body, nonce, check)
    }
}
