import Foundation

/// Refusals of `temoin step`: proof files that are not what they claim, and arguments that cannot
/// make a step. Nothing is recorded when one is thrown.
package enum StepError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A proof file of 0 bytes: a save or an export that did not finish.
    case fileEmpty(path: String)
    case fileTooLarge(path: String, size: Int64, limit: Int64)
    /// A step's date that does not parse (`03/11/2026`, `2026-11-03`, with `14:20` or not).
    case invalidDate(value: String)
    /// A step dated after today (or, with a time, more than 5 minutes ahead of the clock).
    case dateInFuture(value: String)
    /// An image name (`.jpg`, `.png`, `.heic`...) on bytes that are no image. `looksLike`: a catalogue key.
    case notAnImage(path: String, looksLike: String)
    case notAPDF(path: String, looksLike: String)
    /// An `.eml` that does not read as an e-mail; `looksLike`: a format the bytes were recognised as.
    case notAnEmail(path: String, problem: EmailMessage.Problem, looksLike: String?)
    /// An Outlook `.msg` file: not an Internet message; Outlook saves one as `.eml` when asked.
    case outlookMessage(path: String)
    /// Bytes that are none of the accepted formats.
    case unsupportedFile(path: String, looksLike: String)
    case invalidTrackingNumber(value: String)
    /// A tracking number given for a step that is not a registered letter.
    case trackingNotRegistered
    /// `step followup SEQ` / `step check SEQ` on an entry that is not a step.
    case notAStep(seq: Int64)
    /// `step check SEQ` on an entry with no e-mail.
    case noEmail(seq: Int64)
    /// A step without a summary: a step says what was asked.
    case emptySummary
    /// No date given, and no e-mail whose `Date` could stand for it.
    case missingDate
    /// `step check` on an e-mail whose bytes were withheld: there is nothing left to check.
    case emailWithheld(digest: String)
    case invalidDNSServer(value: String)
    /// `step add` with nobody to ask (no terminal, or `--json`) and `--kind` or `--summary` not given.
    case optionsMissing(options: [String])

    package var exitStatus: ExitStatus {
        switch self {
        case .fileEmpty, .fileTooLarge, .notAnImage, .notAPDF, .notAnEmail, .outlookMessage, .unsupportedFile:
            return .inputRefused
        case .invalidDate, .dateInFuture, .invalidTrackingNumber, .trackingNotRegistered, .notAStep, .noEmail,
            .emptySummary, .missingDate,
            .emailWithheld, .invalidDNSServer, .optionsMissing:
            return .usage
        }
    }

    package var exitCode: Int32 { exitStatus.rawValue }

    package var description: String {
        switch self {
        case .fileEmpty(let path): return tr("step.error.file_empty", ["path": path])
        case .fileTooLarge(let path, let size, let limit):
            return tr(
                "step.error.file_too_large",
                ["path": path, "size": ByteCount.format(size), "limit": ByteCount.format(limit)])
        case .invalidDate(let value): return tr("step.error.invalid_date", ["value": value])
        case .dateInFuture(let value): return tr("step.error.date_in_future", ["value": value])
        case .notAnImage(let path, let looksLike):
            return tr("step.error.not_an_image", ["path": path, "kind": tr(looksLike)])
        case .notAPDF(let path, let looksLike):
            return tr("step.error.not_a_pdf", ["path": path, "kind": tr(looksLike)])
        case .notAnEmail(let path, let problem, let looksLike):
            let detail: String
            switch problem {
            case .binary: detail = tr("step.email_problem.binary")
            case .noHeader: detail = tr("step.email_problem.no_header")
            case .malformedLine(let n): detail = tr("step.email_problem.malformed_line", ["line": String(n)])
            case .missingFrom: detail = tr("step.email_problem.missing_from")
            case .missingDate: detail = tr("step.email_problem.missing_date")
            }
            let kind = looksLike.map { " " + tr("step.error.file_is", ["kind": tr("step.looks_like.\($0)")]) } ?? ""
            return tr("step.error.not_an_email", ["path": path, "detail": detail + kind])
        case .outlookMessage(let path): return tr("step.error.outlook_message", ["path": path])
        case .unsupportedFile(let path, let looksLike):
            return tr("step.error.unsupported_file", ["path": path, "kind": tr(looksLike)])
        case .invalidTrackingNumber(let value): return tr("step.error.invalid_tracking", ["value": value])
        case .trackingNotRegistered: return tr("step.error.tracking_not_registered")
        case .notAStep(let seq): return tr("step.error.not_a_step", ["seq": String(seq)])
        case .noEmail(let seq): return tr("step.error.no_email", ["seq": String(seq)])
        case .emptySummary: return tr("step.error.empty_summary")
        case .missingDate: return tr("step.error.missing_date")
        case .emailWithheld(let digest): return tr("step.error.email_withheld", ["digest": digest])
        case .invalidDNSServer(let value): return tr("step.error.invalid_dns_server", ["value": value])
        case .optionsMissing(let options):
            return tr("step.missing_options", ["options": options.joined(separator: ", ")])
        }
    }
}
