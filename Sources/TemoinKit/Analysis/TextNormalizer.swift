import Foundation

/// Text comparisons tolerant of what varies between copies of the same message: case, runs of
/// whitespace (including non-breaking spaces), typographic apostrophes and quotes, Unicode composition.
public enum TextNormalizer {
    /// Collapses every run of whitespace to one space and trims the ends.
    public static func collapseWhitespace(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "\u{00A0}" || scalar == "\u{202F}" {
                pendingSpace = !out.isEmpty
                continue
            }
            if scalar == "\u{00AD}" || scalar == "\u{200B}" { continue }  // soft hyphen, zero-width space
            if pendingSpace {
                out.unicodeScalars.append(" ")
                pendingSpace = false
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// The form markers and page text are compared in.
    public static func forMatching(_ text: String) -> String {
        var s = collapseWhitespace(text.precomposedStringWithCanonicalMapping).lowercased()
        let replacements: [(String, String)] = [
            ("\u{2019}", "'"), ("\u{2018}", "'"), ("\u{02BC}", "'"), ("\u{00B4}", "'"), ("`", "'"), ("\u{2032}", "'"),
            ("\u{201C}", "\""), ("\u{201D}", "\""), ("\u{00AB}", "\""), ("\u{00BB}", "\""), ("\u{2013}", "-"),
            ("\u{2014}", "-"), ("\u{2026}", "..."),
        ]
        for (from, to) in replacements where s.contains(from) {
            s = s.replacingOccurrences(of: from, with: to)
        }
        // Quotes next to guillemets leave doubled spaces; collapse again.
        return collapseWhitespace(
            s.replacingOccurrences(of: "\" ", with: "\"").replacingOccurrences(of: " \"", with: "\""))
    }
}
