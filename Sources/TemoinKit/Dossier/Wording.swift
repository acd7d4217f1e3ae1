import Foundation

/// A count as the dossier prints it: `5 000` in French (narrow no-break space), `5,000` in English.
/// Passed to templates as a number, not as text from the store, so French spacing may bind it to
/// the word that follows.
struct Count: CustomStringConvertible, Sendable, Equatable {
    var value: Int
    var language: Language

    var description: String { Wording(language: language).number(value) }
}

/// How the dossier writes dates, numbers, plurals and names in one language. Every sentence that
/// holds a number takes its plural from here (`plural`), never a « (s) ».
struct Wording: Sendable {
    let language: Language

    private var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeFormat.paris
        return c
    }

    static let frenchMonths = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre",
    ]
    static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    /// Monday first, as the heat map and ISO weeks.
    static let frenchWeekdays = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    static let englishWeekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// Whether `n` takes the plural: French writes « 0 tentative », « 1 tentative », « 2 tentatives »;
    /// English « 0 attempts », « 1 attempt ».
    func plural(_ n: Int) -> Bool { language == .fr ? n >= 2 : n != 1 }

    /// `n` and the noun in its number: `plural(3, "jour distinct", "jours distincts")`.
    func count(_ n: Int, _ singular: String, _ plural: String) -> String {
        "\(number(n))\u{00A0}\(self.plural(n) ? plural : singular)"
    }

    /// Thousands grouped: `12 345` (fr, narrow no-break space) or `12,345` (en).
    func number(_ n: Int) -> String {
        let digits = String(abs(n))
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (n < 0 ? "-" : "") + groups.joined(separator: language == .fr ? "\u{202F}" : ",")
    }

    struct Parts {
        var year: Int
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int
        /// 0 = Monday.
        var weekday: Int
    }

    func parts(_ date: Date) -> Parts {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        return Parts(
            year: c.year!, month: c.month!, day: c.day!, hour: c.hour!, minute: c.minute!, second: c.second!,
            weekday: (c.weekday! + 5) % 7)
    }

    func weekday(_ index: Int) -> String {
        (language == .fr ? Self.frenchWeekdays : Self.englishWeekdays)[((index % 7) + 7) % 7]
    }

    func month(_ index: Int) -> String { (language == .fr ? Self.frenchMonths : Self.englishMonths)[index - 1] }

    /// « lundi 5 octobre 2026 » / « Monday 5 October 2026 »; the day and month never part.
    func longDate(_ date: Date) -> String {
        let p = parts(date)
        let first = language == .fr && p.day == 1 ? "1er" : String(p.day)
        return "\(weekday(p.weekday)) \(first)\u{00A0}\(month(p.month)) \(p.year)"
    }

    /// « lundi 5 octobre 2026 à 08:31 » (Paris time).
    func longDateTime(_ date: Date, seconds: Bool = false) -> String {
        "\(longDate(date)) \(language == .fr ? "à" : "at") \(time(date, seconds: seconds))"
    }

    /// `08:31` or `08:31:05`.
    func time(_ date: Date, seconds: Bool = false) -> String {
        let p = parts(date)
        return seconds
            ? String(format: "%02d:%02d:%02d", p.hour, p.minute, p.second)
            : String(format: "%02d:%02d", p.hour, p.minute)
    }

    /// « lun. 05/10/2026 » / « Mon 2026-10-05 »: for tables.
    func shortDate(_ date: Date) -> String {
        let p = parts(date)
        let wd = weekday(p.weekday)
        if language == .fr {
            return "\(wd.prefix(3)).\u{00A0}" + String(format: "%02d/%02d/%04d", p.day, p.month, p.year)
        }
        return "\(wd.prefix(3))\u{00A0}" + String(format: "%04d-%02d-%02d", p.year, p.month, p.day)
    }

    /// « lun. 05/10/2026 à 08:31:05 ».
    func shortDateTime(_ date: Date, seconds: Bool = true) -> String {
        "\(shortDate(date)) \(language == .fr ? "à" : "at") \(time(date, seconds: seconds))"
    }

    /// A month as a heading: « octobre 2026 » / « October 2026 ».
    func monthHeading(year: Int, month: Int) -> String { "\(self.month(month)) \(year)" }

    /// An ISO week as people read it: « du lundi 5 au dimanche 11 octobre 2026 », « du lundi 28
    /// septembre au dimanche 4 octobre 2026 », « du lundi 28 décembre 2026 au dimanche 3 janvier 2027 ».
    func weekRange(monday: Date) -> String {
        let sunday = calendar.date(byAdding: .day, value: 6, to: monday) ?? monday.addingTimeInterval(6 * 86_400)
        let a = parts(monday)
        let b = parts(sunday)
        let aDay = language == .fr && a.day == 1 ? "1er" : String(a.day)
        let bDay = language == .fr && b.day == 1 ? "1er" : String(b.day)
        let start: String
        if a.year != b.year {
            start = "\(weekday(0)) \(aDay)\u{00A0}\(month(a.month)) \(a.year)"
        } else if a.month != b.month {
            start = "\(weekday(0)) \(aDay)\u{00A0}\(month(a.month))"
        } else {
            start = "\(weekday(0)) \(aDay)"
        }
        let end = "\(weekday(6)) \(bDay)\u{00A0}\(month(b.month)) \(b.year)"
        return language == .fr ? "du \(start) au \(end)" : "\(start) to \(end)"
    }

    /// Short form for a table cell: « 05/10 – 11/10/2026 » with weekdays: « lun. 05/10 – dim. 11/10/2026 ».
    func shortWeekRange(monday: Date) -> String {
        let sunday = calendar.date(byAdding: .day, value: 6, to: monday) ?? monday.addingTimeInterval(6 * 86_400)
        let a = parts(monday)
        let b = parts(sunday)
        if language == .fr {
            return "lun.\u{00A0}" + String(format: "%02d/%02d", a.day, a.month) + " – dim.\u{00A0}"
                + String(format: "%02d/%02d/%04d", b.day, b.month, b.year)
        }
        return "Mon\u{00A0}" + String(format: "%02d-%02d", a.month, a.day) + " – Sun\u{00A0}"
            + String(format: "%04d-%02d-%02d", b.year, b.month, b.day)
    }

    /// How long ago, in whole Paris days: « aujourd'hui », « hier », « il y a 12 jours ».
    func ago(_ date: Date, now: Date) -> String {
        let days = Self.daysBetween(date, now, calendar: calendar)
        if language == .fr {
            if days <= 0 { return "aujourd'hui" }
            if days == 1 { return "hier" }
            return "il y a \(count(days, "jour", "jours"))"
        }
        if days <= 0 { return "today" }
        if days == 1 { return "yesterday" }
        return "\(count(days, "day", "days")) ago"
    }

    /// Calendar days from `a` to `b`, Paris time (0 on the same day).
    static func daysBetween(_ a: Date, _ b: Date, calendar: Calendar) -> Int {
        let da = calendar.startOfDay(for: a)
        let db = calendar.startOfDay(for: b)
        return calendar.dateComponents([.day], from: da, to: db).day ?? 0
    }

    // MARK: names

    /// « d'Amina Diallo », « de Karima B. » (French elision before a vowel; English: « of »).
    func of(_ name: String) -> String {
        guard language == .fr else { return "of \(name)" }
        return Self.elides(name) ? "d'\(name)" : "de \(name)"
    }

    /// « à Amina » never elides; « que Amina » does: « qu'Amina ».
    static func elides(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first else { return false }
        let base = String(first).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        return ["a", "e", "i", "o", "u", "y"].contains(base)
    }

    /// The prefecture's name inside a sentence, with its article: « la préfecture du Val-de-Marne » (the
    /// institution, lower case), whatever the capital the person typed at `init`.
    func prefectureInSentence(_ prefecture: String) -> String {
        let trimmed = prefecture.trimmingCharacters(in: .whitespaces)
        for word in ["Préfecture", "Sous-préfecture", "Sous-Préfecture", "préfecture", "sous-préfecture"]
        where trimmed.hasPrefix(word) {
            return language == .fr ? "la " + word.lowercased() + trimmed.dropFirst(word.count) : "the " + trimmed
        }
        return trimmed
    }

    /// The defendant: the préfet (the State), not « la préfecture ». Derived from the prefecture's name
    /// (« Préfecture du Val-de-Marne (Créteil) » gives « le préfet du Val-de-Marne »); when the name does
    /// not say which préfet, the words say so instead of guessing.
    func prefet(_ prefecture: String) -> String {
        var name = prefecture.trimmingCharacters(in: .whitespaces)
        if let paren = name.range(of: " (") { name = String(name[..<paren.lowerBound]) }
        let lower = name.lowercased()
        if lower.hasPrefix("préfecture de police") || lower.hasPrefix("prefecture de police") {
            return language == .fr ? "le préfet de police" : "the préfet de police"
        }
        for prefix in ["préfecture ", "prefecture "] where lower.hasPrefix(prefix) {
            let rest = String(name.dropFirst(prefix.count))
            if rest.hasPrefix("du ") || rest.hasPrefix("de ") || rest.hasPrefix("des ") || rest.hasPrefix("d'")
                || rest.hasPrefix("d’") || rest.hasPrefix("de la ") || rest.hasPrefix("de l'")
            {
                return (language == .fr ? "le préfet " : "the préfet ") + rest
            }
        }
        return language == .fr ? "le préfet compétent (\(prefecture))" : "the competent préfet (\(prefecture))"
    }

    /// A label as a file name: ASCII letters, digits, `-` and `_` (Télérecours, CJA R.414-3).
    static func fileStem(_ label: String) -> String {
        let folded = label.folding(options: [.diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
        var out = ""
        var lastUnderscore = false
        for s in folded.unicodeScalars {
            if s.value < 128, CharacterSet.alphanumerics.contains(s) || s == "-" {
                out.unicodeScalars.append(s)
                lastUnderscore = false
            } else if s == "œ" || s == "Œ" {
                out += s == "œ" ? "oe" : "OE"
                lastUnderscore = false
            } else if !lastUnderscore {
                out += "_"
                lastUnderscore = true
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        while out.hasPrefix("_") { out.removeFirst() }
        return out
    }

    /// Runs of numbers as ranges: [2, 3, 4, 7, 9, 10] gives « 2–4, 7, 9–10 ».
    static func ranges(_ numbers: [Int64]) -> String {
        var runs: [(Int64, Int64)] = []
        for n in numbers.sorted() {
            if let last = runs.last, last.1 == n - 1 || last.1 == n {
                runs[runs.count - 1].1 = n
            } else {
                runs.append((n, n))
            }
        }
        return runs.map { $0.0 == $0.1 ? "\($0.0)" : "\($0.0)–\($0.1)" }.joined(separator: ", ")
    }

    /// A SHA-256 in groups of four, as read over the phone (never hyphenated: spaces are the only breaks).
    static func grouped(_ hex: String, groups: Int? = nil) -> String {
        var out: [String] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 4, limitedBy: hex.endIndex) ?? hex.endIndex
            out.append(String(hex[i..<j]))
            i = j
            if let groups, out.count == groups { break }
        }
        return out.joined(separator: " ") + (groups.map { _ in i < hex.endIndex ? " …" : "" } ?? "")
    }
}

/// French typography on the template's own text: narrow no-break spaces before « ; : ! ? », no-break
/// spaces inside « » and after « n° », between a number and the word after it (« 300 tentatives »,
/// « 13 h »), and between « p. » and its page. Values from the store are never touched (they are the
/// page's or the person's words).
enum FrenchSpacing {
    static func apply(_ text: MarkedText) -> MarkedText {
        var out: [MarkedText.Segment] = []
        var previousLast: Character?
        for segment in text.segments {
            switch segment {
            case .template(let t):
                var s = fix(t)
                // A number written just before (a count passed as text) binds to the first word here.
                if let p = previousLast, p.isNumber, s.hasPrefix(" "),
                    s.dropFirst().first.map({ $0.isLetter }) == true
                {
                    s = "\u{00A0}" + s.dropFirst()
                }
                out.append(.template(s))
                previousLast = s.last
            default:
                out.append(segment)
                previousLast = segment.text.last
            }
        }
        return MarkedText(segments: out)
    }

    static func fix(_ s: String) -> String {
        var out = s
        for mark in [":", ";", "!", "?"] { out = out.replacingOccurrences(of: " " + mark, with: "\u{202F}" + mark) }
        out = out.replacingOccurrences(of: "« ", with: "«\u{00A0}").replacingOccurrences(of: " »", with: "\u{00A0}»")
        out = out.replacingOccurrences(of: "n° ", with: "n°\u{00A0}").replacingOccurrences(
            of: " p. ", with: " p.\u{00A0}")
        // Digit, space, letter: never parted at the end of a line (inside markup tags nothing matches:
        // attribute values are colours and font names).
        var scalars = Array(out)
        var i = 1
        while i + 1 < scalars.count {
            if scalars[i] == " ", scalars[i - 1].isNumber, scalars[i + 1].isLetter { scalars[i] = "\u{00A0}" }
            i += 1
        }
        out = String(scalars)
        return out
    }
}
