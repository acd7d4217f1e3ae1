import Foundation
import GRDB

// The tables themselves are declared in Store/StoreSchema.swift; their checks in Verify/Anchors.

/// A row of `seals`: one RFC 3161 response over a head, kept byte for byte as the TSA sent it.
struct SealRow: Codable, FetchableRecord, MutablePersistableRecord, Sendable {
    static let databaseTableName = "seals"
    var id: Int64?
    var seq: Int64
    var head: String
    var tsaURL: String
    var nonce: String
    var requestedAt: String
    var response: Data

    enum CodingKeys: String, CodingKey {
        case id, seq, head, nonce, response
        case tsaURL = "tsa_url"
        case requestedAt = "requested_at"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct AttestationRow: Codable, FetchableRecord, MutablePersistableRecord, Sendable {
    static let databaseTableName = "attestations"
    var id: Int64?
    var statement: Data
    var signature: String
    var addedAt: String

    enum CodingKeys: String, CodingKey {
        case id, statement, signature
        case addedAt = "added_at"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A time-stamp authority configured for a store.
package struct TSAConfig: Codable, Sendable, Equatable {
    package var url: String
    package var name: String?
    package var addedAt: String

    enum CodingKeys: String, CodingKey {
        case url, name
        case addedAt = "added_at"
    }
}

struct TSAConfigRow: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "tsa_config"
    var url: String
    var name: String?
    var addedAt: String

    enum CodingKeys: String, CodingKey {
        case url, name
        case addedAt = "added_at"
    }
}

/// How a seal or an attestation stands after checking.
public enum TrustState: String, Codable, Sendable {
    /// Signature valid, signer trusted (a TSA certificate the user trusts; a volunteer key given as trusted).
    case trusted
    /// Signature valid and bound to the chain, but the signer is not among those the user trusts.
    case validUntrusted = "valid_untrusted"
    /// Does not verify, or does not match the chain: see `detail`.
    case invalid
}

/// One seal as the dossier and `verify` show it.
public struct SealSummary: Codable, Sendable, Equatable {
    /// The seal's row id in the store (`seals.id`), as `temoin seal` lists it.
    public var id: Int64
    /// The entry sealed: the head when the seal was taken.
    public var seq: Int64
    /// The hash of entry `seq`, as the seal covers it.
    public var head: String
    /// The TSA's address the seal was requested from (never with credentials).
    public var tsaURL: String
    /// The TSA certificate's subject (from the token).
    public var tsaName: String?
    /// The TSA's time (TSTInfo genTime), UTC in the store's format.
    public var genTime: String?
    /// When the seal was requested, UTC, by the applicant's computer's clock.
    public var requestedAt: String
    /// The TSA's time minus the computer's when the seal was requested, in milliseconds (network delay
    /// included): how far the applicant's clock was off at that moment.
    public var clockOffsetMs: Int64?
    /// The token's signature verifies (docs/FORMAT.md §7.1); whether `head` is the chain's is in `state`.
    public var signatureValid: Bool
    /// The TSA is among those the verifier trusts (``TSATrust``); never true unless `signatureValid`.
    public var trusted: Bool
    /// `trusted` or `valid_untrusted` only when the signature verifies and `head` is the hash of the
    /// chain's entry `seq`; otherwise `invalid`, with `detail`.
    public var state: TrustState
    /// Why invalid, or why not trusted; nil when trusted.
    public var detail: String?

    enum CodingKeys: String, CodingKey {
        case id, seq, head, trusted, state, detail
        case tsaURL = "tsa_url"
        case tsaName = "tsa_name"
        case genTime = "gen_time"
        case requestedAt = "requested_at"
        case clockOffsetMs = "clock_offset_ms"
        case signatureValid = "signature_valid"
    }

    static func offset(gen: String?, requested: String) -> Int64? {
        guard let g = gen.flatMap(TimeFormat.parseUTC), let r = TimeFormat.parseUTC(requested) else { return nil }
        return Int64((g.timeIntervalSince(r) * 1000).rounded())
    }
}

/// The store's seals and attestations, checked.
package struct TrustSummary: Codable, Sendable, Equatable {
    package var seals: [SealSummary]
    package var attestations: [AttestationSummary]

    /// The seal of the highest seq that verifies (trusted or not): the latest point anchored in time.
    package var latestValidSeal: SealSummary? {
        seals.filter { $0.state != .invalid }.max { ($0.seq, $0.genTime ?? "") < ($1.seq, $1.genTime ?? "") }
    }
}

/// One attestation as the dossier and `verify` show it.
public struct AttestationSummary: Codable, Sendable, Equatable {
    /// The attestation's row id in the store (`attestations.id`).
    public var id: Int64
    /// The entry attested: the head the volunteer verified.
    public var seq: Int64
    /// The hash of entry `seq`, as the volunteer signed it.
    public var head: String
    /// When the volunteer signed, UTC (their clock).
    public var attestedAt: String
    /// The volunteer's name, as they signed it (not checked against anything).
    public var name: String
    /// The volunteer's association, as they signed it (not checked against anything).
    public var organisation: String
    /// The verdict the volunteer's verification reached: `intact` or `tampered`.
    public var verdict: String
    /// SHA-256 of the volunteer's Ed25519 public key, hex.
    public var keyFingerprint: String
    /// The Ed25519 signature verifies over the statement (docs/FORMAT.md §7.3); whether the statement is
    /// about this store and this chain is in `state`.
    public var signatureValid: Bool
    /// The key is among those the verifier gave as trusted; never true unless `signatureValid`.
    public var trusted: Bool
    /// `trusted` or `valid_untrusted` only when the signature verifies, the statement names this store and
    /// `head` is the hash of the chain's entry `seq`; otherwise `invalid`, with `detail`.
    public var state: TrustState
    /// Why invalid, or why not trusted; nil when trusted.
    public var detail: String?

    enum CodingKeys: String, CodingKey {
        case id, seq, head, name, organisation, verdict, trusted, state, detail
        case attestedAt = "attested_at"
        case keyFingerprint = "key_fingerprint"
        case signatureValid = "signature_valid"
    }
}

extension Store {
    // MARK: TSA configuration

    /// The TSAs configured for this store, in the order they were added, their URLs without any
    /// `user:password@` a store made before temoin refused them may still hold.
    package func tsas() throws -> [TSAConfig] {
        try tsaRows().map { TSAConfig(url: TSACredentials.withoutUserinfo($0.url), name: $0.name, addedAt: $0.addedAt) }
    }

    /// The configured URLs as stored (an older store's may carry credentials, used for sealing only).
    func tsaRows() throws -> [TSAConfigRow] {
        try read { db in
            guard try db.tableExists("tsa_config") else { return [] }
            return try TSAConfigRow.fetchAll(db, sql: "SELECT * FROM tsa_config ORDER BY added_at, url")
        }
    }

    /// `temoin seal tsa add`: adds the TSA (``addTSA(url:name:now:)``) and says so, and, when the address
    /// held credentials, that they were not kept and where they belong.
    package func addTSAAndTell(url: String, name: String?) throws -> [Utterance] {
        let dropped = try addTSA(url: url, name: name, now: Date())
        return [.line(tr("trust.tsa.added", ["url": TSACredentials.withoutUserinfo(url)]))]
            + (dropped ? [.problem(tr("trust.credentials.not_kept", ["netrc": TSACredentials.netrcPath()]))] : [])
    }

    /// Adds a TSA. Credentials in the URL are not kept (TSACredentials): the result says whether some
    /// were dropped, so the person can be told where to put them.
    @discardableResult
    package func addTSA(url: String, name: String?, now: Date = Date()) throws -> Bool {
        try URLCheck.validate(url)
        if let name { try FieldText.checkLine(name, field: "name") }
        let bare = TSACredentials.withoutUserinfo(url)
        try trustWrite { db in
            try TSAConfigRow(url: bare, name: name, addedAt: TimeFormat.utc(now)).save(db)
        }
        return bare != url
    }

    /// Removes a configured TSA; false when it was not configured. Seals already taken stay.
    @discardableResult
    package func removeTSA(url: String) throws -> Bool {
        let bare = TSACredentials.withoutUserinfo(url)
        let stored = try tsaRows().map(\.url).filter { $0 == url || TSACredentials.withoutUserinfo($0) == bare }
        return try trustWrite { db in try TSAConfigRow.deleteAll(db, keys: stored) > 0 }
    }

    func trustWrite<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            let result = try db.write(body)
            checkpoint()
            return result
        } catch let error as TemoinError { throw error } catch {
            throw Store.map(error, path: path, writing: true)
        }
    }

    // MARK: Seals

    func insertSeal(_ row: SealRow) throws -> Int64 {
        try trustWrite { db in
            var r = row
            try r.insert(db)
            return r.id ?? 0
        }
    }

    func sealRows() throws -> [SealRow] {
        try readAnchors("seals") { db in
            guard try db.tableExists("seals") else { return [] }
            return try SealRow.fetchAll(db, sql: "SELECT * FROM seals ORDER BY id")
        }
    }

    /// Reads seals or attestations for a listing. Tables whose columns were altered, or rows that
    /// cannot be decoded, are a clear refusal naming the table, never a raw decoding error
    /// (`temoin verify` reports them as `schema_altered` / `store_corrupt`).
    func readAnchors<T>(_ table: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try read { db in
                if try AnchorChecks.alteredAnchorTables(db).contains(table) {
                    throw TemoinError.storeUnreadable(
                        path: path, detail: tr("harden.anchors.altered", ["table": table]))
                }
                return try body(db)
            }
        } catch let error as TemoinError {
            throw error
        } catch {
            throw TemoinError.storeUnreadable(
                path: path, detail: tr("harden.anchors.unreadable", ["detail": String(describing: error)]))
        }
    }

    /// `temoin seal export`: the stored response of seal `id` written to `out` (a new file), then where,
    /// and the OpenSSL command that checks it against the head it sealed (a command line to copy, not a
    /// sentence: it stays as it is in every language).
    package func exportSeal(id: Int64, to out: String) throws -> [String] {
        let (seq, head, response) = try sealResponse(id: id)
        try OutputFile.create(out, data: response)
        return [
            tr("trust.seal.exported", ["path": out, "seq": String(seq)]),
            "openssl ts -verify -in \(out) -digest \(head) -CAfile TSA_CA.pem",
        ]
    }

    /// The stored response of one seal, exactly as the TSA sent it (for `openssl ts -verify -in`).
    package func sealResponse(id: Int64) throws -> (seq: Int64, head: String, response: Data) {
        guard let row = try sealRows().first(where: { $0.id == id }) else {
            throw TemoinError.trust(.noSuchSeal(id: id))
        }
        return (row.seq, row.head, row.response)
    }

    /// Every seal of the store, each checked: the response's signature and certificate, its imprint
    /// against the hash of entry `seq` recomputed from its bytes, and its nonce.
    package func seals(trust: TSATrust = TSATrust()) throws -> [SealSummary] {
        try readAnchors("seals") { db in try SealCheck.seals(db, trust: trust) }
    }

    // MARK: Attestations

    /// Attaches a signed attestation after checking its signature and that it speaks of this store.
    /// Returns false when the same attestation was already attached.
    @discardableResult
    package func addAttestation(_ file: AttestationFile, path: String, now: Date = Date()) throws -> Bool {
        let statement = try file.verifiedStatement(path: path)
        // Signed by any key: a name holding a line break or an escape sequence would forge lines on
        // every screen and dossier that shows it.
        for (field, value) in [("name", statement.name), ("organisation", statement.organisation)] {
            if let c = FieldText.forbiddenInLine(value) {
                throw TemoinError.trust(
                    .attestationInvalid(
                        path: path,
                        reason: tr("field.attestation_control", ["field": field, "character": FieldText.describe(c)])))
            }
        }
        guard statement.storeID == storeID else {
            throw TemoinError.trust(.attestationForOtherStore(path: path, storeID: statement.storeID))
        }
        return try trustWrite { db in
            if try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM attestations WHERE signature = ?", arguments: [file.signature]) ?? 0
                > 0
            {
                return false
            }
            var row = AttestationRow(
                statement: Data(file.statement.utf8), signature: file.signature, addedAt: TimeFormat.utc(now))
            try row.insert(db)
            return true
        }
    }

    /// Seals and attestations together, each checked: what the dossier's method section lists.
    package func trustSummary(trust: TSATrust = TSATrust(), trustedKeys: [String] = []) throws -> TrustSummary {
        TrustSummary(seals: try seals(trust: trust), attestations: try attestations(trustedKeys: trustedKeys))
    }

    /// Every attestation attached to the store, each checked (signature, store, head at its seq).
    package func attestations(trustedKeys: [String] = []) throws -> [AttestationSummary] {
        try readAnchors("attestations") { db in
            try AttestationCheck.attestations(db, storeID: storeID, trustedKeys: trustedKeys)
        }
    }
}

extension Store {
    /// `temoin attestation add`: each file's attestation attached, or found attached already, said as
    /// soon as it is (nothing with `json`: the list printed at the end says it all). The first file that
    /// cannot be read or verified stops it; those before it stay attached.
    package func addAttestations(files: [String], json: Bool, speak: ([Utterance]) -> Void) throws {
        for path in files {
            let added = try addAttestation(try AttestationFile.read(path: path), path: path)
            if !json {
                speak([.line(tr(added ? "trust.attestation.added" : "trust.attestation.already", ["path": path]))])
            }
        }
    }
}

extension Hex {
    /// The bytes of an even-length hex string; nil if it is not one.
    static func bytes(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let b = UInt8(String(decoding: utf8[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(b)
            i += 2
        }
        return out
    }
}
