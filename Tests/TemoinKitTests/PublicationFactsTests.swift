import Foundation
import Testing

@testable import TemoinKit

/// `PublicationFacts` reads the prefecture's publication dates by hand; these regular expressions are
/// the reading it replaced, and the one it must keep.
@Suite struct PublicationFactsTests {
    static let expressions: [PublicationFacts.Kind: NSRegularExpression] = [
        .last: try! NSRegularExpression(
            pattern:
                #"derni[eè]re mise en ligne de (?:nouveaux )?rendez-vous ?: ?le (\d{1,2})/(\d{1,2})/(\d{4})(?: [àa] (\d{1,2}) ?[h:] ?(\d{2}))?(?: pour des cr[ée]neaux de la semaine du (\d{1,2})/(\d{1,2})/(\d{4}))?"#
        ),
        .next: try! NSRegularExpression(
            pattern:
                #"prochaine mise en ligne de (?:nouveaux )?rendez-vous ?: ?le (\d{1,2})/(\d{1,2})/(\d{4})(?: [àa] (\d{1,2}) ?[h:] ?(\d{2}))?(?: pour des cr[ée]neaux de la semaine du (\d{1,2})/(\d{1,2})/(\d{4}))?"#
        ),
    ]

    /// What the regular expression captures, in the shape of `PublicationFacts.Statement`.
    static func expected(_ kind: PublicationFacts.Kind, _ text: String) -> PublicationFacts.Statement? {
        let re = expressions[kind]!
        guard let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ i: Int) -> String? { Range(m.range(at: i), in: text).map { String(text[$0]) } }
        var s = PublicationFacts.Statement(date: [group(1)!, group(2)!, group(3)!])
        if let h = group(4), let mi = group(5) { s.time = [h, mi] }
        if let d = group(6), let mo = group(7), let y = group(8) { s.week = [d, mo, y] }
        return s
    }

    @Test func readsTheStatementsOfRealPages() {
        let text =
            "dernière mise en ligne de rendez-vous : le 18/11/2026 à 09:00 pour des créneaux de la semaine du 30/11/2026"
        #expect(
            PublicationFacts.statement(.last, in: text)
                == .init(date: ["18", "11", "2026"], time: ["09", "00"], week: ["30", "11", "2026"]))
        #expect(
            PublicationFacts.statement(
                .next, in: "prochaine mise en ligne de nouveaux rendez-vous : le 25/11/2026 à 9h00")
                == .init(date: ["25", "11", "2026"], time: ["9", "00"]))
        #expect(PublicationFacts.statement(.next, in: text) == nil)
    }

    /// Thousands of variants of the statements, each piece kept, changed or dropped at random (with a
    /// fixed seed): every one read as the regular expression reads it.
    @Test func readsEveryVariantAsTheRegularExpressionDoes() {
        var rng = SeededRandom(seed: 20_261_207)
        // The first option is the statement's own; it is taken three times in four, so that about one
        // variant in ten is a statement and the others differ from one by a piece or two.
        func pick(_ options: [String]) -> String {
            rng.next() % 4 != 0 ? options[0] : options[Int(rng.next() % UInt64(options.count))]
        }
        let odd = ["", "123", "20261", "٣", "1٣", "𝟏𝟖", "0", "00", "99", "7"]
        func number(_ usual: String) -> String { pick([usual] + odd) }
        var disagreements: [String] = []
        // How many variants are statements, with a time, with a week: the variants must exercise each.
        var read = [0, 0, 0]
        for _ in 0..<4000 {
            let parts: [String] = [
                pick(["", "voir la ", "dernière ", "x"]),
                rng.next() % 2 == 0 ? "prochaine" : pick(["dernière", "derniere", "dernire", "prochaine "]),
                pick([" mise en ligne de ", " mise en ligne de", " mise en ligne  de "]),
                pick(["", "nouveaux ", "nouveau "]),
                pick(["rendez-vous", "rendez vous"]),
                pick([" : ", ": ", " :", ":", "  : "]),
                pick(["le ", "le", "les "]),
                number("18"), pick(["/", "-", ""]), number("11"), pick(["/", ""]), number("2026"),
                pick([" à ", "", " a ", " à", "à "]), number("09"), pick(["h", ":", " h ", " h", "h ", "", "m"]),
                number("00"),
                pick([" pour des créneaux de la semaine du ", "", " pour des creneaux de la semaine du ", " pour "]),
                number("30"), pick(["/", ""]), number("11"), pick(["/", ""]), number("2026"),
                pick(["", ".", " et dernière mise en ligne de rendez-vous : le 1/2/2027"]),
            ]
            let text = parts.joined()
            for kind in [PublicationFacts.Kind.last, .next] {
                let statement = PublicationFacts.statement(kind, in: text)
                if statement != Self.expected(kind, text) { disagreements.append("\(kind): \(text)") }
                if let statement {
                    read[0] += 1
                    if statement.time != nil { read[1] += 1 }
                    if statement.week != nil { read[2] += 1 }
                }
            }
        }
        let agree = disagreements.isEmpty
        #expect(agree, "\(disagreements.count) disagreements, among them \(disagreements.prefix(3))")
        #expect(read.allSatisfy { $0 >= 20 }, "statements, with a time, with a week: \(read)")
    }
}
