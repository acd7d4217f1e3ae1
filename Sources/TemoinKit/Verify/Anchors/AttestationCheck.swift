import Foundation
import GRDB

enum AttestationCheck {
    /// docs/FORMAT.md §7.3: every row of `attestations`, in id order. A statement that does not parse
    /// (`AttestationStatement.parse`) or a signature that does not verify is invalid; a valid one must
    /// name this store (`storeID`, the identity read in §6.3; with none, no attestation matches) and a
    /// head that is still the hash of entry `seq`, recomputed from its bytes. Whether the key is trusted
    /// is reported, never a problem; a signed verdict `tampered` is a problem of its own (`AnchorChecks`).
    static func attestations(_ db: Database, storeID: String?, trustedKeys: [String]) throws -> [AttestationSummary] {
        guard try db.tableExists(StoreSchema.attestations.name) else { return [] }
        var out: [AttestationSummary] = []
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, \(ColumnBytes.select("statement")), \(ColumnBytes.select("signature")) \
                FROM attestations ORDER BY id
                """)
        for row in rows {
            guard let id = ColumnBytes.integer(row["id"]) else {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "an attestations row has no integer id")
            }
            let bytes = ColumnBytes.bytes(row["statement"])
            var summary = AttestationSummary(
                id: id, seq: 0, head: "", attestedAt: "", name: "", organisation: "", verdict: "",
                keyFingerprint: "", signatureValid: false, trusted: false, state: .invalid, detail: nil)
            guard let statement = try? AttestationStatement.parse(bytes) else {
                summary.detail = tr("trust.attestation.unreadable")
                out.append(summary)
                continue
            }
            let file = AttestationFile(
                statement: String(decoding: bytes, as: UTF8.self), signature: ColumnBytes.text(row["signature"]))
            summary.seq = statement.seq
            summary.head = statement.head
            summary.attestedAt = statement.attestedAt
            summary.name = statement.name
            summary.organisation = statement.organisation
            summary.verdict = statement.verdict
            summary.keyFingerprint = statement.keyFingerprint
            summary.signatureValid = file.signatureIsValid(statement)
            summary.trusted = summary.signatureValid && trustedKeys.contains(statement.keyFingerprint)
            let actual = try AnchorChecks.computedHash(db, seq: statement.seq)
            if !summary.signatureValid {
                summary.detail = tr("trust.attestation.bad_signature")
            } else if statement.storeID != storeID {
                summary.detail = tr("trust.attestation.other_store", ["store": statement.storeID])
            } else if actual == nil {
                summary.detail = tr("trust.seal.no_entry", ["seq": String(statement.seq)])
            } else if actual != statement.head {
                summary.detail = tr("trust.attestation.head_differs", ["seq": String(statement.seq)])
            } else {
                summary.state = summary.trusted ? .trusted : .validUntrusted
                summary.detail = summary.trusted ? nil : tr("trust.attestation.key_not_given")
            }
            out.append(summary)
        }
        return out
    }
}
