import Foundation

/// What the applicant did, besides trying the booking site (docs/FORMAT.md §4, `step`).
package enum StepKind: String, Codable, Sendable, CaseIterable {
    /// A registered letter (lettre recommandée avec avis de réception), usually to the préfet.
    case registeredLetter = "registered_letter"
    case letter
    case email
    /// A contact form of the prefecture's or ANEF's site.
    case contactForm = "contact_form"
    /// A visit to the counter.
    case visit
    case phoneCall = "phone_call"
    case other
}

/// What followed a step (docs/FORMAT.md §4, `step_followup`). The step itself is never edited.
package enum FollowUpKind: String, Codable, Sendable, CaseIterable {
    /// The avis de réception of a registered letter came back, signed.
    case receiptReturned = "receipt_returned"
    /// An answer arrived (a letter, an e-mail, an automatic reply).
    case answerReceived = "answer_received"
    /// The letter came back undelivered (« pli avisé et non réclamé », wrong address).
    case returnedUndelivered = "returned_undelivered"
    case other
}

/// Where a step's date comes from. Nothing temoin witnessed: the applicant declared it, or it is the
/// `Date` field of the e-mail given with the step.
package enum StepDateBasis: String, Codable, Sendable {
    case declared
    /// The `Date` field of the step's e-mail (its DKIM verdict says whether the sender's server signed it).
    case emailDate = "email_date"
}

/// The role of a proof file among an entry's captures.
package enum ProofRole: String, Codable, Sendable, CaseIterable {
    /// A scan, photo or PDF of what was sent or received, or a screenshot of a form's confirmation.
    case document
    /// La Poste's deposit receipt (preuve de dépôt) of a registered letter, with its tracking number.
    case postalReceipt = "postal_receipt"
    /// The avis de réception, signed by the addressee, as it came back.
    case acknowledgement
    /// An e-mail as saved (`.eml`), byte for byte.
    case email
}

/// A day (and optionally a time) in Paris, as a person gives it: the date of a step.
package struct StepDate: Sendable, Equatable, Codable {
    /// `YYYY-MM-DD`, a Paris calendar day.
    package var day: String
    /// `HH:MM`, Paris wall time, when the person gave one.
    package var time: String?

    package init(day: String, time: String? = nil) {
        self.day = day
        self.time = time
    }

    /// The instant this names (midnight Paris when there is no time).
    package var instant: Date? { TimeFormat.parse(time.map { "\(day)T\($0)" } ?? day) }

    /// "2026-11-03" or "2026-11-03 14:20".
    package var display: String { time.map { "\(day) \($0)" } ?? day }

    /// Reads `YYYY-MM-DD`, `DD/MM/YYYY`, either followed by ` HH:MM` (or `T`), as Paris time; refuses
    /// an impossible date, one before 1990, and one in the future (a day after today, or a time more
    /// than 5 minutes ahead of `now`).
    package static func parse(_ text: String, now: Date = Date()) throws -> StepDate {
        let t = text.trimmingCharacters(in: .whitespaces)
        let pattern = #"^(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})/(\d{1,2})/(\d{4}))(?:[T ](\d{1,2}):(\d{2}))?$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let m = regex.firstMatch(in: t, range: NSRange(t.startIndex..., in: t))
        else { throw TemoinError.step(.invalidDate(value: text)) }
        func group(_ i: Int) -> Int? {
            Range(m.range(at: i), in: t).flatMap { Int(t[$0]) }
        }
        let year = group(1) ?? group(6) ?? 0
        let month = group(2) ?? group(5) ?? 0
        let dayOfMonth = group(3) ?? group(4) ?? 0
        let day = String(format: "%04d-%02d-%02d", year, month, dayOfMonth)
        var time: String?
        if let h = group(7), let min = group(8) {
            guard h < 24, min < 60 else { throw TemoinError.step(.invalidDate(value: text)) }
            time = String(format: "%02d:%02d", h, min)
        }
        let date = StepDate(day: day, time: time)
        guard year >= 1990, let instant = date.instant else { throw TemoinError.step(.invalidDate(value: text)) }
        if time == nil {
            guard day <= String(TimeFormat.parisWallTime(now).prefix(10)) else {
                throw TemoinError.step(.dateInFuture(value: date.display))
            }
        } else if instant > now.addingTimeInterval(300) {
            throw TemoinError.step(.dateInFuture(value: date.display))
        }
        return date
    }

    /// The Paris day and time of an instant (an e-mail's `Date`).
    package init(instant: Date) {
        let wall = TimeFormat.parisWallTime(instant)  // "YYYY-MM-DD HH:MM:SS ..."
        day = String(wall.prefix(10))
        time = String(wall.dropFirst(11).prefix(5))
    }
}

/// An e-mail kept with a step: its main header fields as a person reads them, and what DKIM says.
package struct EmailFacts: Codable, Sendable, Equatable {
    /// SHA-256 of the `.eml` file (a capture of the same entry, role `email`).
    package var digest: String
    package var from: String?
    package var to: String?
    package var cc: String?
    package var subject: String?
    /// The `Date` field as written.
    package var date: String?
    /// The `Date` field as a UTC time (§5), when it parses.
    package var dateUTC: String?
    package var messageID: String?
    /// The domain of the `From` address.
    package var fromDomain: String?
    /// Every signature's verdict at the time of this entry; empty: the message is not signed.
    package var dkim: [DKIMSignatureCheck]
    /// UTC time the signatures were checked, tool clock.
    package var checkedAt: String
    /// Fields that appear more than once (`From`, `Date`...); those shown are the last ones, which a
    /// signature covers.
    package var repeatedFields: [String]?

    enum CodingKeys: String, CodingKey {
        case digest, from, to, cc, subject, date, dkim
        case repeatedFields = "repeated_fields"
        case dateUTC = "date_utc"
        case messageID = "message_id"
        case fromDomain = "from_domain"
        case checkedAt = "checked_at"
    }

    /// The verdict on the message as a whole: `pass` when one signature passes, else the most telling
    /// of the others (`fail` before `permerror` before `not_checked`); `none` when unsigned.
    package var verdict: DKIMResult {
        let results = dkim.map(\.result)
        for r in [DKIMResult.pass, .fail, .permerror, .notChecked] where results.contains(r) { return r }
        return .none
    }

    /// The first passing signature, if any.
    package var passing: DKIMSignatureCheck? { dkim.first { $0.result == .pass } }

    /// A passing signature made by the `From` address's domain (or a parent of it): the sender's own
    /// domain vouches for the message, not only a relay.
    package var passingAligned: DKIMSignatureCheck? {
        guard let from = fromDomain else { return nil }
        return dkim.first { s in
            guard s.result == .pass, let d = s.domain else { return false }
            return from == d || from.hasSuffix("." + d)
        }
    }
}

/// The `step` member of a `step` entry.
package struct StepFacts: Codable, Sendable, Equatable {
    package var kind: StepKind
    /// The day and the time, written flat in the step object as `date` and `time` (docs/FORMAT.md §4).
    var dateDay: String
    var dateTime: String?
    package var dateBasis: StepDateBasis
    /// To whom (« le préfet du Val-de-Marne », « bureau des étrangers »...), as the applicant wrote it.
    package var to: String?
    /// What was asked or said, in the applicant's words.
    package var summary: String
    /// Registered letters: La Poste's number (normalised: capitals, no spaces).
    package var trackingNumber: String?
    /// The e-mails among the captures, read.
    package var emails: [EmailFacts]?

    package var date: StepDate {
        get { StepDate(day: dateDay, time: dateTime) }
        set { (dateDay, dateTime) = (newValue.day, newValue.time) }
    }

    enum CodingKeys: String, CodingKey {
        case kind, to, summary, emails
        case dateDay = "date"
        case dateTime = "time"
        case dateBasis = "date_basis"
        case trackingNumber = "tracking_number"
    }
}

/// The `followup` member of a `step_followup` entry: what followed the step at seq `of`.
package struct FollowUpFacts: Codable, Sendable, Equatable {
    package var of: Int64
    package var kind: FollowUpKind
    /// The day and the time, written flat as in a step (`date`, `time`).
    var dateDay: String
    var dateTime: String?
    package var dateBasis: StepDateBasis
    /// Who answered, when someone did.
    package var from: String?
    package var summary: String?
    package var emails: [EmailFacts]?

    package var date: StepDate {
        get { StepDate(day: dateDay, time: dateTime) }
        set { (dateDay, dateTime) = (newValue.day, newValue.time) }
    }

    enum CodingKeys: String, CodingKey {
        case of, kind, from, summary, emails
        case dateDay = "date"
        case dateTime = "time"
        case dateBasis = "date_basis"
    }
}

/// The `check` member of a `step_check` entry: the DKIM signatures of the e-mails of entry `of`,
/// checked again later (`temoin step check`), with the keys then fetched.
package struct StepCheckFacts: Codable, Sendable, Equatable {
    package var of: Int64
    package var emails: [EmailFacts]

    package init(of: Int64, emails: [EmailFacts]) {
        self.of = of
        self.emails = emails
    }
}

/// La Poste tracking numbers, normalised and checked where the format has a check digit.
package enum TrackingNumber {
    /// Capitals, spaces and dashes removed. 11 to 15 letters and digits (La Poste's `1A…` numbers have 13,
    /// international ones, UPU S10, `RR123456785FR`). An S10 number must pass its check digit: a mistyped
    /// digit is caught now rather than in court.
    package static func normalise(_ text: String) throws -> String {
        let n = text.uppercased().filter { !" -.".contains($0) }
        guard (11...15).contains(n.count), n.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw TemoinError.step(.invalidTrackingNumber(value: text))
        }
        let chars = Array(n)
        if chars.count == 13, chars[0].isLetter, chars[1].isLetter, chars[11].isLetter, chars[12].isLetter,
            chars[2...10].allSatisfy(\.isNumber)
        {
            let digits = chars[2...9].map { Int(String($0))! }
            let weights = [8, 6, 4, 2, 3, 5, 9, 7]
            let sum = zip(digits, weights).map(*).reduce(0, +)
            var check = 11 - sum % 11
            if check == 10 { check = 0 } else if check == 11 { check = 5 }
            guard Int(String(chars[10])) == check else { throw TemoinError.step(.invalidTrackingNumber(value: text)) }
        }
        return n
    }
}
