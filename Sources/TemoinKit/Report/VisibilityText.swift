import Foundation

/// How temoin words, in the user's language, what it knows of an outcome besides the page's words:
/// its own description, a doubt about visibility, markers set aside. None of it is ever printed
/// between quotation marks: only `quoted` quotes, and only the page's words.
package enum VisibilityText {
    /// The page's words between « », one line per block of the page, continuation lines aligned.
    package static func quoted(_ message: String, indent: String) -> String {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: true)
        return lines.enumerated().map { i, line in
            (i == 0 ? "\(indent)« " : "\(indent)  ") + TerminalText.line(String(line))
                + (i == lines.count - 1 ? " »" : "")
        }.joined(separator: "\n")
    }

    /// "Visibility uncertain: …" with temoin's detail.
    package static func doubtLine(_ doubt: VisibilityDoubt, detail: String?) -> String {
        tr(
            "visibility.uncertain_line",
            ["reason": tr("visibility.doubt.\(doubt.rawValue)"), "detail": detail.map(TerminalText.line) ?? "-"])
    }

    /// "Not counted: … (rule …)" for a marker set aside, the page's text after a colon, unquoted.
    package static func setAsideLine(_ m: SetAsideMarker) -> String {
        var line = tr(
            "set_aside.line",
            ["reason": tr("set_aside.reason.\(m.reason.rawValue)"), "rule": m.rule, "detail": m.detail ?? ""])
        if m.detail == nil || m.detail?.isEmpty == true { line = line.replacingOccurrences(of: " ()", with: "") }
        if let text = m.text { line += ": " + TerminalText.line(PageAnalyzer.clip(text, to: 160)) }
        return line
    }

    /// One line on how visibility was established, for `show`.
    package static func basisLine(_ v: VisibilityRecord) -> String {
        var line = tr("visibility.basis.\(v.basis)")
        if let doubt = v.uncertain { line += " " + doubtLine(doubt, detail: v.detail) }
        return line
    }
}
