import Foundation
import Synchronization
import TemoinPDF

/// The tables drawn by code and the text of shown pages.
extension DossierContext {
    // MARK: tables drawn by code

    struct WeekRow {
        var label: String
        var attempts: Int
        var days: Int
        var byCategory: [OutcomeCategory: Int]
        var isSummary = false
        func count(_ c: OutcomeCategory) -> Int { byCategory[c] ?? 0 }
    }

    /// Attempts per ISO week (Paris), oldest first. With `limit`, the oldest weeks beyond it are summed in
    /// one row, so that page 1 stays one page; a total row closes the table.
    func weekRows(limit: Int?) -> [WeekRow] {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeFormat.paris
        var order: [Date] = []
        var rows: [Date: (Int, Set<String>, [OutcomeCategory: Int])] = [:]
        // A contradicted time is in no week (it is listed apart, with its figures).
        let counted = data.attempts.filter { !$0.timeContradicted }
        for a in counted {
            guard let monday = calendar.dateInterval(of: .weekOfYear, for: a.observedAt)?.start else { continue }
            if rows[monday] == nil { order.append(monday) }
            let p = wording.parts(a.observedAt)
            var r = rows[monday] ?? (0, [], [:])
            r.0 += 1
            r.1.insert(String(format: "%04d-%02d-%02d", p.year, p.month, p.day))
            r.2[a.category, default: 0] += 1
            rows[monday] = r
        }
        order.sort()
        var out = order.map { m -> WeekRow in
            let r = rows[m]!
            return WeekRow(label: wording.shortWeekRange(monday: m), attempts: r.0, days: r.1.count, byCategory: r.2)
        }
        if let limit, out.count > limit {
            let older = out.prefix(out.count - limit + 1)
            var sum = WeekRow(label: "", attempts: 0, days: 0, byCategory: [:], isSummary: true)
            for r in older {
                sum.attempts += r.attempts
                sum.days += r.days
                for (k, n) in r.byCategory { sum.byCategory[k, default: 0] += n }
            }
            let first = order.first!
            sum.label =
                "\(templates.label("week.earlier")) (\(language == .fr ? "depuis le" : "from") \(wording.shortDate(first)))"
            out = [sum] + out.suffix(limit - 1)
        }
        var total = WeekRow(
            label: templates.label("week.total"), attempts: counted.count, days: data.statistics.days.count,
            byCategory: Dictionary(grouping: counted, by: \.category).mapValues(\.count), isSummary: true)
        total.isSummary = true
        return out + [total]
    }

    struct DayRow {
        var year: Int
        var month: Int
        var label: String
        var items: [(time: String, code: String, declared: Bool)]
        var seqs: [Int64]
    }

    /// One row per Paris day with attempts, in time order.
    func dailyRows() -> [DayRow] {
        var rows: [DayRow] = []
        var index: [String: Int] = [:]
        // A contradicted time is on no day: it is listed apart (« Heures contredites »).
        for a in data.attempts.filter({ !$0.timeContradicted }).sorted(by: {
            ($0.observedAt, $0.seq) < ($1.observedAt, $1.seq)
        }) {
            let p = wording.parts(a.observedAt)
            let key = String(format: "%04d-%02d-%02d", p.year, p.month, p.day)
            if index[key] == nil {
                index[key] = rows.count
                rows.append(
                    DayRow(year: p.year, month: p.month, label: wording.shortDate(a.observedAt), items: [], seqs: []))
            }
            let i = index[key]!
            // In italics: a time nothing confirms (declared, unreachable site, no server date, no exchange).
            rows[i].items.append(
                (
                    wording.time(a.observedAt), outcomeCode(a.outcome),
                    a.timeBasis != .witnessed || a.timeUncorroborated
                ))
            rows[i].seqs.append(a.seq)
        }
        return rows
    }

    struct IndexRow {
        var page: String
        var digest: String
        var seqs: String
        var outcomes: String
        var mixed: Bool
    }

    func indexRows() -> [IndexRow] {
        groups.enumerated().map { i, g in
            var outcomes: [Outcome] = []
            for a in g.attempts where !outcomes.contains(a.outcome) { outcomes.append(a.outcome) }
            let seqs = Wording.ranges(g.attempts.map(\.seq))
            return IndexRow(
                page: "P\(i + 1)", digest: g.page.digest,
                seqs:
                    language == .fr
                    ? "\(wording.count(g.attempts.count, "fois", "fois")) : n°\u{00A0}\(seqs)"
                    : "\(wording.count(g.attempts.count, "time", "times")): no.\u{00A0}\(seqs)",
                outcomes: outcomes.map(outcomeLabel).joined(separator: " / "), mixed: outcomes.count > 1)
        }
    }

    // MARK: page text

    /// The page's visible text (as the analysis sees it), escaped, with the recorded message highlighted
    /// when it is the page's own words. Nil when the capture's bytes were withheld.
    func visibleMarkup(_ a: DossierAttempt, html: Bool = false) -> String? {
        guard let text = visibleText(of: a).map({ String($0.prefix(6000)) }) else { return nil }
        let open = html ? "<mark>" : "<span background=\"#ffe680\"><b>"
        let close = html ? "</mark>" : "</b></span>"
        guard isPageWords(a), let message = a.message,
            let r = text.range(of: message, options: [.caseInsensitive, .diacriticInsensitive])
        else { return Markup.escape(text) }
        return Markup.escape(String(text[..<r.lowerBound])) + open + Markup.escape(String(text[r])) + close
            + Markup.escape(String(text[r.upperBound...]))
    }

    /// The image bytes of a shown page's witnessed screenshot, when it has one.
    func screenshotBytes(_ a: DossierAttempt) -> Data? {
        guard let shot = a.screenshot else { return nil }
        return try? store.captureBytes(digest: shot.digest)
    }
}
