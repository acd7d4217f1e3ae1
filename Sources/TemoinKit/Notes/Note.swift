import Foundation

/// A note read back from the chain: a dated remark about an earlier entry (docs/FORMAT.md §4, `note`).
package struct NoteRecord: Sendable, Equatable, Encodable {
    /// The note's own entry.
    package var seq: Int64
    /// The entry it is about.
    package var about: Int64
    package var kind: NoteKind
    package var text: String
    /// When temoin wrote the note (the computer's clock).
    package var recordedAt: Date
    /// When what it tells happened, as the person declared it.
    package var occurredAt: Date?

    enum CodingKeys: String, CodingKey {
        case seq, about, kind, text
        case recordedAt = "recorded_at"
        case occurredAt = "occurred_at"
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(about, forKey: .about)
        try c.encode(kind, forKey: .kind)
        try c.encode(text, forKey: .text)
        try c.encode(TimeFormat.utc(recordedAt), forKey: .recordedAt)
        try c.encodeIfPresent(occurredAt.map(TimeFormat.utc), forKey: .occurredAt)
    }

    init?(_ entry: StoredEntry) {
        guard let b = entry.body, b.type == .note, let about = b.about, let text = b.text,
            let recorded = TimeFormat.parseUTC(b.recordedAt)
        else { return nil }
        seq = entry.seq
        self.about = about
        kind = b.kind ?? .comment
        self.text = text
        recordedAt = recorded
        occurredAt = b.occurredAt.flatMap(TimeFormat.parseUTC)
    }
}

/// Checks a note before it is written: a note is the person's own words, kept whole, but never
/// terminal controls, and never about an entry that does not exist yet.
package enum NoteText {
    /// Longest note accepted, in characters: a paragraph or two, not a document.
    package static let maximumLength = 4000

    /// The text trimmed; refused when empty, too long, or holding control characters other than line
    /// breaks and tabs (C0, DEL, C1), which would reach a terminal or a document as they are.
    package static func validated(_ text: String) throws -> String {
        let trimmed = text.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw TemoinError.invalidNote(detail: tr("note.error.empty")) }
        guard trimmed.count <= maximumLength else {
            throw TemoinError.invalidNote(detail: tr("note.error.too_long", ["max": String(maximumLength)]))
        }
        for s in trimmed.unicodeScalars {
            let v = s.value
            if (v < 0x20 && v != 0x0A && v != 0x09) || v == 0x7F || (0x80...0x9F).contains(v) {
                throw TemoinError.invalidNote(
                    detail: tr("note.error.control", ["code": String(format: "U+%04X", v)]))
            }
        }
        return trimmed
    }
}

extension Store {
    /// `temoin note`: the note written (``addNote(about:text:kind:occurredAt:now:)``) with `at` as a
    /// person writes it (Paris time unless an offset is given), and its report.
    package func addNote(about seq: Int64, text: String, kind: NoteKind?, at: String?) throws -> NoteJSON {
        let occurred = try at.map { try TimeFormat.interpret($0) }
        return NoteJSON(try addNote(about: seq, text: text, kind: kind, occurredAt: occurred), about: seq)
    }

    /// Writes a note about entry `about` as a new entry of the chain (never an edit of that entry).
    /// `occurredAt`, when given, is when what the note tells happened; it cannot be in the future.
    @discardableResult
    package func addNote(
        about: Int64, text: String, kind: NoteKind? = nil, occurredAt: Date? = nil, now: Date = Date()
    ) throws -> StoredEntry {
        let clean = try NoteText.validated(text)
        let target = try entry(seq: about)
        if let occurredAt, occurredAt > now.addingTimeInterval(300) {
            throw TemoinError.dateInFuture(value: TimeFormat.parisWallTime(occurredAt))
        }
        // A slot attempt's note is, unless said otherwise, what the person did about that slot.
        let resolvedKind = kind ?? (target.body?.outcome == .slotAvailable ? .followUp : .comment)
        return try append(type: .note, now: now) { body in
            body.about = about
            body.kind = resolvedKind
            body.text = clean
            body.occurredAt = occurredAt.map(TimeFormat.utc)
        }
    }

    /// Every note of the store, in chain order.
    package func notes() throws -> [NoteRecord] {
        try entries(containing: "\"type\":\"note\"").compactMap(NoteRecord.init)
    }
}
