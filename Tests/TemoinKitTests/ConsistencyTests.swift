import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// Doubts the record raises by itself, found before anything is written about it.
@Suite struct ConsistencyTests {
    @Test func datesAreFoundInFrenchAndEnglishText() {
        func day(_ s: String) -> String? {
            ConsistencyCheck.latestDate(in: s).map(TimeFormat.parisWallTime).map { String($0.prefix(10)) }
        }
        #expect(day("Récépissé expiré le 1er octobre 2026") == "2026-10-01")
        #expect(day("titre expirant le 12 décembre 2026, puis audience le 03/02/2027") == "2027-02-03")
        #expect(day("expires 2026-12-31") == "2026-12-31")
        #expect(day("expires on October 1, 2026") == "2026-10-01")
        #expect(day("sans date") == nil)
        #expect(day("le 31 février 2026") == nil)
        #expect(
            ConsistencyCheck.sentences("Récépissé expiré le 1er janvier 2027 ; CDI suspendu. Deux enfants.")
                == ["Récépissé expiré le 1er janvier 2027", "CDI suspendu.", "Deux enfants."])
    }

    @Test func samePageWithTwoOutcomesIsFound() {
        let found = ConsistencyCheck.samePageOutcomes([
            (2, "aa", .noSlot), (3, "aa", .noSlot), (4, "bb", .siteError), (5, "aa", .unexpected),
            (6, nil, .unreachable),
        ])
        #expect(found.count == 1)
        #expect(found[0].digest == "aa" && found[0].outcomes == [.noSlot, .unexpected])
        #expect(found[0].attempts.map(\.seq) == [2, 3, 5])
    }

    @Test func statusShowsTheSamePageClassifiedTwoWaysAndEarlyFacts() throws {
        let t0 = try #require(TimeFormat.parse("2026-11-02 09:15"))
        let (_, store, path) = try CaseBuilder.smallStore(
            [t0, t0.addingTimeInterval(86_400)], facts: "Titre de séjour expiré le 15 décembre 2026.", now: t0)
        let page = try Fixtures.data("legacy-aucune-plage.html")
        _ = try store.append(
            type: .attempt, captures: [PendingCapture(bytes: page, role: "page", mediaType: "text/html")],
            now: t0.addingTimeInterval(2 * 86_400)
        ) { body in
            body.provenance = .captured
            body.observedAt = TimeFormat.utc(t0.addingTimeInterval(2 * 86_400))
            body.timeBasis = .witnessed
            body.url = CaseBuilder.legacyBase + "/2"
            body.outcome = .unexpected
        }
        let r = try temoin(["status", "--lang", "fr"], store: path)
        let text = CaseBuilder.flat(r.stdout)
        #expect(text.contains("La même page (octets identiques, sha256:"))
        #expect(text.contains("résultats différents : aucun créneau (#2–3), page inattendue (#4)"))
        #expect(
            text.contains(
                "L'entrée n° 1, écrite le 2026-11-02 09:14:00 CET, mentionne une date postérieure (2026-12-15)"))
        #expect(text.contains("Attestations aucune"))
        #expect(!text.contains("448178"))
        let json = try temoin(["status", "--json"], store: path)
        let status = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        let consistency = try #require(status["consistency"] as? [String: Any])
        let same = try #require(consistency["same_page_two_outcomes"] as? [[String: Any]])
        #expect(same.count == 1 && (same[0]["attempts"] as? [[String: Any]])?.count == 3)
        let early = try #require(consistency["declared_before_date"] as? [[String: Any]])
        #expect(early.first?["source"] as? String == "facts" && early.first?["seq"] as? Int == 1)
        let rules = (status["advice"] as? [[String: Any]])?.compactMap { $0["rule"] as? String } ?? []
        #expect(rules.contains("same_page_two_outcomes") && rules.contains("declared_before_date"))
    }

    @Test func theKeepGoingAdviceCitesNoUnverifiedDecision() {
        for lang in Language.allCases {
            let text = Messages.shared.text("status.advice.keep_going", [:], language: lang)
            #expect(!text.contains("448178") && !text.contains("228"))
        }
        // Nowhere in what temoin ships: messages, templates.
        for (key, entry) in Messages.shared.catalogue {
            for text in entry.values { #expect(!text.contains("448178"), "\(key)") }
        }
        let templates = DossierTemplates.shippedFolder!
        for lang in ["fr", "en"] {
            for name in DossierTemplates.names {
                let text = (try? String(contentsOfFile: "\(templates)/\(lang)/\(name).mustache", encoding: .utf8)) ?? ""
                #expect(!text.isEmpty && !text.contains("448178"), "\(lang)/\(name)")
            }
        }
    }
}
