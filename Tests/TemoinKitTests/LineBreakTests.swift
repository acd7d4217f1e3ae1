import Foundation
import TemoinPDF
import TestSupport
import Testing

/// Where the dossier's text may break a line (issue 15, typography): never right after a hyphen of an
/// address, where the hyphen would read as one added at the break (pdftotext drops it).
@Suite struct LineBreakTests {
    /// Lines of `text` set in the body font at `width` points.
    func lines(_ text: String, width: Double) throws -> [String] {
        let dir = TempDir()
        let canvas = try CairoCanvas(pdfAt: dir.file("lines.pdf"))
        let layout = TextLayout(canvas: canvas, style: TextStyle(font: "DejaVu Serif 10"))
        layout.set(markup: text, width: width)
        return layout.lines
    }

    @Test func anAddressNeverBreaksAfterOneOfItsHyphens() throws {
        let text = "Adresse du site : https://www.val-de-marne.gouv.fr/booking/create/4963/0 et rdv.val-de-marne.test."
        // Every width from narrow to wide: wherever the line ends, never just after an address's hyphen.
        var sawBreakInsideAddress = false
        for width in stride(from: 90.0, through: 420.0, by: 6) {
            let lines = try lines(text, width: width)
            #expect(lines.joined() == text)
            for line in lines.dropLast() {
                let last = line.split(separator: " ").last.map(String.init) ?? ""
                #expect(!last.hasSuffix("-"), "width \(width): a line ends « \(line) »")
                if last.contains(".") || last.contains("/") { sawBreakInsideAddress = true }
            }
        }
        // The widths tried do break inside the long URL, so the rule was exercised.
        #expect(sawBreakInsideAddress)
    }

    @Test func aHyphenatedWordInProseMayStillBreakAfterItsHyphen() throws {
        let text = "Préfecture du Val-de-Marne, Val-de-Marne, Val-de-Marne, Val-de-Marne, Val-de-Marne."
        let ends = try stride(from: 60.0, through: 300.0, by: 3).flatMap { try lines(text, width: $0).dropLast() }
        #expect(ends.contains { $0.hasSuffix("-") })
    }

    @Test func theRangesCoverEachAddressHyphenAndTheCharacterAfterIt() {
        let text = Array("voir rdv.val-été-marne.test et Val-de-Marne".utf8)
        let ranges = text.withUnsafeBufferPointer { TextLayout.unbreakableHyphens($0) }
        let covered = ranges.map { String(decoding: text[$0], as: UTF8.self) }
        #expect(covered == ["-é", "-m"])
    }
}
