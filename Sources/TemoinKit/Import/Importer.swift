import Foundation

public struct ImportOptions: Sendable {
    public var url: String?
    public var observedAt: Date?
    public var maxSize: Int64
    public var note: String?
    /// Rules to use instead of the case's profile (`--profile-file`).
    public var ruleSet: RuleSet?

    public static let defaultMaxSize: Int64 = 20_000_000

    public init(
        url: String? = nil, observedAt: Date? = nil, maxSize: Int64 = ImportOptions.defaultMaxSize, note: String? = nil
    ) {
        self.url = url
        self.observedAt = observedAt
        self.maxSize = maxSize
        self.note = note
    }
}

/// The result of importing one file.
public struct ImportResult: Sendable {
    public let path: String
    /// The new entry; nil when the same page at the same time was already recorded.
    public let entry: StoredEntry?
    public let duplicateOf: Int64?
    public let analysis: PageAnalysis
}

/// Records pages saved from a browser as attempts with provenance `imported`.
public struct Importer {
    public let store: Store
    let caseRecord: CaseRecord

    public init(store: Store) throws {
        self.store = store
        self.caseRecord = try store.caseRecord()
    }

    /// Files to import from the arguments: a directory stands for the pages saved at its top level.
    public static func expand(_ paths: [String]) -> [String] {
        var out: [String] = []
        for path in paths {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                let pages = names.filter {
                    ["html", "htm", "mhtml", "mht", "xhtml"].contains(($0 as NSString).pathExtension.lowercased())
                }.sorted()
                out.append(contentsOf: pages.map { (path as NSString).appendingPathComponent($0) })
            } else {
                out.append(path)
            }
        }
        return out
    }

    public func importFile(_ path: String, options: ImportOptions, now given: Date? = nil) throws -> ImportResult {
        let now = given ?? store.clock.now()
        if let observed = options.observedAt, observed > now.addingTimeInterval(300) {
            throw TemoinError.dateInFuture(value: TimeFormat.parisWallTime(observed))
        }
        if let observed = options.observedAt, observed < TimeFormat.earliestAttempt {
            throw TemoinError.dateTooEarly(
                value: TimeFormat.parisWallTime(observed),
                earliest: String(TimeFormat.utc(TimeFormat.earliestAttempt).prefix(10)))
        }
        let page = try SavedPage.read(path: path, maxSize: options.maxSize)
        var url = page.url
        var urlSource = page.urlSource
        if let given = options.url {
            try URLCheck.validate(given)
            url = given
            urlSource = "option"
        }
        guard let url, let urlSource else { throw TemoinError.noURL(path: path) }

        let observedAt: Date
        let basis: TimeBasis
        if let given = options.observedAt {
            observedAt = given
            basis = .declared
        } else {
            observedAt = page.modifiedAt ?? now
            basis = .fileModificationTime
            // A file whose date was lost (1970 after some copies) cannot date an attempt: say so.
            if observedAt < TimeFormat.earliestAttempt {
                throw TemoinError.fileDateTooEarly(path: path, date: TimeFormat.parisWallTime(observedAt))
            }
        }

        let ruleSet = try options.ruleSet ?? RuleSet.named(caseRecord.fields.profile, url: url)
        let analysis = PageAnalyzer(ruleSet: ruleSet).analyze(
            text: page.text, charset: page.charset, document: page.document, status: nil, url: url)
        let fileName = (path as NSString).lastPathComponent

        var captures = [
            PendingCapture(
                bytes: page.html, role: "page", mediaType: "text/html; charset=\(analysis.charset.label)",
                name: page.archive == nil ? fileName : nil)
        ]
        if let archive = page.archive {
            captures.append(
                PendingCapture(bytes: archive, role: "saved_file", mediaType: "multipart/related", name: fileName))
        }
        for resource in page.resources {
            captures.append(PendingCapture(bytes: resource.bytes, role: "resource", name: resource.name))
        }

        // The same page at the same declared time is the same attempt: do not count it twice.
        let observedText = TimeFormat.utc(observedAt)
        let pageDigest = captures[0].ref.digest
        // A page never stored before cannot be a duplicate: look its digest up by key before scanning entries.
        let seenBefore = try store.captureState(digest: pageDigest) != .absent
        for earlier in try seenBefore
            ? store.entries(containing: pageDigest, "\"observed_at\":\"\(observedText)\"") : []
        {
            if let b = earlier.body, b.type == .attempt, b.observedAt == observedText,
                b.captures?.first?.digest == pageDigest
            {
                return ImportResult(path: path, entry: nil, duplicateOf: earlier.seq, analysis: analysis)
            }
        }

        var note = options.note
        if page.resourcesSkipped > 0 {
            let skipped = "\(page.resourcesSkipped) resource file(s) of the saved folder left out (count or size limit)"
            note = note.map { $0 + "; " + skipped } ?? skipped
        }
        // Without a time given, `recorded_at` is read inside the append's transaction.
        let entry = try store.append(type: .attempt, captures: captures, now: given) { body in
            body.provenance = .imported
            body.observedAt = observedText
            body.timeBasis = basis
            body.url = url
            body.outcome = analysis.outcome
            body.rule = analysis.rule
            body.message = analysis.message
            body.title = analysis.title
            body.profile = ruleSet.id
            body.facts = analysis.facts.isEmpty ? nil : analysis.facts
            body.note = note
            body.source = ImportSource(
                fileName: fileName, fileModifiedAt: page.modifiedAt.map(TimeFormat.utc), urlSource: urlSource,
                charset: analysis.charset.label, charsetSource: analysis.charset.source.rawValue)
        }
        return ImportResult(path: path, entry: entry, duplicateOf: nil, analysis: analysis)
    }
}
