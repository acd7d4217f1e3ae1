import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// The structures that exist for speed give the same answers as the plain code they replaced.
@Suite struct AnalysisFastPathTests {
    /// The expression `Charset.metaCharset` used to run; its byte reader must capture the same label.
    static let metaPattern = try! NSRegularExpression(
        pattern: #"<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"#, options: [.caseInsensitive])

    static func byExpression(_ head: String) -> String? {
        var ascii = [UInt8](head.utf8)
        for i in ascii.indices where ascii[i] >= 0x80 { ascii[i] = 0x20 }
        let text = String(decoding: ascii, as: UTF8.self)
        guard let m = metaPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let r = Range(m.range(at: 1), in: text)
        else { return nil }
        return String(text[r])
    }

    @Test func metaCharsetReadsWhatTheExpressionCaptured() {
        let heads = [
            #"<html><head><meta charset="utf-8"><title>x</title>"#,
            #"<META HTTP-EQUIV="Content-Type" CONTENT="text/html; CHARSET=iso-8859-15">"#,
            "<meta charset\n =\t' windows-1252' >",
            "<meta charset\u{0B}=latin1>",
            #"<meta name="description" content="charset=a" charset = 'utf-8' >"#,
            #"<meta name="a"><meta http-equiv="content-type" content="text/html;charset=UTF-8">"#,
            "<meta charset=><meta charset=utf8>",
            "<meta <meta charset=x.y:z_1-2>",
            "<metacharset=utf-8>",
            "<meta>charset=utf-8",
            "<meta charset=\"\">",
            "<p>charset=utf-8</p>",
            "<meta charset=é-utf8>",
            "<meta charset=utf-8 charset=latin1>",
            "<meta content=\"charset=ko\u{00A0}charset=utf-16\">",
            "",
            "<meta",
            "<meta charset",
        ]
        for head in heads {
            #expect(Charset.metaCharset(Data(head.utf8)) == Self.byExpression(head), "\(head)")
        }
    }

    @Test func blocksHoldingAMarkerAreTheBlocksThatContainIt() {
        let blocks = [
            "Aucun créneau disponible", "  AUCUN  CRÉNEAU ", "Rendez-vous", "aucun créneau disponible, aucun créneau",
            "créneau", "Disponible", "«\u{00A0}Aucun créneau\u{00A0}»", "",
        ]
        let normalized = NormalizedBlocks(blocks)
        #expect(normalized.count == blocks.count)
        for (i, block) in blocks.enumerated() {
            #expect(normalized.string(i) == TextNormalizer.forMatching(block))
        }
        for marker in [
            "aucun créneau", "disponible", "créneau", "rendez-vous", "absent", "disponible aucun", "\"aucun", "",
        ] {
            let expected = blocks.indices.filter {
                TextNormalizer.contains(TextNormalizer.forMatching(blocks[$0]), marker)
            }
            #expect(normalized.blocks(containing: marker) == expected, "\(marker)")
        }
        #expect(NormalizedBlocks([]).blocks(containing: "a").isEmpty)
        #expect(normalized.blocks(containing: "zéro").isEmpty)  // no "z" on the page: not searched
        for lines in [blocks, [], [""], ["a"], ["é", "", "b"]] {
            #expect(PageAnalyzer.lines(lines) == lines.joined(separator: "\n"))
        }
    }

    @Test func normalisingIntoABufferIgnoresWhatItHolds() {
        var buffer = Array("x".utf8)
        TextNormalizer.appendForMatching("  Le  « Guichet »\u{00A0}", to: &buffer)
        #expect(
            String(decoding: buffer, as: UTF8.self) == "x" + TextNormalizer.forMatching("  Le  « Guichet »\u{00A0}"))
        #expect(TextNormalizer.forMatching("RENDEZ-VOUS `Préfecture` DU RHÔNE") == "rendez-vous 'préfecture' du rhône")
    }

    /// Pieces of text the plain path takes and some it must leave to the general one (quotes, other
    /// spaces, soft hyphens, combining marks, other scripts), drawn at random and joined.
    static let pieces = [
        "a", "Z", "é", "É", "À", "Þ", "ß", "×", "÷", "ÿ", "’", "‘", "–", "—", "…", "`", "'", "-", ".", " ", "  ",
        "\t", "\n", "\"", "«", "»", "“", "”", "\u{00A0}", "\u{202F}", "\u{00AD}", "\u{200B}", "\u{2032}",
        "e\u{0301}", "İ", "Σ", "Ω", "\u{2000}", "\u{1}", "\u{7F}", "7", "RDV", "créneau", "Préfecture",
        "AUCUN", "rendez-vous", "«\u{00A0}Suivant\u{00A0}»", "d’attente",
    ]

    @Test func plainNormalisationIsTheGeneralOne() {
        var random = SeededRandom(seed: 20_261_207)
        var plain = 0
        for round in 0..<20_000 {
            var text = ""
            for _ in 0..<random.range(0...12) { text += Self.pieces[random.below(Self.pieces.count)] }
            // Half of the texts as a page's blocks are, whitespace collapsed: most take the plain path.
            if round % 2 == 0 { text = TextNormalizer.collapseWhitespace(text) }
            var general = Array("x".utf8)
            TextNormalizer.appendAnyForMatching(text, to: &general)
            var fast = Array("x".utf8)
            var bytes = text
            if bytes.withUTF8({ TextNormalizer.appendPlainForMatching($0, to: &fast) }) {
                plain += 1
                #expect(fast == general, "\(text.debugDescription)")
            } else {
                #expect(fast == Array("x".utf8), "\(text.debugDescription)")  // left as it was
            }
            var both = Array("x".utf8)
            TextNormalizer.appendForMatching(text, to: &both)
            #expect(both == general, "\(text.debugDescription)")
        }
        // Both paths were compared, on thousands of texts each.
        #expect(plain > 2_000 && plain < 18_000, "\(plain)")
        var none: [UInt8] = []
        #expect(
            "Dernière mise en ligne – d’« aucun »".utf8.withContiguousStorageIfAvailable {
                TextNormalizer.appendPlainForMatching($0, to: &none)
            } == false)
        #expect(none.isEmpty)
        #expect(TextNormalizer.forMatching("ÀÉ×Þ À L’ÉCOLE… — `OK`") == "àé×þ à l'école... - 'ok'")
    }

    /// `NoticeShape.firstOccurrence` finds what Foundation's `range(of:)` finds.
    @Test func markerPositionIsFoundationsOne() {
        var random = SeededRandom(seed: 7)
        let words = ["aucun", "créneau", "\"", "(", ".", " ", "e", "\u{0301}", "é", "a", "un"]
        for _ in 0..<5_000 {
            var text = ""
            for _ in 0..<random.range(0...10) { text += words[random.below(words.count)] }
            var marker = ""
            for _ in 0..<random.range(1...3) { marker += words[random.below(words.count)] }
            // Both in NFC, as normalised text is (a letter may still carry a mark with no composed form).
            text = text.precomposedStringWithCanonicalMapping
            marker = marker.precomposedStringWithCanonicalMapping
            #expect(
                NoticeShape.firstOccurrence(of: marker, in: text) == text.range(of: marker)?.lowerBound,
                "\(text.debugDescription) \(marker.debugDescription)")
        }
    }

    /// `TextNormalizer.collapseWhitespace(utf8:)`, which writes into a scratch buffer, gives what
    /// collapsing the (repaired) text scalar by scalar gives, for short, long and invalid texts.
    @Test func collapsingBytesIsCollapsingTheirText() {
        func reference(_ text: String) -> String {
            var out = String.UnicodeScalarView()
            var pending = false
            for u in text.unicodeScalars {
                if u.properties.isWhitespace {
                    pending = !out.isEmpty
                } else if u.value != 0xAD && u.value != 0x200B {
                    if pending { out.append(" ") }
                    pending = false
                    out.append(u)
                }
            }
            return String(out)
        }
        var random = SeededRandom(seed: 2026)
        let pieces: [[UInt8]] = [
            Array("Aucun".utf8), Array("créneau".utf8), [0x20], [0x0A, 0x20, 0x20], [0x09], Array("\u{00A0}".utf8),
            Array("\u{00AD}".utf8), Array("\u{200B}".utf8), Array("\u{2003}".utf8), Array("\u{3000}".utf8),
            Array("’".utf8), [0xFF], [0xC3], [0xE2, 0x80], Array(repeating: UInt8(ascii: "x"), count: 700),
        ]
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.range(0...8) { bytes += pieces[random.below(pieces.count)] }
            let collapsed = bytes.withUnsafeBufferPointer { TextNormalizer.collapseWhitespace(utf8: $0) }
            #expect(collapsed == reference(String(decoding: bytes, as: UTF8.self)), "\(bytes.prefix(40))")
        }
    }

    /// `NoticeShape.sentenceCount` counts the sentences `NoticeShape.sentences` makes.
    @Test func sentenceCountIsTheNumberOfSentences() {
        var random = SeededRandom(seed: 11)
        let pieces = [
            "Aucun", "créneau", " ", "  ", ".", "!", "?", "a", "\u{00A0}", "\t", "\u{2003}", "e\u{0301}", " \u{0301}",
            "…",
        ]
        for _ in 0..<5_000 {
            var text = ""
            for _ in 0..<random.range(0...16) { text += pieces[random.below(pieces.count)] }
            #expect(NoticeShape.sentenceCount(text) == NoticeShape.sentences(text).count, "\(text.debugDescription)")
        }
        #expect(NoticeShape.sentenceCount("Aucun créneau. Revenez demain ! Merci. Au revoir") == 4)
    }

    @Test func nfcIsSkippedOnlyWhereItChangesNothing() {
        let plain = ["Aujourd’hui « aucun » créneau… – 12 €", "\u{2002}\u{202F}\u{2030}\u{20AC}\u{2070}", "ÀÉÎÕÜ"]
        for text in plain {
            #expect(!TextNormalizer.mayNeedNFC(text), "\(text)")
            #expect(text.precomposedStringWithCanonicalMapping == text)
        }
        for text in ["cre\u{0301}neau", "\u{2000}", "\u{2001}a", "Ω\u{2126}", "\u{0958}", "한"] {
            #expect(TextNormalizer.mayNeedNFC(text), "\(text)")
        }
        #expect(TextNormalizer.forMatching("A\u{2000}B") == "a b")
    }

    @Test func searchFindsEveryOccurrenceWhereverItsRareBytesFall() {
        let page = "blob bl bob blob; bab b\nb bb oubli blob"
        for needle in ["b", "bb", "blob", "ob;", "oubli blob", "x", "b\nb", "bab b"] {
            var expected: [Int] = []
            let h = Array(page.utf8)
            let n = Array(needle.utf8)
            if n.count <= h.count {
                for i in 0...(h.count - n.count) where Array(h[i..<(i + n.count)]) == n { expected.append(i) }
            }
            var found: [Int] = []
            h.withUnsafeBufferPointer { hb in
                n.withUnsafeBufferPointer { nb in
                    var from = 0
                    while let at = TextNormalizer.firstOffset(of: nb, in: hb, from: from) {
                        found.append(at)
                        from = at + 1
                    }
                }
            }
            #expect(found == expected, "\(needle)")
        }
    }

    @Test func colourReaderAndTrimmingMatchTheirFoundationForms() {
        #expect(RGBA.parse("#f5f5fe") == RGBA(r: 245.0 / 255, g: 245.0 / 255, b: 254.0 / 255, a: 1))
        #expect(RGBA.parse("#FFF8") == RGBA(r: 1, g: 1, b: 1, a: 136.0 / 255))
        #expect(RGBA.parse("#00000080")?.a == 128.0 / 255)
        #expect(RGBA.parse(" #fff\u{00A0}") == .white)
        #expect(RGBA.parse("rgb(100%, 100%, 100%)") == .white)
        for bad in ["#ggg", "#12345", "#1234567", "#", "#ff ff ff", "rgb(1,2)"] {
            #expect(RGBA.parse(bad) == nil, "\(bad)")
        }
        for text in ["", " ", " a ", "\ta\u{00A0}", "\u{3000}b c\u{2009}", "\nx\n", "é\u{0301} "] {
            #expect(CSSText.trimmed(text) == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
        }
    }

    @Test func firstChildWithoutSiblingCombinatorsCountsPositions() throws {
        let html = """
            <html><head><style>li:first-child { display: none }</style></head><body>
            <ul><li>Premier</li><li>Aucun créneau disponible</li></ul></body></html>
            """
        let blocks = try #require(HTMLDocument(text: html)).visibleBlocks()
        #expect(blocks == ["Aucun créneau disponible"])
        let adjacent = html.replacingOccurrences(of: "li:first-child", with: "li + li")
        #expect(try #require(HTMLDocument(text: adjacent)).visibleBlocks() == ["Premier"])
    }

    /// The walk finds an element's rules from its tag's list (looked up once per tag) and its id and
    /// classes; the answer is the one of `candidates(for:)` and holds every rule whose subject could
    /// match, once, in sheet order.
    @Test func candidatesFromATagsRulesAreTheElementsRulesInSheetOrder() {
        let css = """
            p { color: red }
            .a { display: none }
            #b { visibility: hidden }
            p.a { opacity: 0 }
            div { font-size: 0 }
            .c { display: none }
            """
        let universal = css + "\n* { color: blue }\nspan { display: none }"
        for (text, expected) in [
            (
                css,
                [
                    ["p", "-", ""]: [0], ["p", "b", "a"]: [0, 1, 2, 3], ["span", "-", "z"]: [],
                    ["div", "-", "c a"]: [1, 3, 4, 5],
                ]
            ),
            (universal, [["p", "-", ""]: [0, 6], ["span", "b", ""]: [2, 6, 7], ["em", "-", "z"]: [6]]),
        ] {
            let sheet = StyleSheet.parse(text)
            for (element, rules) in expected {
                let e = StyledElement(
                    tag: element[0], id: element[1] == "-" ? nil : element[1],
                    classes: element[2].split(separator: " ").map(String.init), attributes: [:], index: 0,
                    siblingCount: nil)
                let found = sheet.candidates(id: e.id, classes: e.classes, tagRules: sheet.rules(forTag: e.tag))
                #expect(found == rules, "\(element)")
                #expect(found == sheet.candidates(for: e), "\(element)")
            }
        }
        #expect(StyleSheet.parse(css).rules(forTag: "p") == [0])
        #expect(StyleSheet.parse(css).rules(forTag: "li").isEmpty)
    }

    /// Siblings are counted only for a sheet with a positional pseudo-class, wherever it sits.
    @Test func aSheetSaysWhetherItTestsPositions() {
        #expect(!StyleSheet.parse(".a { display: none } p > span { opacity: 0 }").matchesPositions)
        #expect(!StyleSheet.parse("li + li { display: none }").matchesPositions)
        #expect(!StyleSheet.parse(":root { color: red } p:hover { opacity: 0 }").matchesPositions)
        #expect(!StyleSheet.parse("li:first-child { margin: 0 }").matchesPositions)  // nothing that hides
        for positional in [
            "li:first-child { display: none }", "ul li:last-child > a { opacity: 0 }", "p:only-child { color: red }",
            ".a:not(:first-child) { visibility: hidden }", "li:first-child + li { display: none }",
        ] {
            #expect(StyleSheet.parse(positional).matchesPositions, "\(positional)")
        }
    }

    /// Without a positional rule siblings go uncounted; a `:not(:first-child)` rule still sees them.
    @Test func positionsInsideNotAreCounted() throws {
        let html = """
            <html><head><style>li:not(:first-child) { display: none }</style></head><body>
            <ul><li>Aucun créneau disponible</li><li>Deuxième</li><li>Troisième</li></ul></body></html>
            """
        #expect(try #require(HTMLDocument(text: html)).visibleBlocks() == ["Aucun créneau disponible"])
        let plain = html.replacingOccurrences(of: ":not(:first-child)", with: "")
        #expect(try #require(HTMLDocument(text: plain)).visibleBlocks().isEmpty)
    }

    /// Sheets are kept by their text, hashed by its length and ends only: two long sheets that differ
    /// in the middle alone are still two sheets, each parsed from its own text.
    @Test func sheetsThatDifferOnlyInTheMiddleAreKeptApart() {
        let filler = String(repeating: ".x { margin: 0 }\n", count: 40)
        let hidesA = filler + ".a { display: none }\n" + filler
        let hidesB = filler + ".b { display: none }\n" + filler
        #expect(hidesA.utf8.count == hidesB.utf8.count)
        let a = StyleSheet.SheetText(bytes: Array(hidesA.utf8))
        let b = StyleSheet.SheetText(bytes: Array(hidesB.utf8))
        #expect(a.hashValue == b.hashValue)
        #expect(a != b)
        #expect(Set([a, b, StyleSheet.SheetText(bytes: Array(hidesA.utf8))]).count == 2)
        for _ in 0..<2 {
            let sheetA = StyleSheet.parse(hidesA)
            let sheetB = StyleSheet.parse(hidesB)
            #expect(sheetA.rules.map(\.selector.subject.classes) == [["a"]])
            #expect(sheetB.rules.map(\.selector.subject.classes) == [["b"]])
        }
        // Short texts are hashed whole.
        #expect(
            StyleSheet.SheetText(bytes: Array("p{}".utf8)).hashValue
                != StyleSheet.SheetText(bytes: Array("q{}".utf8)).hashValue)
    }
}
