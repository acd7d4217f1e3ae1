import Foundation

extension ImportOptions {
    /// The options of `temoin import` as typed: the observation time as a person writes it (Paris time
    /// unless an offset is given; not before 2000), the size limit as `20MB`, rules from a profile file.
    /// Throws the error that says which value is wrong.
    package init(url: String?, observedAt: String?, maxSize: String, note: String?, profileFile: String?) throws {
        try self.init(
            url: url, observedAt: observedAt.map { DateText($0) }, maxSize: ByteLimit(maxSize), note: note,
            profileFile: profileFile)
    }

    package init(url: String?, observedAt: DateText?, maxSize: ByteLimit, note: String?, profileFile: String?) throws {
        try Self.check(url: url, observedAt: observedAt, maxSize: maxSize)
        self.init(
            url: url, observedAt: try observedAt?.value(earliest: TimeFormat.earliestAttempt),
            maxSize: try maxSize.value(), note: note)
        if let profileFile { ruleSet = try RuleSet.load(url: URL(fileURLWithPath: profileFile)) }
    }

    /// What `import` checks before any file is read: at least one file; an address, a time and a size
    /// that mean something; `url` and `observedAt` for a single page (folders are walked here only then:
    /// the import walks them anyway).
    package static func check(files: [String], url: String?, observedAt: DateText?, maxSize: ByteLimit) throws {
        if files.isEmpty { throw TemoinError.noFilesGiven }
        try check(url: url, observedAt: observedAt, maxSize: maxSize)
        if observedAt != nil || url != nil, Importer.expand(files).count > 1 { throw TemoinError.oneFileForOptions }
    }

    /// What is checked before any file is read: an address, a time and a size that mean something.
    package static func check(url: String?, observedAt: DateText?, maxSize: ByteLimit) throws {
        _ = try maxSize.value()
        if let url { try URLCheck.validate(url) }
        _ = try observedAt?.value(earliest: TimeFormat.earliestAttempt)
    }
}

extension Importer {
    /// What the evidence says against the time of a page just recorded (docs/FORMAT.md §8): nil when
    /// the file was not recorded, raises no doubt, or cannot be read back.
    package func clockDoubt(_ file: ImportFileReport) -> AttemptTime? {
        guard file.status == .recorded, let seq = file.seq, let entry = try? store.entry(seq: seq),
            let time = try? TimeCorroboration.check(store: store, appended: entry), !time.warnings.isEmpty
        else { return nil }
        return time
    }

    /// `temoin import` as it goes: imports like ``importFiles(_:options:report:now:)``, telling `speak`
    /// of each file as soon as it is done (its lines and, on standard error, its warnings or refusal;
    /// nothing with `json`, whose report says it all) and, once per run, a computer's clock that
    /// contradicts the chain, with how to set it right.
    package func importFiles(
        _ arguments: [String], options: ImportOptions, json: Bool, now: () -> Date = Date.init,
        speak: ([Utterance]) -> Void
    ) throws -> ImportReport {
        var warned = false
        return try importFiles(
            arguments, options: options,
            report: { file in
                let (out, errors) = json ? ([], []) : ImportText.lines(file)
                speak(out.map(Utterance.line) + errors.map(Utterance.problem))
                if !warned, let time = clockDoubt(file) {
                    speak(AttemptText.timeWarnings(time))
                    warned = true
                }
            }, now: now)
    }
}
