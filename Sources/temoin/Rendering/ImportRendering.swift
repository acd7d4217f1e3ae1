import Foundation
import TemoinKit

/// One file of `temoin import`, as it is done: the outcome with the page's words between « », and
/// temoin's own description, doubts and warnings on lines of their own, never quoted.
func printImportLine(_ file: ImportFileReport) {
    switch file.status {
    case .recorded:
        let outcome = tr("outcome.\(file.outcome?.rawValue ?? "?")")
        print(
            tr(
                "import.recorded",
                ["seq": String(file.seq ?? 0), "file": TerminalText.line(file.file), "outcome": outcome]))
        printAnalysisLines(
            message: file.message, description: file.description, visibility: file.visibility,
            setAside: file.setAside ?? [], indent: "       ")
        for warning in file.warnings ?? [] { printError(TerminalText.line(warning.text)) }
    case .duplicate:
        print(tr("import.duplicate", ["file": TerminalText.line(file.file), "seq": String(file.duplicateOf ?? 0)]))
        for warning in file.warnings ?? [] { printError(TerminalText.line(warning.text)) }
    case .refused:
        printError(file.error ?? "")
    case .skipped:
        print(
            tr(
                "import.skipped",
                ["file": TerminalText.line(file.file), "reason": tr("skip.\(file.skipReason?.rawValue ?? "?")")]))
    }
}

/// The lines under an attempt: « the page's words », temoin's description, a doubt, markers set aside.
func printAnalysisLines(
    message: String?, description: String?, visibility: VisibilityRecord?, setAside: [SetAsideMarker], indent: String
) {
    if let message { print(VisibilityText.quoted(message, indent: indent)) }
    if let description {
        print("\(indent)\(tr("analysis.description_line", ["text": TerminalText.line(description)]))")
    }
    if let doubt = visibility?.uncertain {
        print("\(indent)\(VisibilityText.doubtLine(doubt, detail: visibility?.detail))")
    }
    for marker in setAside { print("\(indent)\(VisibilityText.setAsideLine(marker))") }
}

func printImportSummary(_ report: ImportReport) {
    let skipped = report.files.filter { $0.status == .skipped }.count
    guard skipped > 0 else { return }
    print(tr(skipped == 1 ? "import.skipped_total.one" : "import.skipped_total", ["count": String(skipped)]))
}
