import Foundation

/// Every failure a person can meet, with a message that says what to do and a documented exit code.
package enum TemoinError: Error, CustomStringConvertible, Sendable, Equatable {
    case storeMissing(path: String)
    case storeExists(path: String)
    case notAStore(path: String, detail: String)
    case storeFromNewerVersion(path: String, found: Int, supported: Int)
    case storeUnreadable(path: String, detail: String)
    case storeNotWritable(path: String, detail: String)
    case storeBusy(path: String)
    case fileMissing(path: String)
    case fileUnreadable(path: String, detail: String)
    case fileEmpty(path: String)
    case fileTooLarge(path: String, size: Int64, limit: Int64)
    case notHTML(path: String, looksLike: String)
    /// A folder given to `import` that holds no saved page (`skipped` other files under it).
    case folderWithoutPage(path: String, skipped: Int)
    case noURL(path: String)
    case invalidURL(value: String)
    case invalidDate(value: String)
    case dateInFuture(value: String)
    /// A declared date before `TimeFormat.earliestAttempt`: a typing mistake.
    case dateTooEarly(value: String, earliest: String)
    /// A Paris wall time skipped when clocks went forward; `suggestion` is the time a clock showed.
    case nonexistentParisTime(value: String, suggestion: String)
    /// A Paris wall time that happened twice when clocks went back: both, with their offsets.
    case ambiguousParisTime(value: String, first: String, second: String)
    /// A saved file dated before `TimeFormat.earliestAttempt` (a copy that lost its date).
    case fileDateTooEarly(path: String, date: String)
    case unknownCaseField(name: String)
    /// `init` with nobody to ask (no terminal, or `--json`) and required options not given.
    case caseOptionsMissing(options: [String])
    case emptyValue(field: String)
    /// A one-line value holds a line break or an invisible control character (`FieldText`).
    case controlCharacter(field: String, character: String)
    case noSuchEntry(seq: Int64)
    case unknownProfile(name: String)
    case invalidRuleFile(path: String, detail: String)
    case noSuchCapture(digest: String)
    case networkUnavailable(detail: String)
    case intervalTooShort(seconds: Int)
    case invalidJitter(seconds: Int)
    case invalidDuration(value: String)
    /// A size (`--max-size`) that is no size.
    case invalidSize(value: String)
    /// An `--expect-head` that does not follow docs/FORMAT.md §6.8 (a bad argument, never a finding).
    case invalidExpectedHead(value: String)
    /// `temoin show --capture`: entry `seq` has no capture of that role or name.
    case captureNotInEntry(seq: Int64, role: String)
    /// `temoin show --capture`: the capture was withheld (`temoin withhold`); only its digest stays.
    case captureWithheld(digest: String)
    /// `temoin show --capture` to a terminal, which would obey a hostile page's escape sequences.
    case captureToTerminal(seq: Int64, role: String)
    /// `temoin simulate --scenario` names no scenario (`names`: those there are).
    case unknownScenario(names: String)
    /// A port outside 0...65535.
    case invalidPort(port: Int)
    case interrupted
    /// A dossier or export file could not be written (folder missing or read-only, disk full).
    case outputUnwritable(path: String, detail: String)
    /// A working folder temoin needs (a bundle being opened in the temporary folder) cannot be written.
    case temporaryUnwritable(path: String, detail: String)
    /// A dossier template (shipped or from --templates) is missing or malformed.
    case invalidTemplate(path: String, detail: String)
    /// No attempt falls in the period asked for.
    case emptyPeriod(from: String, to: String)
    /// `--from` after `--to`.
    case periodReversed(from: String, to: String)
    /// `dossier --max-file-size` below 1 MB.
    case invalidMaxFileSize
    /// `dossier --first-piece` outside 1...999.
    case invalidFirstPiece
    /// Seals, attestations, keys and bundles (Trust/TrustError.swift).
    case trust(TrustError)
    /// No Chrome, Chromium or Edge found (`searched`: the path given, or the names looked for).
    case browserNotFound(searched: String)
    /// The browser could not be started or driven.
    case browserFailed(detail: String)
    /// The person closed the browser before the attempt was recorded.
    case browserClosed
    /// `import` or `attestation add` without a file.
    case noFilesGiven
    /// `import --url` or `--observed-at` with more than one page: they describe one.
    case oneFileForOptions
    /// `--timeout` outside 1...600 seconds.
    case invalidTimeout
    /// `watch --count` below 1.
    case invalidCount
    /// `temoin note`: the text or the entry it is about cannot make a note (Notes/Note.swift).
    case invalidNote(detail: String)
    /// Steps (letters, e-mails...) and their proof files (Steps/StepError.swift).
    case step(StepError)
    /// Slot alerts: settings refused, or `notify test` not delivered (Notify/NotifyError.swift).
    case notify(NotifyError)

    /// The exit status documented for this failure (``ExitStatus``: `temoin --help`, the README).
    package var exitStatus: ExitStatus {
        switch self {
        case .storeMissing, .notAStore, .storeFromNewerVersion, .storeUnreadable: return .storeUnreadable
        case .storeExists, .storeNotWritable, .storeBusy: return .storeNotWritable
        case .fileMissing, .fileUnreadable, .fileEmpty, .fileTooLarge, .notHTML, .noURL, .invalidRuleFile,
            .fileDateTooEarly, .folderWithoutPage:
            return .inputRefused
        case .dateTooEarly, .nonexistentParisTime, .ambiguousParisTime: return .usage
        case .invalidURL, .invalidDate, .dateInFuture, .unknownCaseField, .caseOptionsMissing, .emptyValue,
            .controlCharacter,
            .noSuchEntry, .unknownProfile, .noSuchCapture:
            return .usage
        case .networkUnavailable, .browserNotFound, .browserFailed, .browserClosed: return .networkUnavailable
        case .outputUnwritable, .temporaryUnwritable: return .outputUnwritable
        case .invalidTemplate: return .inputRefused
        case .emptyPeriod, .periodReversed, .invalidMaxFileSize, .invalidFirstPiece: return .usage
        case .intervalTooShort, .invalidJitter, .invalidDuration, .invalidSize, .invalidExpectedHead: return .usage
        case .captureNotInEntry, .captureWithheld, .captureToTerminal, .unknownScenario, .invalidPort: return .usage
        case .invalidNote, .noFilesGiven, .oneFileForOptions, .invalidTimeout, .invalidCount: return .usage
        case .interrupted: return .interrupted
        case .trust(let error): return error.exitStatus
        case .step(let error): return error.exitStatus
        case .notify(let error): return error.exitStatus
        }
    }

    /// ``exitStatus`` as the number the process exits with.
    package var exitCode: Int32 { exitStatus.rawValue }

    package var description: String {
        switch self {
        case .storeMissing(let path): return tr("error.store_missing", ["path": path])
        case .storeExists(let path): return tr("error.store_exists", ["path": path])
        case .notAStore(let path, let detail): return tr("error.not_a_store", ["path": path, "detail": detail])
        case .storeFromNewerVersion(let path, let found, let supported):
            return tr(
                "error.store_newer", ["path": path, "found": String(found), "supported": String(supported)])
        case .storeUnreadable(let path, let detail):
            return tr("error.store_unreadable", ["path": path, "detail": detail])
        case .storeNotWritable(let path, let detail):
            return tr("error.store_not_writable", ["path": path, "detail": detail])
        case .storeBusy(let path): return tr("error.store_busy", ["path": path])
        case .fileMissing(let path): return tr("error.file_missing", ["path": path])
        case .fileUnreadable(let path, let detail):
            return tr("error.file_unreadable", ["path": path, "detail": detail])
        case .fileEmpty(let path): return tr("error.file_empty", ["path": path])
        case .fileTooLarge(let path, let size, let limit):
            return tr(
                "error.file_too_large",
                ["path": path, "size": ByteCount.format(size), "limit": ByteCount.format(limit)])
        case .notHTML(let path, let looksLike):
            return tr("error.not_html", ["path": path, "kind": looksLike])
        case .noURL(let path): return tr("error.no_url", ["path": path])
        case .folderWithoutPage(let path, let skipped):
            return tr(skipped == 0 ? "import.folder_empty" : "import.folder_without_page", ["path": path])
        case .invalidURL(let value): return tr("error.invalid_url", ["value": value])
        case .invalidDate(let value): return tr("error.invalid_date", ["value": value])
        case .dateInFuture(let value): return tr("error.date_in_future", ["value": value])
        case .dateTooEarly(let value, let earliest):
            return tr("error.date_too_early", ["value": value, "earliest": earliest])
        case .nonexistentParisTime(let value, let suggestion):
            return tr("error.paris_time_skipped", ["value": value, "suggestion": suggestion])
        case .ambiguousParisTime(let value, let first, let second):
            return tr("error.paris_time_twice", ["value": value, "first": first, "second": second])
        case .fileDateTooEarly(let path, let date):
            return tr("error.file_date_too_early", ["path": path, "date": date])
        case .caseOptionsMissing(let options):
            return tr("init.missing_options", ["options": options.joined(separator: ", ")])
        case .unknownCaseField(let name):
            return tr(
                "error.unknown_case_field",
                ["name": name, "fields": CaseField.allCases.map(\.rawValue).joined(separator: ", ")])
        case .emptyValue(let field): return tr("error.empty_value", ["field": field])
        case .controlCharacter(let field, let character):
            return tr("error.control_character", ["field": field, "character": character])
        case .noSuchEntry(let seq): return tr("error.no_such_entry", ["seq": String(seq)])
        case .unknownProfile(let name):
            return tr(
                "error.unknown_profile", ["name": name, "profiles": RuleSet.builtInNames.joined(separator: ", ")])
        case .invalidRuleFile(let path, let detail):
            return tr("error.invalid_rule_file", ["path": path, "detail": detail])
        case .noSuchCapture(let digest): return tr("error.no_such_capture", ["digest": digest])
        case .networkUnavailable(let detail): return tr("error.network_unavailable", ["detail": detail])
        case .interrupted: return tr("error.interrupted")
        case .outputUnwritable(let path, let detail):
            return tr("error.output_unwritable", ["path": path, "detail": detail])
        case .temporaryUnwritable(let path, let detail):
            return tr("error.temporary_unwritable", ["path": path, "detail": detail])
        case .invalidTemplate(let path, let detail):
            return tr("error.invalid_template", ["path": path, "detail": detail])
        case .emptyPeriod(let from, let to): return tr("error.empty_period", ["from": from, "to": to])
        case .periodReversed(let from, let to): return tr("dossier.from_after_to", ["from": from, "to": to])
        case .invalidMaxFileSize: return tr("dossier.bad_max_size")
        case .invalidFirstPiece: return tr("dossier.bad_first_piece")
        case .browserNotFound(let searched): return tr("browser.error.not_found", ["searched": searched])
        case .browserFailed(let detail): return tr("browser.error.failed", ["detail": detail])
        case .browserClosed: return tr("browser.error.closed")
        case .intervalTooShort(let seconds):
            return tr("error.interval_too_short", ["value": "\(seconds / 60) min \(seconds % 60) s"])
        case .invalidJitter(let seconds): return tr("error.invalid_jitter", ["value": "\(seconds / 60) min"])
        case .invalidDuration(let value): return tr("error.invalid_duration", ["value": value])
        case .invalidSize(let value): return tr("import.bad_max_size", ["value": value])
        case .invalidExpectedHead(let value):
            return tr("security.verify.bad_expect_head", ["value": TerminalText.line(value)])
        case .captureNotInEntry(let seq, let role): return tr("show.no_capture", ["role": role, "seq": String(seq)])
        case .captureWithheld(let digest): return tr("show.capture_withheld", ["digest": digest])
        case .captureToTerminal(let seq, let role):
            return tr("security.show.capture_terminal", ["seq": String(seq), "role": role])
        case .unknownScenario(let names): return tr("simulate.bad_scenario", ["names": names])
        case .invalidPort(let port): return tr("simulate.bad_port", ["port": String(port)])
        case .trust(let error): return error.description
        case .invalidNote(let detail): return tr("error.invalid_note", ["detail": detail])
        case .noFilesGiven: return tr("import.no_files")
        case .oneFileForOptions: return tr("import.one_file_for_options")
        case .invalidTimeout: return tr("attempt.bad_timeout")
        case .invalidCount: return tr("watch.bad_count")
        case .step(let error): return error.description
        case .notify(let error): return error.description
        }
    }
}

/// Human-readable byte counts ("20 MB").
package enum ByteCount {
    package static func format(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// Parses "20MB", "500k", "1048576" into bytes.
    package static func parse(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let multipliers: [(String, Int64)] = [
            ("gb", 1_000_000_000), ("mb", 1_000_000), ("kb", 1000), ("g", 1_000_000_000), ("m", 1_000_000),
            ("k", 1000), ("b", 1),
        ]
        for (suffix, factor) in multipliers where t.hasSuffix(suffix) {
            guard let n = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), n > 0 else {
                return nil
            }
            return Int64(n * Double(factor))
        }
        guard let n = Int64(t), n > 0 else { return nil }
        return n
    }
}
