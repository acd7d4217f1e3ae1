import Foundation

package struct ImportOptions: Sendable {
    package var url: String?
    package var observedAt: Date?
    package var maxSize: Int64
    package var note: String?
    /// Rules to use instead of the case's profile (`--profile-file`).
    package var ruleSet: RuleSet?

    package static let defaultMaxSize: Int64 = 20_000_000

    package init(
        url: String? = nil, observedAt: Date? = nil, maxSize: Int64 = ImportOptions.defaultMaxSize, note: String? = nil
    ) {
        self.url = url
        self.observedAt = observedAt
        self.maxSize = maxSize
        self.note = note
    }
}

/// Something the person should know about one imported page, recorded or not.
package struct ImportWarning: Sendable, Equatable, Encodable {
    package enum Kind: String, Sendable, Encodable {
        /// `--url` and the page's own address disagree: both are recorded.
        case originMismatch = "origin_mismatch"
    }
    package var kind: Kind
    /// In the user's language.
    package var text: String
}

/// The result of importing one file.
package struct ImportResult: Sendable {
    package let path: String
    /// The new entry; nil when the same page at the same time was already recorded.
    package let entry: StoredEntry?
    package let duplicateOf: Int64?
    package let analysis: PageAnalysis
    /// The profile whose rules were applied, and what chose it.
    package let profile: String
    package let profileBasis: ProfileBasis
    package let warnings: [ImportWarning]
}

/// Records pages saved from a browser as attempts with provenance `imported`.
package struct Importer {
    package let store: Store
    let caseRecord: CaseRecord

    package init(store: Store) throws {
        self.store = store
        self.caseRecord = try store.caseRecord()
    }

    /// Files to import from the arguments: a folder stands for the pages saved anywhere under it.
    package static func expand(_ paths: [String]) -> [String] { ImportPlan(paths).pages }

    package func importFile(_ path: String, options: ImportOptions, now given: Date? = nil) throws -> ImportResult {
        let now = given ?? store.clock.now()
        if let observed = options.observedAt, observed > now.addingTimeInterval(300) {
            throw TemoinError.dateInFuture(value: TimeFormat.parisWallTime(observed))
        }
        if let observed = options.observedAt, observed < TimeFormat.earliestAttempt {
            throw TemoinError.dateTooEarly(
                value: TimeFormat.parisWallTime(observed),
                earliest: String(TimeFormat.utc(TimeFormat.earliestAttempt).prefix(10)))
        }
        var page = try SavedPage.read(path: path, maxSize: options.maxSize)
        var url = page.url
        var urlSource = page.urlSource
        var declared: (url: String, source: String)?
        var warnings: [ImportWarning] = []
        if let given = options.url {
            try URLCheck.validate(given)
            if let pageURL = page.url, let pageSource = page.urlSource {
                declared = (pageURL, pageSource)
                if !Self.sameAddress(pageURL, given) {
                    warnings.append(
                        ImportWarning(
                            kind: .originMismatch,
                            text: tr(
                                "import.origin_mismatch",
                                [
                                    "file": (path as NSString).lastPathComponent, "declared": pageURL,
                                    "where": tr("url_source.\(pageSource)"), "given": given,
                                ])))
                }
            }
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

        let ruleSet: RuleSet
        let profileBasis: ProfileBasis
        if let custom = options.ruleSet {
            ruleSet = custom
            profileBasis = .profileFile
        } else {
            if caseRecord.fields.profile == "auto", page.url == nil, page.document == nil {
                // No address from the page itself: its structure is what can name the booking system.
                page.document = HTMLDocument(text: page.text, url: url)
            }
            let choice = try RuleSet.choose(
                caseProfile: caseRecord.fields.profile, declaredURL: page.url,
                page: page.document, bookingURL: caseRecord.fields.bookingURL, givenURL: options.url)
            ruleSet = choice.0
            profileBasis = choice.1
        }
        let analysis = PageAnalyzer(ruleSet: ruleSet).analyze(
            text: page.text, charset: page.charset, document: page.document, status: nil, url: url)
        page.document = nil
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
                return ImportResult(
                    path: path, entry: nil, duplicateOf: earlier.seq, analysis: analysis, profile: ruleSet.id,
                    profileBasis: profileBasis, warnings: warnings)
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
            body.description = analysis.description
            body.visibility = analysis.visibility
            body.setAside = analysis.setAside.isEmpty ? nil : analysis.setAside
            body.title = analysis.title
            body.profile = ruleSet.id
            body.facts = analysis.facts.isEmpty ? nil : analysis.facts
            body.note = note
            body.source = ImportSource(
                fileName: fileName, fileModifiedAt: page.modifiedAt.map(TimeFormat.utc), urlSource: urlSource,
                charset: analysis.charset.label, charsetSource: analysis.charset.source.rawValue,
                declaredURL: declared?.url, declaredURLSource: declared?.source, profileBasis: profileBasis)
        }
        return ImportResult(
            path: path, entry: entry, duplicateOf: nil, analysis: analysis, profile: ruleSet.id,
            profileBasis: profileBasis, warnings: warnings)
    }

    /// Two addresses of the same page: equal but for the scheme's case, a `www.` and a trailing slash.
    static func sameAddress(_ a: String, _ b: String) -> Bool {
        func key(_ s: String) -> String {
            var t = s.trimmingCharacters(in: .whitespaces).lowercased()
            for prefix in ["https://", "http://"] where t.hasPrefix(prefix) { t.removeFirst(prefix.count) }
            if t.hasPrefix("www.") { t.removeFirst(4) }
            while t.hasSuffix("/") { t.removeLast() }
            return t
        }
        return key(a) == key(b)
    }
}
