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
