import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// The small results commands print: their `--json` keys as before, and their lines.
@Suite struct CommandReportsTests {
    func object<T: Encodable>(_ value: T) throws -> [String: Any] {
        try #require(
            JSONSerialization.jsonObject(with: Data(JSONOutput.string(value).utf8)) as? [String: Any])
    }

    @Test func aNewKeyNamesBothFilesAndItsFingerprint() throws {
        let report = KeyCreatedReport(path: "/tmp/v.key", fingerprint: "ab12")
        let json = try object(report)
        #expect(json["private_key"] as? String == "/tmp/v.key")
        #expect(json["public_key"] as? String == "/tmp/v.key.pub")
        #expect(json["fingerprint"] as? String == "ab12")
        #expect(report.lines.count == 2)
        #expect(report.lines[0].contains("/tmp/v.key.pub"))
        #expect(report.lines[1].contains("ab12"))
    }

    @Test func aNewKeyIsWrittenWithItsPublicHalfAndNeverOverAnother() throws {
        let dir = TempDir()
        let report = try KeyCreatedReport.create(at: dir.file("benevole.key"))
        #expect(try object(report)["public_key"] as? String == dir.file("benevole.key.pub"))
        let fingerprint = try VolunteerKey.fingerprint(publicKeyFile: dir.file("benevole.key.pub"))
        #expect(try object(report)["fingerprint"] as? String == fingerprint)
        #expect(throws: TemoinError.self) { try KeyCreatedReport.create(at: dir.file("benevole.key")) }
    }

    @Test func theLogIsEveryEntryOrTheAttemptsOnly() throws {
        let (_, store) = try populatedStore()
        _ = try store.addNote(about: 2, text: "Capture faite depuis la bibliothèque")
        let all = try EntryView.log(store, attemptsOnly: false)
        let attempts = try EntryView.log(store, attemptsOnly: true)
        #expect(all.map(\.seq) == Array(1...7))
        #expect(attempts.map(\.seq) == Array(2...6))
        #expect(attempts.allSatisfy { $0.type == EntryType.attempt.rawValue })
    }

    @Test func aProfileIsARuleFileWhenOneIsThereElseAShippedOne() throws {
        let dir = TempDir()
        let shipped = try RuleSet.load(fileOrName: "rdv-prefecture")
        #expect(shipped.id == (try RuleSet.loadBuiltIn("rdv-prefecture")).id)
        let file = dir.write(
            "rdv-prefecture",
            try Data(
                contentsOf: try #require(
                    Installation.current.resource("profiles/rdv-prefecture.json"))))
        #expect(try RuleSet.load(fileOrName: file).id == shipped.id)
        #expect(throws: TemoinError.unknownProfile(name: "nulle-part")) { try RuleSet.load(fileOrName: "nulle-part") }
    }

    @Test func doctorAndStatusExitOneOnlyForWhatTheySaw() throws {
        #expect(DoctorReport(checks: []).exitStatus == .success)
        let (_, store) = try populatedStore()
        #expect(try CaseStatus.compute(path: store.path).exitStatus == .success)
        try tamper(store.path, "DELETE FROM entries WHERE seq >= 5")
        #expect(try CaseStatus.compute(path: store.path).exitStatus == .tampered)
    }

    @Test func addingATSASaysSoAndThatCredentialsInItsAddressWereNotKept() throws {
        let (_, store) = try makeStore()
        let added = { (url: String) in Utterance.line(tr("trust.tsa.added", ["url": url])) }
        #expect(try store.addTSAAndTell(url: "http://127.0.0.1:9/tsa", name: nil) == [added("http://127.0.0.1:9/tsa")])
        let said = try store.addTSAAndTell(url: "https://alice:s3cret@127.0.0.1:8443/tsr", name: "Test TSA")
        let notKept = tr("trust.credentials.not_kept", ["netrc": TSACredentials.netrcPath()])
        #expect(said == [added("https://127.0.0.1:8443/tsr"), .problem(notKept)])
        #expect(try store.tsas().map(\.url) == ["http://127.0.0.1:9/tsa", "https://127.0.0.1:8443/tsr"])
    }

    @Test func aNoteIsWrittenWithItsTimeAsAPersonWritesIt() throws {
        let (_, store) = try populatedStore()
        let report = try store.addNote(
            about: 2, text: "Essai depuis la médiathèque", kind: .comment, at: "2026-11-12 09:00")
        let json = try object(report)
        #expect(json["about"] as? Int == 2 && json["seq"] as? Int == 7)
        #expect(throws: TemoinError.self) { try store.addNote(about: 2, text: "Essai", kind: nil, at: "hier") }
        #expect(try store.head()?.seq == 7)
    }

    @Test func anAmendmentIsRecordedOnlyWhenTheValueChangesAndTheStepListEndsWithTheHead() throws {
        let (_, store) = try makeStore()
        let prefecture = try store.caseRecord().fields.prefecture
        #expect(
            try CaseAmendedReport.amend(store, field: "prefecture", value: prefecture, reason: nil).changed == false)
        let amended = try CaseAmendedReport.amend(
            store, field: "prefecture", value: "Préfecture de police", reason: "erreur")
        #expect(amended.changed && amended.seq == 2)
        let lines = try StepText.listLines(try StepLedger(store: store), store: store)
        #expect(lines == [tr("step.list.none"), try #require(try store.head()?.line)])
    }

    @Test func anAmendmentSaysWhetherAnythingChanged() throws {
        let (_, store) = try makeStore()
        let entry = try store.amendCase(field: "procedure", value: "Titre de séjour étudiant", reason: nil)
        let changed = CaseAmendedReport(field: "procedure", entry: entry)
        let json = try object(changed)
        #expect(Set(json.keys) == ["changed", "seq", "hash"])
        #expect(json["changed"] as? Bool == true)
        #expect(changed.lines == [tr("case.amended", ["field": "procedure", "seq": String(entry?.seq ?? 0)])])
        let unchanged = CaseAmendedReport(field: "procedure", entry: nil)
        #expect(try object(unchanged)["changed"] as? Bool == false)
        #expect(unchanged.lines == [tr("case.unchanged", ["field": "procedure"])])
    }

    @Test func theTrustFolderListsCertificatesWithTheirFilesButNotInJSON() throws {
        let listing = TrustFolder.Listing(
            folder: "/home/a/.config/temoin/trust", certificates: ["CN=TSA"], sources: ["tsa.pem"])
        let report = TrustFolderReport(listing)
        #expect(Set(try object(report).keys) == ["folder", "certificates"])
        #expect(report.lines.count == 2)
        #expect(report.lines[1] == "  CN=TSA  (tsa.pem)")
    }

    @Test func aStepCheckSaysWhyNothingWasRecorded() throws {
        let report = StepCheckReport(seq: 4, outcome: StepCheckOutcome(emails: [], entry: nil))
        #expect(report.lines(head: nil) == [tr("step.check.nothing_new")])
        #expect(Set(try object(report).keys) == ["seq", "emails"])
    }

    @Test func theSimulatorsBannerShowsHTTPSAndTheHooksOnlyWhenOn() {
        let plain = SimulatorText.banner(baseURL: "http://127.0.0.1:8080", httpsBaseURL: nil, testHooks: false)
        #expect(plain.count == 4)
        #expect(!plain.contains(SimulatorText.testHooksWarning))
        let full = SimulatorText.banner(
            baseURL: "http://127.0.0.1:8080", httpsBaseURL: "https://127.0.0.1:8443", testHooks: true)
        #expect(full.contains("  https://127.0.0.1:8443/booking/create/4963/0"))
        #expect(full.contains(SimulatorText.testHooksWarning))
        #expect(full.last == tr("simulate.stop"))
    }
}

/// The lists commands print: one line per item, or the sentence for an empty list.
@Suite struct ListTextTests {
    @Test func anEmptyListIsSaidAsSuch() {
        #expect(TrustText.sealLines([]) == [tr("trust.seal.none")])
        #expect(TrustText.tsaLines([]) == [tr("trust.tsa.none")])
        #expect(TrustText.attestationLines([]) == [tr("trust.attestation.none")])
    }

    @Test func aTSAShowsItsNameWhenItHasOne() throws {
        let (_, store) = try makeStore()
        _ = try store.addTSA(url: "http://127.0.0.1:9/tsa", name: "Test TSA")
        _ = try store.addTSA(url: "http://127.0.0.1:9/other", name: nil)
        let lines = TrustText.tsaLines(try store.tsas())
        #expect(lines.sorted() == ["http://127.0.0.1:9/other", "http://127.0.0.1:9/tsa  (Test TSA)"])
    }

    @Test func profilesAreListedByIdentifierThenName() throws {
        let sets = try RuleSet.builtInNames.map(RuleSet.loadBuiltIn)
        let lines = ProfileText.listLines(sets)
        #expect(lines.count == sets.count)
        for (line, set) in zip(lines, sets) {
            #expect(line.hasPrefix(set.id))
            #expect(line.hasSuffix(" " + set.name))
            #expect(line.count >= 21)
        }
    }
}
