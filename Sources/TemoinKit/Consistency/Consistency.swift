import Foundation

/// Doubts the record itself raises, found before anything is written about it (issue 15, point 4):
/// the same page bytes classified two ways, a fact declared before the date it mentions. `status` and
/// the dossier's first page show them; they are never smoothed over.
package struct ConsistencyReport: Sendable, Equatable, Encodable {
    /// Identical page bytes (one digest) recorded with different outcomes.
    package struct SamePageOutcomes: Sendable, Equatable, Encodable {
        package var digest: String
        /// Each attempt that received the page, with its outcome, in chain order.
        package var attempts: [Sighting]

        package struct Sighting: Sendable, Equatable, Encodable {
            package var seq: Int64
            package var outcome: Outcome
        }

        package var outcomes: [Outcome] {
            var seen: [Outcome] = []
            for a in attempts where !seen.contains(a.outcome) { seen.append(a.outcome) }
            return seen
        }
    }

    /// A statement (the case's facts, a note) written before a date it mentions.
    package struct EarlyStatement: Sendable, Equatable, Encodable {
        package enum Source: String, Sendable, Encodable {
            /// The case's facts, as set at `init` or by `case set facts`.
            case facts
            /// A note (`temoin note`).
            case note
        }
        package var source: Source
        /// The entry that wrote the statement.
        package var seq: Int64
        /// When it was written (UTC, the computer's clock).
        @UTCText package var declaredAt: Date
        /// The date it mentions (a Paris day, or the note's declared time).
        @UTCText package var mentioned: Date
        /// The sentence or line holding the date.
        package var excerpt: String

        enum CodingKeys: String, CodingKey {
            case source, seq, mentioned, excerpt
            case declaredAt = "declared_at"
        }
    }

    package var samePage: [SamePageOutcomes] = []
    package var earlyStatements: [EarlyStatement] = []

    package init(samePage: [SamePageOutcomes] = [], earlyStatements: [EarlyStatement] = []) {
        self.samePage = samePage
        self.earlyStatements = earlyStatements
    }

    package var isEmpty: Bool { samePage.isEmpty && earlyStatements.isEmpty }

    enum CodingKeys: String, CodingKey {
        case samePage = "same_page_two_outcomes"
        case earlyStatements = "declared_before_date"
    }
}

package enum ConsistencyCheck {
    /// A record whose last attempt is older than this (days) no longer shows the situation today: the
    /// dossier's first page says so.
    package static let staleAfterDays = 14

    /// Pages received identically by attempts that were given different outcomes. Only the `page`
    /// capture (what the rules read) counts; attempts outside `from`...`to` are ignored.
    package static func samePageOutcomes(_ attempts: [(seq: Int64, digest: String?, outcome: Outcome)])
        -> [ConsistencyReport.SamePageOutcomes]
    {
        var order: [String] = []
        var byDigest: [String: [ConsistencyReport.SamePageOutcomes.Sighting]] = [:]
        for a in attempts.sorted(by: { $0.seq < $1.seq }) {
            guard let d = a.digest else { continue }
            if byDigest[d] == nil { order.append(d) }
            byDigest[d, default: []].append(.init(seq: a.seq, outcome: a.outcome))
        }
        return order.compactMap { d in
            let sightings = byDigest[d]!
            guard Set(sightings.map(\.outcome)).count > 1 else { return nil }
            return ConsistencyReport.SamePageOutcomes(digest: d, attempts: sightings)
        }
    }

    /// Statements written before a date they mention: the case's current facts (each line, dated by
    /// the entry that set them) and every note (its text, and its declared time).
    package static func earlyStatements(_ record: CaseRecord, notes: [NoteRecord])
        -> [ConsistencyReport.EarlyStatement]
    {
        var out: [ConsistencyReport.EarlyStatement] = []
        let factsEntry = record.amendments.last { $0.amendment.field == CaseField.facts.rawValue }
        let factsSeq = factsEntry?.seq ?? 1
        if let declared = TimeFormat.parseUTC(factsEntry?.recordedAt ?? record.openedAt) {
            for line in record.fields.facts.split(whereSeparator: \.isNewline) {
                for sentence in sentences(String(line)) {
                    if let mentioned = latestDate(in: sentence), isLaterDay(mentioned, than: declared) {
                        out.append(
                            .init(
                                source: .facts, seq: factsSeq, declaredAt: declared, mentioned: mentioned,
                                excerpt: sentence))
                    }
                }
            }
        }
        for note in notes {
            if let at = note.occurredAt, at > note.recordedAt.addingTimeInterval(300) {
                out.append(
                    .init(
                        source: .note, seq: note.seq, declaredAt: note.recordedAt, mentioned: at,
                        excerpt: note.text))
                continue
            }
            for sentence in sentences(note.text) {
                if let mentioned = latestDate(in: sentence), isLaterDay(mentioned, than: note.recordedAt) {
                    out.append(
                        .init(
                            source: .note, seq: note.seq, declaredAt: note.recordedAt, mentioned: mentioned,
                            excerpt: sentence))
                }
            }
        }
        return out
    }

    /// Whole days between the last attempt and `now` when more than ``staleAfterDays``, else nil.
    package static func staleDays(last: Date?, now: Date) -> Int? {
        guard let last else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeFormat.paris
        let days = Wording.daysBetween(last, now, calendar: calendar)
        return days > staleAfterDays ? days : nil
    }

    /// The whole check for a store: its attempts (in `from`...`to`), its case and notes.
    package static func run(store: Store, entries: [StoredEntry]? = nil, from: Date? = nil, to: Date? = nil) throws
        -> ConsistencyReport
    {
        let attempts = try entries ?? store.entries(containing: "\"type\":\"attempt\"")
        var list: [(seq: Int64, digest: String?, outcome: Outcome)] = []
        for e in attempts {
            guard let b = e.body, b.type == .attempt else { continue }
            if let at = TimeFormat.parseUTC(b.observedAt ?? b.recordedAt) {
                if let from, at < from { continue }
                if let to, at > to { continue }
            }
            list.append((e.seq, b.captures?.last { $0.role == "page" }?.digest, b.outcome ?? .unexpected))
        }
        return ConsistencyReport(
            samePage: samePageOutcomes(list),
            earlyStatements: earlyStatements(try store.caseRecord(), notes: try store.notes()))
    }

    // MARK: dates in text

    /// Sentences of a line (split after `.`, `;`, `!`, `?` followed by a space), trimmed.
    static func sentences(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var previous: Character?
        for ch in text {
            if ch == " ", let p = previous, [".", ";", "!", "?"].contains(p), current.count > 3 {
                out.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(ch)
            }
            previous = ch
        }
        let last = current.trimmingCharacters(in: .whitespaces)
        if !last.isEmpty { out.append(last) }
        return out.map { $0.hasSuffix(";") ? String($0.dropLast()).trimmingCharacters(in: .whitespaces) : $0 }
    }

    private static let monthNames: [String: Int] = {
        var m: [String: Int] = [:]
        for (i, name) in Wording.frenchMonths.enumerated() {
            m[name] = i + 1
            m[name.folding(options: .diacriticInsensitive, locale: nil)] = i + 1
        }
        for (i, name) in Wording.englishMonths.enumerated() { m[name.lowercased()] = i + 1 }
        return m
    }()

    /// The latest calendar date written in `text` (noon, Paris): `2026-10-01`, `01/10/2026`,
    /// `1er octobre 2026`, `1 October 2026`, `October 1, 2026`.
    static func latestDate(in text: String) -> Date? {
        var found: [(Int, Int, Int)] = []
        let lower = text.lowercased()
        let range = NSRange(lower.startIndex..., in: lower)
        func ints(_ m: NSTextCheckingResult, _ groups: [Int]) -> [String] {
            groups.map { Range(m.range(at: $0), in: lower).map { String(lower[$0]) } ?? "" }
        }
        let patterns: [(String, ([String]) -> (Int, Int, Int)?)] = [
            (
                #"\b(\d{4})-(\d{2})-(\d{2})\b"#,
                { g in Int(g[0]).flatMap { y in Int(g[1]).flatMap { m in Int(g[2]).map { (y, m, $0) } } } }
            ),
            (
                #"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"#,
                { g in Int(g[2]).flatMap { y in Int(g[1]).flatMap { m in Int(g[0]).map { (y, m, $0) } } } }
            ),
            (
                #"\b(1er|\d{1,2})\s+([a-zéûô]+)\s+(\d{4})\b"#,
                { g in
                    guard let m = monthNames[g[1]], let y = Int(g[2]) else { return nil }
                    return (y, m, g[0] == "1er" ? 1 : Int(g[0]) ?? 0)
                }
            ),
            (
                #"\b([a-z]+)\s+(\d{1,2}),\s*(\d{4})\b"#,
                { g in
                    guard let m = monthNames[g[0]], let y = Int(g[2]), let d = Int(g[1]) else { return nil }
                    return (y, m, d)
                }
            ),
        ]
        for (pattern, make) in patterns {
            guard let re = try? NSRegularExpression(pattern: pattern) else { continue }
            for m in re.matches(in: lower, range: range) {
                let groups = ints(m, Array(1..<m.numberOfRanges))
                if let ymd = make(groups) { found.append(ymd) }
            }
        }
        return found.compactMap { y, m, d in
            TimeFormat.parse(String(format: "%04d-%02d-%02d 12:00", y, m, d))
        }.max()
    }

    /// Whether `date` falls on a later Paris day than `reference`.
    static func isLaterDay(_ date: Date, than reference: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeFormat.paris
        return Wording.daysBetween(reference, date, calendar: calendar) > 0
    }
}
