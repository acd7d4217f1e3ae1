import Foundation

/// What an attempt found (docs/FORMAT.md, "Outcomes").
package enum Outcome: String, Codable, Sendable, CaseIterable {
    case noSlot = "no_slot"
    case slotAvailable = "slot_available"
    case captcha
    case siteError = "site_error"
    case unreachable
    case unexpected
}

/// How an entry was obtained; the dossier shows it beside every attempt.
package enum Provenance: String, Codable, Sendable, CaseIterable {
    /// temoin itself fetched the page.
    case captured
    /// A person made the attempt in a browser that temoin watched.
    case witnessed
    /// A page saved earlier by the person, brought in afterwards.
    case imported
}

/// Where `observed_at` comes from: only `witnessed` was read off the tool's clock at the time.
package enum TimeBasis: String, Codable, Sendable {
    case witnessed
    /// Given by the person (`--observed-at`).
    case declared
    /// The saved file's modification time: declared by the file system, not witnessed.
    case fileModificationTime = "file_mtime"
}

package enum EntryType: String, Codable, Sendable {
    case caseOpened = "case_opened"
    case caseAmended = "case_amended"
    case attempt
    /// A letter, e-mail, form, visit or call of the applicant's (Steps/).
    case step
    /// What followed a step (receipt back, answer); the step itself is never edited.
    case stepFollowUp = "step_followup"
    /// The DKIM signatures of a step's e-mails checked again later.
    case stepCheck = "step_check"
    /// A dated note about an earlier entry (`temoin note`): what the person did after a slot was seen,
    /// a remark; later versions may record alerts as notes of their own kind.
    case note
}

/// What a note is about (docs/FORMAT.md §4, `note`). An open set, like GRDB's `ResultCode`: a reader
/// keeps a kind it does not know and treats the note as a plain one.
package struct NoteKind: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    package var rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }

    /// What the person did after an attempt showed a slot (tried to book it, what the site said).
    package static let followUp = NoteKind(rawValue: "follow_up")
    /// Any other remark about an entry.
    package static let comment = NoteKind(rawValue: "comment")
    /// The kinds `temoin note --kind` accepts today.
    package static let known: [NoteKind] = [.followUp, .comment]

    package init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    package func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    package var description: String { rawValue }
}

/// A capture referenced by an entry: the digest is of the raw bytes, before compression.
package struct CaptureRef: Codable, Sendable, Equatable {
    package var digest: String
    package var size: Int64
    package var role: String
    package var mediaType: String?
    package var name: String?

    package init(digest: String, size: Int64, role: String, mediaType: String? = nil, name: String? = nil) {
        self.digest = digest
        self.size = size
        self.role = role
        self.mediaType = mediaType
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case digest, size, role, name
        case mediaType = "media_type"
    }
}

/// A date the prefecture published about its own slots ("Dernière mise en ligne de rendez-vous : le ...").
package struct PublicationFact: Codable, Sendable, Equatable {
    /// The sentence as the page showed it.
    package var text: String
    /// Paris wall time `YYYY-MM-DDTHH:MM` when the sentence gives one.
    package var at: String?
    /// First day of the week of slots it announces, `YYYY-MM-DD`.
    package var weekOf: String?

    package init(text: String, at: String? = nil, weekOf: String? = nil) {
        self.text = text
        self.at = at
        self.weekOf = weekOf
    }

    enum CodingKeys: String, CodingKey {
        case text, at
        case weekOf = "week_of"
    }
}

package struct PageFacts: Codable, Sendable, Equatable {
    package var lastPublication: PublicationFact?
    package var nextPublication: PublicationFact?
    /// Number of bookable slots listed on the page, when it lists them.
    package var slotsListed: Int?

    package init(
        lastPublication: PublicationFact? = nil, nextPublication: PublicationFact? = nil, slotsListed: Int? = nil
    ) {
        self.lastPublication = lastPublication
        self.nextPublication = nextPublication
        self.slotsListed = slotsListed
    }

    package var isEmpty: Bool { lastPublication == nil && nextPublication == nil && slotsListed == nil }

    enum CodingKeys: String, CodingKey {
        case lastPublication = "last_publication"
        case nextPublication = "next_publication"
        case slotsListed = "slots_listed"
    }
}

/// The file an imported entry came from.
package struct ImportSource: Codable, Sendable, Equatable {
    package var fileName: String
    package var fileModifiedAt: String?
    /// Where the URL was read: `option`, `saved_from_comment`, `canonical_link`, `og_url`, `mhtml_header`.
    package var urlSource: String
    package var charset: String?
    package var charsetSource: String?
    /// With `--url`: the address the page itself gives, and where it gives it (same values as
    /// `urlSource`), kept whether or not it agrees.
    package var declaredURL: String?
    package var declaredURLSource: String?
    /// What chose the profile whose rules were applied (`ProfileBasis`).
    package var profileBasis: ProfileBasis?

    package init(
        fileName: String, fileModifiedAt: String?, urlSource: String, charset: String?, charsetSource: String?,
        declaredURL: String? = nil, declaredURLSource: String? = nil, profileBasis: ProfileBasis? = nil
    ) {
        self.fileName = fileName
        self.fileModifiedAt = fileModifiedAt
        self.urlSource = urlSource
        self.charset = charset
        self.charsetSource = charsetSource
        self.declaredURL = declaredURL
        self.declaredURLSource = declaredURLSource
        self.profileBasis = profileBasis
    }

    enum CodingKeys: String, CodingKey {
        case fileName = "file_name"
        case fileModifiedAt = "file_modified_at"
        case urlSource = "url_source"
        case charset
        case charsetSource = "charset_source"
        case declaredURL = "declared_url"
        case declaredURLSource = "declared_url_source"
        case profileBasis = "profile_basis"
    }
}

package struct ToolInfo: Codable, Sendable, Equatable {
    package var name: String
    package var version: String
    package static let current = ToolInfo(name: Temoin.name, version: Temoin.version)
}

/// The case as it stands: who, where, what, and the facts that bear on urgency.
package struct CaseFields: Codable, Sendable, Equatable {
    package var applicant: String
    package var prefecture: String
    package var procedure: String
    package var bookingURL: String
    package var profile: String
    package var facts: String

    package init(
        applicant: String, prefecture: String, procedure: String, bookingURL: String, profile: String, facts: String
    ) {
        self.applicant = applicant
        self.prefecture = prefecture
        self.procedure = procedure
        self.bookingURL = bookingURL
        self.profile = profile
        self.facts = facts
    }

    enum CodingKeys: String, CodingKey {
        case applicant, prefecture, procedure, profile, facts
        case bookingURL = "booking_url"
    }
}

/// The names `temoin case set` accepts.
package enum CaseField: String, CaseIterable, Sendable {
    case applicant, prefecture, procedure, profile, facts
    case bookingURL = "booking_url"
}

package struct Amendment: Codable, Sendable, Equatable {
    package var field: String
    package var old: String
    package var new: String
    package var reason: String?
}

/// One entry of the chain as written. Encoded once, with sorted keys and no spaces; the resulting bytes
/// are stored verbatim and hashed (docs/FORMAT.md). Members absent from an entry are omitted, never null.
package struct EntryBody: Codable, Sendable, Equatable {
    package var v: Int = 1
    package var seq: Int64
    package var prev: String
    package var type: EntryType
    package var recordedAt: String
    package var tool: ToolInfo = .current

    // Attempts.
    package var provenance: Provenance?
    package var observedAt: String?
    package var timeBasis: TimeBasis?
    package var url: String?
    package var outcome: Outcome?
    package var rule: String?
    /// The page's own sentence(s) that carry the outcome, verbatim (never temoin's words).
    package var message: String?
    /// temoin's own description of what it saw (a list of slots, a CAPTCHA form, a network
    /// failure): never shown between quotation marks.
    package var description: String?
    /// How the visibility of the deciding text was established, and any doubt about it.
    package var visibility: VisibilityRecord?
    /// Markers found in the page but not counted, and why.
    package var setAside: [SetAsideMarker]?
    package var title: String?
    package var profile: String?
    package var facts: PageFacts?
    package var captures: [CaptureRef]?
    package var source: ImportSource?
    package var note: String?
    /// Live attempts: every HTTP exchange, in order, and the circumstances.
    package var exchanges: [HTTPExchange]?
    package var environment: EnvironmentFacts?
    /// The steps of the profile that were walked (`get`, `submit`...), for the method section.
    package var steps: [String]?
    /// Witnessed attempts: the browser, how the attempt ended, and the navigation history.
    package var browser: BrowserFacts?
    /// Attempts appended after a seal: that seal's token digest, a lower bound on the entry's time.
    package var afterSeal: AfterSeal?

    // Case entries.
    package var caseFields: CaseFields?
    package var amendment: Amendment?

    // Notes.
    /// The seq of the entry a note is about (an earlier entry of the same chain).
    package var about: Int64?
    package var kind: NoteKind?
    /// The note, as the person wrote it.
    package var text: String?
    /// When what the note tells happened, as the person declared it (UTC); absent when not given.
    package var occurredAt: String?

    // Steps (docs/FORMAT.md §4).
    package var step: StepFacts?
    package var followUp: FollowUpFacts?
    package var check: StepCheckFacts?

    package init(seq: Int64, prev: String, type: EntryType, recordedAt: String) {
        self.seq = seq
        self.prev = prev
        self.type = type
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case v, seq, prev, type, tool, provenance, url, outcome, rule, message, title, profile, facts, captures,
            source, note, amendment, exchanges, environment, steps, browser, about, kind, text, description,
            visibility
        case setAside = "set_aside"
        case recordedAt = "recorded_at"
        case occurredAt = "occurred_at"
        case observedAt = "observed_at"
        case timeBasis = "time_basis"
        case caseFields = "case"
        case afterSeal = "after_seal"
        case step, check
        case followUp = "followup"
    }

    /// The canonical bytes: UTF-8 JSON, keys sorted, no insignificant whitespace, `/` unescaped.
    package func canonicalBytes() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    package static func decode(_ data: Data) throws -> EntryBody {
        try JSONDecoder().decode(EntryBody.self, from: data)
    }

    /// Whether `message` holds the page's own words. Entries written before `visibility` existed
    /// recorded temoin's fixed description of a structural rule, or of a network failure, in
    /// `message`: those are not the page's words and are never quoted.
    package var messageIsPageText: Bool {
        guard message != nil, let rule else { return false }
        return visibility != nil || !Self.describedRulesBefore.contains(rule)
    }

    /// Rules of the shipped profiles whose `message` was a fixed text of temoin's before the page's
    /// words were kept apart (`description`).
    static let describedRulesBefore: Set<String> = [
        "prefecture-legacy/legacy-date-choice", "prefecture-legacy/legacy-counter-choice",
        "prefecture-legacy/legacy-start-page", "rdv-prefecture/rdv-slots-listed",
        "rdv-prefecture/rdv-captcha-invalid", "rdv-prefecture/rdv-captcha", "generic/generic-captcha",
    ]

    /// The full-page PNG screenshot of a witnessed attempt (capture role `screenshot`), nil for other
    /// entries. Its bytes: `Store.captureBytes(digest: screenshot.digest)`.
    package var screenshot: CaptureRef? { captures?.first { $0.role == CaptureRef.screenshotRole } }
}

extension CaptureRef {
    /// Role of a witnessed attempt's full-page PNG screenshot.
    package static let screenshotRole = "screenshot"
}

extension StoredEntry {
    /// The attempt's full-page PNG screenshot, when it is a witnessed attempt (see ``EntryBody/screenshot``).
    package var screenshot: CaptureRef? { body?.screenshot }
}
