import Foundation
import GRDB

/// docs/FORMAT.md §7 in a verification: the seals and attestations beside the chain, checked, and what
/// they say added to the report. Also the summaries `seal list`, `attestation list` and the dossier
/// show (they read the database directly: a tampered store may not open as a `Store`).
package enum AnchorChecks {
    /// The entry hash at `seq` recomputed from its stored bytes; nil when there is no such entry.
    static func computedHash(_ db: Database, seq: Int64) throws -> String? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(ColumnBytes.select("body")) FROM entries WHERE seq = ?", arguments: [seq])
        else { return nil }
        return ChainHash.entry(ColumnBytes.bytes(row["body"]))
    }

    /// The anchor tables present whose schema is not the format's (§6.2 reports them for `verify`).
    static func alteredAnchorTables(_ db: Database) throws -> [String] {
        let anchors = Set(StoreSchema.anchorTables.flatMap { [$0.name] + $0.autoindexes })
        let names = try StoreSchema.deviations(db).map(\.name).filter { anchors.contains($0) }
        return StoreSchema.anchorTables.map(\.name).filter { t in
            names.contains(t) || names.contains { $0.hasPrefix("sqlite_autoindex_\(t)_") }
        }
    }

    /// Adds §7 to a report of §6: a seal or an attestation that does not verify, or that names a head
    /// the chain no longer has, is a problem at its seq; so is a valid attestation whose signed verdict
    /// is `tampered`. Nothing is read when §6 stopped (schema altered, store corrupt): the tables cannot
    /// be trusted, as in the reference verifier.
    package static func extend(
        _ report: inout VerificationReport, path: String, trust: TSATrust, trustedKeys: [String]
    ) throws {
        if report.stopped { return }
        let queue = try Store.openQueue(path: path, readOnly: true)
        do {
            try queue.read { db in
                report.seals = try SealCheck.seals(db, trust: trust)
                report.attestations = try AttestationCheck.attestations(
                    db, storeID: report.storeID, trustedKeys: trustedKeys)
            }
        } catch let error as DatabaseError where !Verifier.isBusy(error) && !Verifier.isInterrupt(error) {
            // A damaged seals/attestations table is a finding of the report, as in the reference
            // verifier, never an error that leaves the person without one.
            report.seals = []
            report.attestations = []
            report.record(
                .storeCorrupt, at: nil, "reading seals or attestations failed: \(Verifier.detail(error))", stops: true)
            return
        } catch let error as DatabaseError {
            throw Store.map(error, path: path, writing: false)
        }
        for s in report.seals where s.state == .invalid {
            report.record(
                s.signatureValid ? .sealMismatch : .sealInvalid, at: s.seq, subject: "seal \(s.id)",
                "seal \(s.id): \(s.detail ?? "")")
        }
        for a in report.attestations {
            let subject = "attestation \(a.id)"
            if a.state == .invalid {
                report.record(
                    a.signatureValid ? .attestationMismatch : .attestationInvalid, at: a.seq == 0 ? nil : a.seq,
                    subject: subject, "attestation \(a.id): \(a.detail ?? "")")
            } else if a.verdict == "tampered" {
                report.record(
                    .attestationTampered, at: a.seq, subject: subject,
                    "attestation \(a.id): \(a.name) signed that the store was NOT intact at #\(a.seq)")
            }
        }
    }
}
