import Foundation

/// What `temoin attest` prints once the attestation is written: the verdict signed, the head, the file.
package enum AttestText {
    package static func lines(report: VerificationReport, file: String) -> [String] {
        var lines = [report.verdict == .intact ? tr("verify.intact") : tr("verify.tampered")]
        if let head = report.head { lines.append(tr("common.head", ["head": head.display])) }
        lines.append(tr("trust.attest.written", ["path": file]))
        return lines
    }
}

/// `temoin attest --json`.
package struct AttestJSON: Encodable {
    let file: String
    let store_id: String
    let seq: Int64
    let head: String
    let verdict: String
    let fingerprint: String

    package init(file: String, statement: AttestationStatement, fingerprint: String) {
        self.file = file
        store_id = statement.storeID
        seq = statement.seq
        head = statement.head
        verdict = statement.verdict
        self.fingerprint = fingerprint
    }
}

/// `temoin note --json`: the note's entry and the entry it is about.
package struct NoteJSON: Encodable {
    let seq: Int64
    let hash: String
    let about: Int64
    let kind: String

    package init(_ entry: StoredEntry, about: Int64) {
        seq = entry.seq
        hash = entry.hash
        self.about = about
        kind = entry.body?.kind?.rawValue ?? ""
    }

    /// What `note` says: the note recorded, about which entry, and the head it made.
    package func lines(head: ChainHead?) -> [String] {
        [tr("note.recorded", ["seq": String(seq), "about": String(about)])] + (head.map { [$0.line] } ?? [])
    }
}
