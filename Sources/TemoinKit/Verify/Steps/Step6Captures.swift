import Foundation
import GRDB

extension Walk {
    /// `reference`, unless SQLite cannot read the captures table: then the entries are still walked
    /// (steps 4 and 5 need only them) and the captures are reported unreadable after them.
    mutating func referenceOrSetAside(
        _ digest: String, size: Int64, seq: Int64, lookup: CaptureFinder, hasher: CaptureHasher
    ) throws {
        guard capturesUnreadable == nil else { return }
        do {
            try reference(digest, size: size, seq: seq, lookup: lookup, hasher: hasher)
        } catch let error as DatabaseError where !Verifier.isBusy(error) && !Verifier.isInterrupt(error) {
            capturesUnreadable = Verifier.detail(error)
        }
    }

    /// Entry `seq` references capture `digest` of `size` bytes (docs/FORMAT.md §6.4 and §6.6).
    ///
    /// A capture already found intact is known by its row, not kept by digest: a later reference finds
    /// the row again through the index and compares its stored size, which equals the size the first
    /// reference gave (else it would not be intact). The findings of step 6 are held back
    /// (`captureFindings`) until the whole table was read (`finishCaptures`); a second size is a finding
    /// of step 4 and is recorded at once.
    mutating func reference(
        _ digest: String, size: Int64, seq: Int64, lookup: CaptureFinder, hasher: CaptureHasher
    ) throws {
        let key = DigestKey(digest)
        if let known = known[key] {
            if known.size != size { recordSecondSize(digest, seq: seq) }
            switch known.status {
            case .pending: pendingSeqs[key, default: []].append(seq)
            case .altered: finding(.captureAltered, seq, digest, Self.alteredReason(digest))
            case .missing: finding(.captureMissing, seq, digest, Self.missingReason(digest))
            case .withheld:
                if let i = withheldIndex[key], withheld[i].seqs.last != seq { withheld[i].seqs.append(seq) }
                if known.undated { finding(.withholdingUndated, seq, digest, Self.undatedReason(digest)) }
            }
            return
        }
        guard let rowid = try lookup.find(digest) else {
            known[key] = KnownCapture(size: size, status: .missing)
            finding(.captureMissing, seq, digest, Self.missingReason(digest))
            return
        }
        if intact.contains(rowid) {
            if try lookup.size(rowid: rowid) != size { recordSecondSize(digest, seq: seq) }
            return
        }
        guard let row = try lookup.row(rowid: rowid) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a captures row vanished while it was read")
        }
        let storedSize = ColumnBytes.integer(row["size"])
        if storedSize != size {
            known[key] = KnownCapture(size: size, status: .altered, rowid: rowid)
            finding(
                .captureAltered, seq, digest,
                "capture \(digest.prefix(12))… has size \(storedSize.map(String.init) ?? "(not an integer)"), the entry says \(size)"
            )
            return
        }
        let data: DatabaseValue = row["data"]
        if data.isNull {
            let at = ColumnBytes.optionalBytes(row["withheld_at"])
            let undated = !(at.map(Self.isInstant) ?? false)
            known[key] = KnownCapture(size: size, status: .withheld, rowid: rowid, undated: undated)
            withheldIndex[key] = withheld.count
            withheld.append(
                WithheldCapture(digest: digest, seqs: [seq], withheldAt: at.map { String(decoding: $0, as: UTF8.self) })
            )
            if undated { finding(.withholdingUndated, seq, digest, Self.undatedReason(digest)) }
            return
        }
        known[key] = KnownCapture(size: size, status: .pending, rowid: rowid)
        pendingSeqs[key] = [seq]
        apply(
            hasher.add(
                StoredCapture(
                    key: key, digest: digest, size: size, encoding: ColumnBytes.text(row["encoding"]),
                    data: ColumnBytes.bytes(data))))
    }

    /// Results of the hashing threads: intact captures are remembered by row, altered ones reported at
    /// every seq that referenced them so far.
    mutating func apply(_ results: [WorkQueue.Result]) {
        for r in results {
            let seqs = pendingSeqs.removeValue(forKey: r.key) ?? []
            if r.ok {
                checked += 1
                checkedBytes += r.size
                if let rowid = known.removeValue(forKey: r.key)?.rowid { intact.insert(rowid) }
            } else {
                known[r.key]?.status = .altered
                for seq in seqs { finding(.captureAltered, seq, r.digest, Self.alteredReason(r.digest)) }
            }
        }
    }

    /// §6.4: the digest was referenced earlier with another size: `capture_altered` at this seq.
    private mutating func recordSecondSize(_ digest: String, seq: Int64) {
        report.record(
            .captureAltered, at: seq, subject: digest, "capture \(digest.prefix(12))… is referenced with two sizes")
    }

    private mutating func finding(_ code: ProblemCode, _ seq: Int64, _ digest: String, _ reason: String) {
        captureFindings.append(VerificationProblem(seq: seq, code: code, reason: reason, subject: digest))
    }

    /// The end of §6.6: the last hashes, captures no entry references (added outside temoin), and the
    /// findings of the step, recorded only now that the whole table was read. When SQLite cannot read
    /// it, `store_corrupt` after the last entry stands alone for this step.
    mutating func finishCaptures(_ db: Database, lookup: CaptureFinder, hasher: CaptureHasher) throws {
        apply(hasher.finish())
        if capturesUnreadable == nil {
            do {
                try checkUnreferenced(db, lookup: lookup)
            } catch let error as DatabaseError where !Verifier.isBusy(error) && !Verifier.isInterrupt(error) {
                capturesUnreadable = Verifier.detail(error)
            }
        }
        setAsideDamagedIndex = lookup.setAsideDamagedIndex
        if let detail = capturesUnreadable {
            report.record(
                .storeCorrupt, at: (report.head?.seq ?? 0) + 1, "SQLite cannot read the captures: \(detail)",
                stops: true)
            return
        }
        for p in captureFindings { report.record(p.code, at: p.seq, subject: p.subject, p.reason) }
        captureFindings = []
        report.withheld = withheld.sorted { Data($0.digest.utf8).lexicographicallyPrecedes(Data($1.digest.utf8)) }
        report.captures = .init(checked: checked, withheld: withheld.count, bytes: checkedBytes)
    }

    /// Captures no entry references: added outside temoin. Only scanned when the counts say so.
    private mutating func checkUnreferenced(_ db: Database, lookup: CaptureFinder) throws {
        let present = intact.count + known.values.filter { $0.status != .missing }.count
        let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM captures NOT INDEXED") ?? 0
        guard rows > present else { return }
        let digests = try Row.fetchCursor(
            db, sql: "SELECT rowid, \(ColumnBytes.select("digest")) FROM captures NOT INDEXED")
        while let row = try digests.next() {
            let rowid: Int64 = row["rowid"]
            let digest = ColumnBytes.text(row["digest"])
            if intact.contains(rowid) || known[DigestKey(digest)] != nil { continue }
            // A second row with an intact capture's digest is no capture of its own (the smallest rowid is).
            if let first = try lookup.find(digest), first != rowid, intact.contains(first) { continue }
            captureFindings.append(
                VerificationProblem(
                    seq: nil, code: .captureUnreferenced,
                    reason: "capture \(digest.prefix(12))… belongs to no entry (added outside temoin)", subject: digest)
            )
        }
    }

    /// §5: `YYYY-MM-DDTHH:MM:SS.mmmZ`, 24 ASCII characters, digits where the pattern has letters.
    static func isInstant(_ bytes: Data) -> Bool {
        let pattern = Array("dddd-dd-ddTdd:dd:dd.dddZ".utf8)
        guard bytes.count == pattern.count else { return false }
        for (b, p) in zip(bytes, pattern) {
            if p == UInt8(ascii: "d") ? !(0x30...0x39).contains(b) : b != p { return false }
        }
        return true
    }

    static func alteredReason(_ digest: String) -> String {
        "capture \(digest.prefix(12))… does not decode to its size or does not hash to its digest (bytes altered)"
    }

    static func missingReason(_ digest: String) -> String {
        "capture \(digest.prefix(12))… is referenced but absent (deleted)"
    }

    static func undatedReason(_ digest: String) -> String {
        "capture \(digest.prefix(12))… is withheld without a valid withheld_at time: nothing says when"
    }
}
