import Foundation

/// Takes RFC 3161 seals over a store's head: one request per TSA, each answer checked before it is kept.
///
/// Invariant: a response is stored only if it is granted, its imprint is the head's hash and its nonce
/// is the one sent, and its signature verifies with the TSA certificate it carries (valid at genTime,
/// `timeStamping` usage). Whether that TSA is *trusted* is the verifier's business and is reported, not
/// required: trust anchors belong to whoever checks. A failure stores nothing and never touches the chain.
public struct Sealer: Sendable {
    public let store: Store
    public var transfer = TransferSettings()

    public init(store: Store) {
        self.store = store
        transfer.timeout = 30
        transfer.maxBodyBytes = 1 << 20
    }

    public struct Outcome: Sendable {
        public var url: String
        /// The stored seal; nil when the seal failed (see `error`).
        public var seal: SealSummary?
        public var error: TrustError?
    }

    /// The TSAs to use: those given, else those configured for the store.
    public func urls(given: [String]) throws -> [String] {
        let urls = given.isEmpty ? try store.tsas().map(\.url) : given
        if urls.isEmpty { throw TemoinError.trust(.noTSA) }
        return urls
    }

    /// Seals the current head with each TSA. Never throws for a TSA's failure: each outcome says.
    public func seal(urls: [String], trust: TSATrust = TSATrust(), now: @Sendable () -> Date = { Date() }) throws
        -> [Outcome]
    {
        // `init` always writes entry 1, so only a damaged store has no head.
        guard let head = try store.head() else {
            throw TemoinError.notAStore(path: store.path, detail: tr("detail.no_store_id"))
        }
        return urls.map { url in
            do {
                let seal = try sealOne(url: url, head: head, trust: trust, requestedAt: now())
                return Outcome(url: url, seal: seal, error: nil)
            } catch let TemoinError.trust(error) {
                return Outcome(url: url, seal: nil, error: error)
            } catch {
                return Outcome(url: url, seal: nil, error: .sealFailed(url: url, reason: "\(error)"))
            }
        }
    }

    func sealOne(url: String, head: ChainHead, trust: TSATrust, requestedAt: Date) throws -> SealSummary {
        guard (try? URLCheck.validate(url)) != nil else {
            throw TemoinError.trust(.sealFailed(url: url, reason: TemoinError.invalidURL(value: url).description))
        }
        guard let imprint = Hex.bytes(head.hash), imprint.count == 32 else {
            throw TemoinError.trust(.sealFailed(url: url, reason: "head is not a SHA-256"))
        }
        let (response, nonce, check) = try timeStamp(url: url, imprint: imprint, trust: trust)
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
    func timeStamp(url: String, imprint: [UInt8], trust: TSATrust) throws -> (Data, Int64, TokenCheck) {
        let nonce = Int64.random(in: 1...Int64.max)
        let request = TimeStampRequest(imprint: imprint, nonce: nonce)
        guard let curl = CurlTransfer(settings: transfer) else {
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
