import Foundation

/// The case as recorded in the chain: the fields given at `init`, then every amendment in order.
package struct CaseRecord: Sendable {
    package var fields: CaseFields
    package var openedAt: String
    package var amendments: [(seq: Int64, recordedAt: String, amendment: Amendment)]

    package init(
        fields: CaseFields, openedAt: String, amendments: [(seq: Int64, recordedAt: String, amendment: Amendment)]
    ) {
        self.fields = fields
        self.openedAt = openedAt
        self.amendments = amendments
    }
}

extension CaseFields {
    package func value(of field: CaseField) -> String {
        switch field {
        case .applicant: return applicant
        case .prefecture: return prefecture
        case .procedure: return procedure
        case .bookingURL: return bookingURL
        case .profile: return profile
        case .facts: return facts
        }
    }

    mutating func set(_ field: CaseField, to value: String) {
        switch field {
        case .applicant: applicant = value
        case .prefecture: prefecture = value
        case .procedure: procedure = value
        case .bookingURL: bookingURL = value
        case .profile: profile = value
        case .facts: facts = value
        }
    }

    /// Checks values a person typed: a booking URL must be http(s), a profile must exist, and no value
    /// holds an invisible control character; only the urgency facts may hold line breaks (FieldText).
    /// `checking`: the fields to check (an amendment checks the one it changes).
    package func validated(checking: Set<CaseField> = Set(CaseField.allCases)) throws -> CaseFields {
        for field in CaseField.allCases where checking.contains(field) && field != .facts && field != .bookingURL {
            try FieldText.checkLine(value(of: field), field: field.rawValue)
        }
        if checking.contains(.facts) { try FieldText.checkText(facts, field: CaseField.facts.rawValue) }
        var copy = self
        copy.bookingURL = bookingURL.trimmingCharacters(in: .whitespacesAndNewlines)
        if checking.contains(.bookingURL), !copy.bookingURL.isEmpty { try URLCheck.validate(copy.bookingURL) }
        if copy.profile.isEmpty { copy.profile = "auto" }
        if checking.contains(.profile), copy.profile != "auto", !RuleSet.builtInNames.contains(copy.profile) {
            throw TemoinError.unknownProfile(name: copy.profile)
        }
        return copy
    }
}

package enum URLCheck {
    /// Accepts absolute http and https URLs with a host; everything else is refused with the value shown.
    /// A space, a line break or any other invisible character is refused too: browsers would drop or
    /// encode it, so the address recorded would not be the one the site saw (RFC 3986 has no such
    /// character in a URL).
    package static func validate(_ value: String) throws {
        if value.unicodeScalars.contains(where: {
            $0.properties.isWhitespace || TerminalText.isControl($0) || TerminalText.isBidiControl($0)
                || $0.properties.generalCategory == .format
        }) {
            throw TemoinError.invalidURL(value: value)
        }
        guard let components = URLComponents(string: value), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { throw TemoinError.invalidURL(value: value) }
    }
}

extension Store {
    /// The case as it stands after every amendment.
    package func caseRecord() throws -> CaseRecord {
        var record: CaseRecord?
        for entry in try entries(containing: "\"type\":\"case_") {
            guard let body = entry.body else { continue }
            switch body.type {
            case .caseOpened:
                if let f = body.caseFields { record = CaseRecord(fields: f, openedAt: body.recordedAt, amendments: []) }
            case .caseAmended:
                guard let a = body.amendment, let field = CaseField(rawValue: a.field) else { continue }
                record?.fields.set(field, to: a.new)
                record?.amendments.append((entry.seq, body.recordedAt, a))
            default:
                continue
            }
        }
        guard let record else { throw TemoinError.notAStore(path: path, detail: tr("detail.no_case")) }
        return record
    }

    /// Amends one field of the case. The amendment is itself an entry of the chain: never silent.
    @discardableResult
    package func amendCase(field name: String, value: String, reason: String?, now: Date? = nil) throws -> StoredEntry?
    {
        guard let field = CaseField(rawValue: name) ?? (name == "url" ? .bookingURL : nil) else {
            throw TemoinError.unknownCaseField(name: name)
        }
        let current = try caseRecord().fields
        var updated = current
        updated.set(field, to: value.trimmingCharacters(in: .whitespacesAndNewlines))
        updated = try updated.validated(checking: [field])
        let newValue = updated.value(of: field)
        if field != .facts, newValue.isEmpty { throw TemoinError.emptyValue(field: field.rawValue) }
        let old = current.value(of: field)
        if old == newValue { return nil }
        if let reason { try FieldText.checkLine(reason, field: "reason") }
        return try append(type: .caseAmended, now: now) { body in
            body.amendment = Amendment(field: field.rawValue, old: old, new: newValue, reason: reason)
        }
    }
}
