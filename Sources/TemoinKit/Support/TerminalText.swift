import Foundation

/// Text that came from a store, a page, a file name, a certificate or a signed attestation, made
/// harmless to show on a terminal. A hostile store can hold escape sequences that move the cursor,
/// erase lines or hide text (an attestation's name made `verify` of a tampered store show "INTACT");
/// here they are shown, never obeyed.
///
/// Invariant: the result holds no C0 control (U+0000–U+001F, but the line feeds of ``text(_:)``), no
/// DEL, no C1 control (U+0080–U+009F, which some terminals obey as ESC sequences) and no line or
/// paragraph separator; each appears as a visible escape (`\x1b`, `\x9b`, `\u2028`), the form
/// docs/verify_reference.py uses too. Explicit bidirectional embeddings, overrides and isolates
/// cannot reach past the value or line they came in: unclosed ones are closed, unmatched closers
/// are shown as escapes, and text holding any of them is wrapped in an isolate (U+2068 … U+2069).
package enum TerminalText {
    /// One value on one line: a line feed in it is shown as `\x0a`, so it cannot forge a line.
    package static func line(_ value: String) -> String {
        isolateBidi(escapeControls(value, keepingLineFeeds: false))
    }

    /// A whole text of temoin's own (its line feeds are kept); each line is made safe as ``line(_:)``.
    package static func text(_ value: String) -> String {
        guard needsWork(value) else { return value }
        return escapeControls(value, keepingLineFeeds: true).split(separator: "\n", omittingEmptySubsequences: false)
            .map { isolateBidi(String($0)) }.joined(separator: "\n")
    }

    /// A free-text value shown over several lines (the case's urgency facts): each of its lines made
    /// safe, the lines after the first indented by `continuation`.
    package static func block(_ value: String, continuation: String) -> String {
        value.split(separator: "\n", omittingEmptySubsequences: false).map { line(String($0)) }
            .joined(separator: "\n" + continuation)
    }

    /// Whether `scalar` is shown as an escape: C0, DEL, C1, line and paragraph separators.
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
    }

    /// The bidirectional formatting characters that open or close an embedding, override or isolate.
    package static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    private static func needsWork(_ value: String) -> Bool {
        value.unicodeScalars.contains { ($0 != "\n" && isControl($0)) || isBidiControl($0) }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        scalar.value <= 0xFF
            ? "\\x" + hex(scalar.value, digits: 2) : "\\u" + hex(scalar.value, digits: 4)
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    private static func escapeControls(_ value: String, keepingLineFeeds: Bool) -> String {
        guard value.unicodeScalars.contains(where: isControl) else { return value }
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            if isControl(scalar) && !(keepingLineFeeds && scalar == "\n") {
                out.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Closes what the line opened, escapes closers that match nothing, and isolates the whole line.
    private static func isolateBidi(_ line: String) -> String {
        guard line.unicodeScalars.contains(where: isBidiControl) else { return line }
        enum Open { case embedding, isolate }
        var stack: [Open] = []
        var out = String.UnicodeScalarView()
        for scalar in line.unicodeScalars {
            switch scalar.value {
            case 0x202A, 0x202B, 0x202D, 0x202E:  // LRE, RLE, LRO, RLO
                stack.append(.embedding)
                out.append(scalar)
            case 0x202C:  // PDF closes the innermost embedding, never across an isolate (UAX #9)
                if stack.last == .embedding {
                    stack.removeLast()
                    out.append(scalar)
                } else {
                    out.append(contentsOf: escape(scalar).unicodeScalars)
                }
            case 0x2066, 0x2067, 0x2068:  // LRI, RLI, FSI
                stack.append(.isolate)
                out.append(scalar)
            case 0x2069:  // PDI closes the innermost isolate and every embedding inside it
                if let i = stack.lastIndex(of: .isolate) {
                    stack.removeSubrange(i...)
                    out.append(scalar)
                } else {
                    out.append(contentsOf: escape(scalar).unicodeScalars)
                }
            default:
                out.append(scalar)
            }
        }
        for open in stack.reversed() { out.append(open == .isolate ? "\u{2069}" : "\u{202C}") }
        return "\u{2068}" + String(out) + "\u{2069}"
    }
}

/// One-line values a person types (a name, an organisation, a prefecture...) hold no line break and
/// no invisible control: they are shown on terminals, signed in attestations and written into the
/// court dossier, where a hidden character could forge a line or reorder what a reader sees.
package enum FieldText {
    /// The first character that may not stand in a one-line value, or nil.
    package static func forbiddenInLine(_ value: String) -> Unicode.Scalar? {
        value.unicodeScalars.first { TerminalText.isControl($0) || TerminalText.isBidiControl($0) }
    }

    /// The first character that may not stand in free text: as in one line, but line feeds and tabs
    /// are allowed (a paragraph break, an indent).
    package static func forbiddenInText(_ value: String) -> Unicode.Scalar? {
        value.unicodeScalars.first {
            $0 != "\n" && $0 != "\t" && (TerminalText.isControl($0) || TerminalText.isBidiControl($0))
        }
    }

    /// Throws ``TemoinError/controlCharacter(field:character:)`` when `value` is not a clean one-line value.
    package static func checkLine(_ value: String, field: String) throws {
        if let c = forbiddenInLine(value) { throw TemoinError.controlCharacter(field: field, character: describe(c)) }
    }

    /// Throws when `value` holds a control character other than a line feed or a tab.
    package static func checkText(_ value: String, field: String) throws {
        if let c = forbiddenInText(value) { throw TemoinError.controlCharacter(field: field, character: describe(c)) }
    }

    /// `U+001B` and, for the ones people meet, what it is.
    package static func describe(_ scalar: Unicode.Scalar) -> String {
        let code = "U+" + String(format: "%04X", scalar.value)
        switch scalar.value {
        case 0x0A, 0x0D, 0x2028, 0x2029: return code + " (" + tr("field.char.line_break") + ")"
        case 0x09: return code + " (" + tr("field.char.tab") + ")"
        case 0x1B: return code + " (ESC)"
        default:
            return TerminalText.isBidiControl(scalar)
                ? code + " (" + tr("field.char.bidi") + ")" : code + " (" + tr("field.char.control") + ")"
        }
    }
}
