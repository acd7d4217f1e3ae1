import Crypto
import Foundation
import GRDB

/// A seal as the time rules read it (docs/FORMAT.md §8.3): which head it sealed, the time-stamp
/// authority's time, and its token's digest, which entries appended after it name in `after_seal`.
///
/// Invariant: a `SealClock` exists only for a seal that *binds* (§7.1): its response parses, is
/// granted, stamps the SHA-256 of `head` with the stored nonce, and `head` is the entry hash of the
/// entry at `seq` recomputed from its bytes. Its signature is §7's business (`seal_invalid`); the time
/// rules use what both verifiers can check.
package struct SealClock: Sendable, Equatable, Codable {
    package var id: Int64
    package var seq: Int64
    /// The TSTInfo's genTime, milliseconds since the epoch (a fraction truncated to milliseconds).
    package var genMs: Int64
    /// SHA-256 (lowercase hex) of the TimeStampToken's DER, tag and length included.
    package var tokenSHA256: String
    package var tsaURL: String

    /// genTime in the store's UTC form.
    package var genTime: String { TimeRules.utc(genMs) }

    enum CodingKeys: String, CodingKey {
        case id, seq
        case genTime = "gen_time"
        case tsaURL = "tsa_url"
    }

    package init(id: Int64, seq: Int64, genMs: Int64, tokenSHA256: String, tsaURL: String) {
        self.id = id
        self.seq = seq
        self.genMs = genMs
        self.tokenSHA256 = tokenSHA256
        self.tsaURL = tsaURL
    }

    /// Only what a reader of a report needs: which seal, of which entry, when, by whom.
    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(seq, forKey: .seq)
        try c.encode(genTime, forKey: .genTime)
        try c.encode(tsaURL, forKey: .tsaURL)
    }

    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        seq = try c.decode(Int64.self, forKey: .seq)
        genMs = TimeRules.instantMs(try c.decode(String.self, forKey: .genTime)) ?? 0
        tokenSHA256 = ""
        tsaURL = try c.decode(String.self, forKey: .tsaURL)
    }

    /// The seal of one row of `seals`, or nil when it does not bind. `entryHash(seq)` gives the entry
    /// hash recomputed from the body stored at `seq` (nil when there is no such entry).
    static func binding(
        id: Int64, seq: Int64, head: String, nonce: String, response: Data, tsaURL: String,
        entryHash: (Int64) throws -> String?
    ) rethrows -> SealClock? {
        guard let parsed = try? TimeStampResponse(der: [UInt8](response)), parsed.status == 0 || parsed.status == 1,
            let token = parsed.token, token.eContentType == TrustOID.tstInfo,
            let info = try? TSTInfo(der: token.content), info.hashAlgorithm == TrustOID.sha256,
            let imprint = Hex.bytes(head), info.hashedMessage == imprint,
            let nonceValue = Int64(nonce), info.nonce == TokenCheck.nonceBytes(nonceValue),
            let genMs = TimeRules.generalizedTimeMs(info.genTimeBytes)
        else { return nil }
        guard try entryHash(seq) == head else { return nil }
        return SealClock(
            id: id, seq: seq, genMs: genMs, tokenSHA256: SHA256.hash(data: token.der).lowercaseHex, tsaURL: tsaURL)
    }

    /// Every seal of the store that binds, by id. None when the store has no `seals` table or one
    /// whose columns are not those of §7 (verify reports that as `schema_altered`).
    static func readAll(_ db: Database) throws -> [SealClock] {
        guard try db.tableExists("seals"), try !AnchorChecks.alteredAnchorTables(db).contains("seals") else {
            return []
        }
        let body = try db.makeStatement(sql: "SELECT \(ColumnBytes.select("body")) FROM entries WHERE seq = ?")
        var out: [SealClock] = []
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, seq, \(ColumnBytes.select("head")), \(ColumnBytes.select("nonce")), \(ColumnBytes.select("response")),
                \(ColumnBytes.select("tsa_url")) FROM seals ORDER BY id
                """)
        while let row = try rows.next() {
            guard let id = ColumnBytes.integer(row["id"]), let seq = ColumnBytes.integer(row["seq"]) else { continue }
            let seal = try binding(
                id: id, seq: seq, head: ColumnBytes.text(row["head"]), nonce: ColumnBytes.text(row["nonce"]),
                response: ColumnBytes.bytes(row["response"]), tsaURL: ColumnBytes.text(row["tsa_url"])
            ) { seq in
                try DatabaseValue.fetchOne(body, arguments: [seq]).map { ChainHash.entry(ColumnBytes.bytes($0)) }
            }
            if let seal { out.append(seal) }
        }
        return out
    }

    /// The seals of one sealed seq that bind (the candidates for an entry's `after_seal`).
    static func read(_ db: Database, seq: Int64) throws -> [SealClock] {
        guard try db.tableExists("seals"), try !AnchorChecks.alteredAnchorTables(db).contains("seals") else {
            return []
        }
        let hash = try AnchorChecks.computedHash(db, seq: seq)
        return try Row.fetchAll(
            db, sql: "SELECT id, seq, head, nonce, response, tsa_url FROM seals WHERE seq = ? ORDER BY id",
            arguments: [seq]
        ).compactMap { row in
            guard let id = ColumnBytes.integer(row["id"]) else { return nil }
            return binding(
                id: id, seq: seq, head: ColumnBytes.text(row["head"]), nonce: ColumnBytes.text(row["nonce"]),
                response: ColumnBytes.bytes(row["response"]), tsaURL: ColumnBytes.text(row["tsa_url"])
            ) { _ in hash }
        }
    }
}

extension AfterSeal {
    /// How many of the latest seals `latest` tries before giving up (a store whose last seals do not
    /// bind is damaged; the entry is then appended without a lower bound rather than slowly).
    static let candidates = 8

    /// The `after_seal` member for an entry appended now: the latest seal that binds (highest sealed
    /// seq, then the last taken), or nil when the store has none. Runs inside the append's write
    /// transaction, so no seal can be added between this choice and the entry.
    static func latest(_ db: Database) throws -> AfterSeal? {
        guard try db.tableExists("seals"), try !AnchorChecks.alteredAnchorTables(db).contains("seals") else {
            return nil
        }
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT id, seq, head, nonce, response, tsa_url FROM seals ORDER BY seq DESC, id DESC LIMIT ?",
            arguments: [candidates])
        for row in rows {
            guard let id = ColumnBytes.integer(row["id"]), let seq = ColumnBytes.integer(row["seq"]) else { continue }
            let seal = try SealClock.binding(
                id: id, seq: seq, head: ColumnBytes.text(row["head"]), nonce: ColumnBytes.text(row["nonce"]),
                response: ColumnBytes.bytes(row["response"]), tsaURL: ColumnBytes.text(row["tsa_url"])
            ) { seq in try AnchorChecks.computedHash(db, seq: seq) }
            if let seal { return AfterSeal(seq: seal.seq, tokenSHA256: seal.tokenSHA256) }
        }
        return nil
    }
}
