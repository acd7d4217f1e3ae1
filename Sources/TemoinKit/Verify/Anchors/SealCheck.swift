import Foundation
import GRDB

enum SealCheck {
    /// docs/FORMAT.md §7.1: every row of `seals`, in id order, checked in the order the format gives:
    /// the stored `head` and `nonce` by their grammar, the response (it parses, is granted, stamps that
    /// imprint and nonce), its signature and certificate (`TokenCheck`), then the chain (the entry at
    /// `seq`, recomputed from its bytes, has that hash). Failing one of the first three is
    /// `seal_invalid`, the last `seal_mismatch`; trust in the signer is reported, never a problem.
    static func seals(_ db: Database, trust: TSATrust) throws -> [SealSummary] {
        guard try db.tableExists(StoreSchema.seals.name) else { return [] }
        var out: [SealSummary] = []
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, seq, \(ColumnBytes.select("head")), \(ColumnBytes.select("tsa_url")), \
                \(ColumnBytes.select("nonce")), \(ColumnBytes.select("requested_at")), \
                \(ColumnBytes.select("response")) FROM seals ORDER BY id
                """)
        for row in rows {
            guard let id = ColumnBytes.integer(row["id"]), let seq = ColumnBytes.integer(row["seq"]) else {
                throw DatabaseError(
                    resultCode: .SQLITE_CORRUPT, message: "a seals row has a seq that is not an integer")
            }
            let head = ColumnBytes.text(row["head"])
            let requestedAt = ColumnBytes.text(row["requested_at"])
            var summary = SealSummary(
                id: id, seq: seq, head: head, tsaURL: TSACredentials.withoutUserinfo(ColumnBytes.text(row["tsa_url"])),
                tsaName: nil,
                genTime: nil,
                requestedAt: requestedAt, clockOffsetMs: nil, signatureValid: false, trusted: false, state: .invalid,
                detail: nil)
            let nonce = Self.nonce(ColumnBytes.bytes(row["nonce"]))
            guard Self.isHash(head), let nonce else {
                summary.detail = tr("trust.seal.malformed_row")
                out.append(summary)
                continue
            }
            let check = TokenCheck.check(
                response: [UInt8](ColumnBytes.bytes(row["response"])), imprint: Hex.bytes(head) ?? [], nonce: nonce,
                trust: trust)
            summary.genTime = check.genTime
            summary.clockOffsetMs = SealSummary.offset(gen: check.genTime, requested: requestedAt)
            summary.tsaName = check.tsaName
            summary.signatureValid = check.signatureValid
            summary.trusted = check.trusted
            let actual = try AnchorChecks.computedHash(db, seq: seq)
            if let problem = check.problem {
                summary.detail = problem
            } else if actual == nil {
                summary.detail = tr("trust.seal.no_entry", ["seq": String(seq)])
            } else if actual != head {
                summary.detail = tr("trust.seal.head_differs", ["seq": String(seq)])
            } else {
                summary.state = check.trusted ? .trusted : .validUntrusted
                summary.detail = check.trustDetail
            }
            out.append(summary)
        }
        return out
    }

    /// §7.1: 64 lowercase hexadecimal digits.
    static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// §7.1: decimal digits without sign or leading zero, 1 to 2^63 - 1; nil otherwise.
    static func nonce(_ bytes: Data) -> Int64? {
        guard let first = bytes.first, first != UInt8(ascii: "0"), bytes.count <= 19,
            bytes.allSatisfy({ (0x30...0x39).contains($0) })
        else { return nil }
        return Int64(String(decoding: bytes, as: UTF8.self))
    }
}
