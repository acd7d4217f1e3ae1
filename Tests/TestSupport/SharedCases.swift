// Cases several test targets build with TemoinKit's internal API (debug builds only, like
// CaseBuilder+Attempts.swift).
#if DEBUG
    import Foundation
    import GRDB
    import Testing

    @testable import TemoinKit

    /// An attestation of `store`'s head signed by a fresh key, with the name and organisation given, as
    /// anyone can make one (the signature proves only that some key signed it).
    package func hostileAttestation(_ store: Store, name: String, organisation: String = "La Cimade") throws
        -> AttestationFile
    {
        let key = VolunteerKey.generate()
        let head = try #require(try store.head())
        let statement = AttestationStatement(
            storeID: store.storeID, seq: head.seq, head: head.hash, attestedAt: TimeFormat.utc(Date()), name: name,
            organisation: organisation, verdict: "intact", publicKey: key.publicKeyBase64)
        let bytes = try statement.canonicalBytes()
        let signature = try key.key.signature(for: AttestationStatement.message(bytes))
        return AttestationFile(
            statement: String(decoding: bytes, as: UTF8.self), signature: signature.base64EncodedString())
    }

    /// Puts an attestation straight into the store's table, as a hostile party with sqlite3 would.
    package func plantAttestation(_ path: String, _ file: AttestationFile) throws {
        try tamper(
            path, "INSERT INTO attestations (statement, signature, added_at) VALUES (?, ?, ?)",
            arguments: [Data(file.statement.utf8), file.signature, TimeFormat.utc(Date())])
    }

    /// A store with the case and five imported attempts, two of which share a capture.
    package func populatedStore() throws -> (TempDir, Store) {
        let (dir, store) = try makeStore()
        let importer = try Importer(store: store)
        let pages = [
            "rdv-creneau-aucun.html", "legacy-aucune-plage.html", "rdv-creneau-aucun.html",
            "legacy-aucune-plage-latin1.html",
            "rdv-cgu-captcha.html",
        ]
        for (i, page) in pages.enumerated() {
            let at = try #require(TimeFormat.parse(String(format: "2026-11-%02dT%02d:30", 10 + i, 7 + i)))
            _ = try importer.importFile(Fixtures.page(page), options: ImportOptions(observedAt: at))
        }
        return (dir, store)
    }

    /// Both verifiers on one file: `Verification` (temoin verify) and docs/verify_reference.py, compared
    /// on everything docs/FORMAT.md §6 makes comparable.
    package struct BothVerifiers {
        package let ours: VerificationReport
        package let theirs: [String: Any]
        package let referenceStatus: Int32

        /// `seq:code` of each problem, in report order (null seqs as `-`).
        package var codes: [String] { ours.problems.map { "\($0.seq.map(String.init) ?? "-"):\($0.code)" } }

        package static func check(
            _ path: String, expectHead: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
        )
            throws -> BothVerifiers
        {
            let expected = try expectHead.map { try #require(ExpectedHead(parsing: $0)) }
            let ours = try Verification(path: path, expectedHead: expected).run()
            let script = repositoryRoot.appendingPathComponent("docs/verify_reference.py").path
            let r = try run(
                "/usr/bin/env", ["python3", script, path, "--json"] + (expectHead.map { ["--expect-head", $0] } ?? []))
            let theirs = (try? JSONSerialization.jsonObject(with: r.stdoutData)) as? [String: Any] ?? [:]
            let both = BothVerifiers(ours: ours, theirs: theirs, referenceStatus: r.status)
            #expect(
                r.status == (ours.verdict == .intact ? 0 : 1), "reference exit \(r.status): \(r.stderr)",
                sourceLocation: sourceLocation)
            #expect(theirs["verdict"] as? String == ours.verdict.rawValue, sourceLocation: sourceLocation)
            let theirCodes = (theirs["problems"] as? [[String: Any]] ?? []).map {
                "\(($0["seq"] as? NSNumber).map { String($0.int64Value) } ?? "-"):\($0["code"] as? String ?? "")"
            }
            #expect(theirCodes == both.codes, sourceLocation: sourceLocation)
            #expect(
                (theirs["first_bad_seq"] as? NSNumber)?.int64Value == ours.firstBadSeq, sourceLocation: sourceLocation)
            #expect(
                (theirs["head"] as? [String: Any])?["hash"] as? String == ours.head?.hash,
                sourceLocation: sourceLocation)
            #expect(
                (theirs["entries"] as? Int) == ours.entries && (theirs["attempts"] as? Int) == ours.attempts,
                sourceLocation: sourceLocation)
            let counts = theirs["captures"] as? [String: Any]
            #expect(counts?["checked"] as? Int == ours.captures.checked, sourceLocation: sourceLocation)
            #expect((counts?["bytes"] as? NSNumber)?.int64Value == ours.captures.bytes, sourceLocation: sourceLocation)
            #expect(counts?["withheld"] as? Int == ours.captures.withheld, sourceLocation: sourceLocation)
            let withheld = (theirs["withheld"] as? [[String: Any]] ?? []).map {
                "\($0["digest"] as? String ?? ""):\(($0["seqs"] as? [Int]) ?? [])"
            }
            #expect(withheld == ours.withheld.map { "\($0.digest):\($0.seqs)" }, sourceLocation: sourceLocation)
            let expectation = theirs["expected_head"] as? [String: Any]
            #expect((expectation?["matches"] as? Bool) == ours.expectedHead?.matches, sourceLocation: sourceLocation)
            #expect((expectation == nil) == (ours.expectedHead == nil), sourceLocation: sourceLocation)
            return both
        }
    }

    extension Fixtures {
        /// A folder as a person's Downloads might hold it.
        package static func downloads() throws -> TempDir {
            let dir = TempDir()
            let page = try Fixtures.data("rdv-creneau-aucun.html")
            dir.write("2026-11/lundi/creneau.html", page, modified: Date(timeIntervalSince1970: 1_795_000_000))
            dir.write("2026-11/mardi/semaine.htm", try Fixtures.data("rdv-creneau-semaine.html"))
            // A complete save: the page and its folder, which holds a frame saved as .html.
            dir.write("2026-11/complet/Prendre un rendez-vous.html", try Fixtures.data("legacy-aucune-plage.html"))
            dir.write("2026-11/complet/Prendre un rendez-vous_files/style.css", "body{}")
            dir.write(
                "2026-11/complet/Prendre un rendez-vous_files/cadre.html", "<html><body><p>cadre</p></body></html>")
            dir.write("2026-11/notes.txt", "tentative de lundi")
            dir.write("2026-11/.DS_Store", Data([0, 0, 0, 1]))
            dir.write("2026-11/orphelin_files/logo.png", Data([0x89, 0x50, 0x4E, 0x47]))
            dir.write("2026-11/archive.mhtml", try Fixtures.data("single-file.mhtml"))
            try FileManager.default.createSymbolicLink(
                atPath: dir.file("2026-11/raccourci"), withDestinationPath: dir.file("2026-11/lundi"))
            return dir
        }
    }
#endif
