import Foundation
import TestSupport
import Testing

@testable import TemoinKit

@Suite struct LocalizationTests {
    /// Keys used in the sources: `tr("key"...)` literally, or `"prefix.\(...)"` families.
    static func keysUsedInSources() throws -> (literal: Set<String>, families: Set<String>) {
        var literal = Set<String>()
        var families = Set<String>()
        let sources = repositoryRoot.appendingPathComponent("Sources")
        let walker = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        let literalRe = try NSRegularExpression(pattern: #"tr\("([a-z_]+\.[a-z_.]+)""#)
        let familyRe = try NSRegularExpression(pattern: #"tr\("((?:[a-z_]+\.)+)\\\("#)
        for case let url as URL in walker where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            for m in literalRe.matches(in: text, range: range) {
                literal.insert(String(text[Range(m.range(at: 1), in: text)!]))
            }
            for m in familyRe.matches(in: text, range: range) {
                families.insert(String(text[Range(m.range(at: 1), in: text)!]))
            }
        }
        return (literal, families)
    }

    @Test func everyMessageExistsInEnglishAndFrenchWithTheSamePlaceholders() throws {
        let catalogue = Messages.shared.catalogue
        #expect(catalogue.count > 50)
        #expect(Messages.shared.duplicateKeys.isEmpty, "keys defined in two catalogue files")
        let placeholder = try NSRegularExpression(pattern: #"\{[a-z_]+\}"#)
        func names(_ s: String) -> Set<String> {
            Set(
                placeholder.matches(in: s, range: NSRange(s.startIndex..., in: s)).map {
                    String(s[Range($0.range, in: s)!])
                })
        }
        for (key, entry) in catalogue {
            let en = try #require(entry["en"], "\(key) has no English")
            let fr = try #require(entry["fr"], "\(key) has no French")
            #expect(!en.isEmpty && !fr.isEmpty, "\(key)")
            #expect(names(en) == names(fr), "\(key): placeholders differ")
        }
    }

    @Test func everyKeyTheCodeUsesIsInTheCatalogue() throws {
        let (literal, families) = try Self.keysUsedInSources()
        #expect(literal.count > 40)
        let catalogue = Messages.shared.catalogue
        for key in literal { #expect(catalogue[key] != nil, "missing translation: \(key)") }
        // Families are filled from enums: every value must have its message.
        let expected: [String: [String]] = [
            "outcome.": Outcome.allCases.map(\.rawValue), "provenance.": Provenance.allCases.map(\.rawValue),
            "type.": ["attempt", "case_opened", "case_amended", "step", "step_followup", "step_check", "note"],
            "step.kind.": StepKind.allCases.map(\.rawValue), "step.followup.": FollowUpKind.allCases.map(\.rawValue),
            "step.date_basis.": ["declared", "email_date"], "step.role.": ProofRole.allCases.map(\.rawValue),
            "step.doubt.": [
                "followup_before_step", "email_date_differs", "dkim_not_checked", "dkim_failed", "email_field_repeated",
            ],
            "step.looks_like.": ProofFormat.allCases.map(\.rawValue),
            "dkim.result.": DKIMResult.allCases.map(\.rawValue), "dkim.reason.": DKIMReason.allCases.map(\.rawValue),
            "note.kind.": NoteKind.known.map(\.rawValue),
            "time_basis.": ["witnessed", "declared", "file_mtime"],
            "url_source.": ["option", "saved_from_comment", "canonical_link", "og_url", "mhtml_header"],
            "attempt.failure.": [
                "dns", "refused", "timeout", "tls", "reset", "too_many_redirects", "private_address", "other",
            ],
            "exit.": ExitStatus.documented.map(\.description),
            "security.verify.documents.": ["identical", "altered", "not_compared"],
            "init.ask.": ["applicant", "prefecture", "procedure", "booking_url", "facts"],
            "status.advice.": Advice.Rule.allCases.map(\.rawValue),
            "status.band.": CaseStatistics.HourBand.allCases.map(\.rawValue),
            "status.obtained.": Provenance.allCases.map(\.rawValue),
            "trust.state.": ["trusted", "valid_untrusted", "invalid"],
            "show.ended_by.": ["outcome", "person"],
            "skip.": SkipReason.allCases.map(\.rawValue) + ["?"],
            "set_aside.reason.": SetAsideReason.allCases.map(\.rawValue),
            "visibility.doubt.": VisibilityDoubt.allCases.map(\.rawValue),
            "visibility.basis.": ["markup", "browser", "status"],
            "profile_basis.": ProfileBasis.allCases.map(\.rawValue),
            "doctor.mark.": ["ok", "warning", "problem", "skipped"],
            "doctor.kind.": DoctorCheck.Kind.allCases.map(\.rawValue),
            // Not through tr(): verify explains each problem code in French (VerifyCommand).
            "verify.problem.": [
                "body_invalid", "capture_altered", "capture_missing", "capture_unreferenced", "entries_truncated",
                "entry_missing", "hash_mismatch", "head_mismatch", "head_not_as_expected", "meta_invalid",
                "prev_mismatch", "schema_altered", "seq_mismatch", "store_corrupt",
            ],
        ]
        #expect(families.count >= 9)
        for family in families {
            // A family of keys filled from data must be listed here, so that its values are checked.
            #expect(expected[family] != nil, "tr(\"\(family)\\(...)\") is used: list its values in this test")
        }
        for family in expected.keys {
            for value in expected[family]! {
                #expect(catalogue[family + value] != nil, "missing translation: \(family)\(value)")
            }
        }
        for error in [
            TemoinError.storeMissing(path: "p"), .invalidDate(value: "x"), .notHTML(path: "p", looksLike: "PNG"),
        ] {
            #expect(Messages.shared.text("error.store_missing", ["path": "p"], language: .fr).contains("registre"))
            #expect(!error.description.contains("error."))
        }
    }

    /// The executable prints no sentence of its own: words go through tr() (values, URLs and the
    /// page's own message are not sentences of ours).
    @Test func theExecutablePrintsNoLiteralSentence() throws {
        let folder = repositoryRoot.appendingPathComponent("Sources/temoin")
        let sentence = try NSRegularExpression(
            pattern: #"(print|printError|ValidationError|write)\(\s*"[^"\\]*[A-Za-z]{2,} [A-Za-z]{2,}"#)
        var checked = 0
        let names = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        for name in names where name.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            checked += 1
            for m in sentence.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                Issue.record("\(name): a sentence printed without tr(): \(text[Range(m.range, in: text)!])")
            }
        }
        #expect(checked >= 40)
    }

    @Test func theLanguageComesFromTheEnvironment() {
        #expect(Language.fromEnvironment(["LANG": "fr_FR.UTF-8"]) == .fr)
        #expect(Language.fromEnvironment(["LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"]) == .en)
        #expect(Language.fromEnvironment(["LANG": "C.UTF-8"]) == .en)
        #expect(Language.fromEnvironment([:]) == .en)
    }
}
