import Foundation

/// The case `temoin init` records: what its options gave, and the questions left for a terminal.
package struct CaseQuestions {
    /// Each field's catalogue key, the value given on the command line, and whether it is required.
    package let fields: [(key: String, given: String?, required: Bool)]

    package init(applicant: String?, prefecture: String?, procedure: String?, bookingURL: String?, facts: String?) {
        fields = [
            ("applicant", applicant, true), ("prefecture", prefecture, true), ("procedure", procedure, true),
            ("booking_url", bookingURL, true), ("facts", facts, false),
        ]
    }

    private static func given(_ value: String?) -> String? {
        value.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// How many fields a terminal will be asked for.
    package var unanswered: Int { fields.filter { Self.given($0.given) == nil }.count }

    /// The options a script must give (no terminal to ask): `--booking-url` for `booking_url`.
    package var missingOptions: [String] {
        fields.filter { $0.required && Self.given($0.given) == nil }.map {
            "--" + $0.key.replacingOccurrences(of: "_", with: "-")
        }
    }

    /// Who answers what the options left open: `person` (someone at a terminal, without `--json`), or
    /// nobody (nil), and then a required option not given is `.caseOptionsMissing`, a bad argument.
    package func interview(_ person: Conversation?) throws -> CaseInterview? {
        if let person { return CaseInterview(person) }
        if !missingOptions.isEmpty { throw TemoinError.caseOptionsMissing(options: missingOptions) }
        return nil
    }

    /// The case's fields, validated: those given, the others asked through `interview` (nil: no
    /// terminal, an optional field left empty).
    package func answers(profile: String, asking interview: CaseInterview?) throws -> CaseFields {
        var answers = [String: String]()
        for (key, given, required) in fields {
            answers[key] = Self.given(given) ?? interview?.ask(key, required: required) ?? ""
        }
        return try CaseFields(
            applicant: answers["applicant"] ?? "", prefecture: answers["prefecture"] ?? "",
            procedure: answers["procedure"] ?? "", bookingURL: answers["booking_url"] ?? "", profile: profile,
            facts: answers["facts"] ?? ""
        ).validated()
    }
}

extension CaseInterview {
    /// Says how many questions come, then asks where to keep the store unless `--store` or
    /// TEMOIN_STORE said it (`askPlace` false: says where it will be). Returns the store's path.
    package func introduce(questions: Int, askPlace: Bool, path: String) -> String {
        let absolute = { URL(fileURLWithPath: $0).standardizedFileURL.path }
        conversation.say(tr("init.intro", ["count": String(questions + (askPlace ? 1 : 0))]))
        conversation.say("")
        if askPlace { return askStorePlace(default: path, absolute: absolute) }
        conversation.say(tr("init.place_given", ["path": absolute(path)]))
        conversation.say("")
        return path
    }
}

/// What `temoin init` prints once the store exists.
package enum InitText {
    /// Everything `init` says once the store exists: the TSAs and their first seals, where the store
    /// is, and what next.
    package static func utterances(_ setup: CaseSetup) -> [Utterance] {
        sealLines(setup.tsas, setup.seals)
            + doneLines(store: setup.store.path, chosen: setup.chosenPath).map(Utterance.line)
    }

    /// The TSAs added and each one's first seal, or why it failed (a problem, for standard error), in
    /// the order the TSAs answered.
    package static func sealLines(_ urls: [String], _ outcomes: [Sealer.Outcome]) -> [Utterance] {
        guard !urls.isEmpty else { return [] }
        var lines: [Utterance] = [.line(tr("init.tsa_added", ["urls": urls.joined(separator: ", ")]))]
        for o in outcomes {
            if let s = o.seal {
                lines.append(.line("  " + TrustText.sealLine(s)))
            } else if let e = o.error {
                lines.append(.problem(tr("init.tsa_failed", ["reason": e.description])))
            }
        }
        return lines
    }

    /// Where the store is, and what next; `chosen` when the person chose a place other than where
    /// temoin looks by default (to be given with --store from then on).
    package static func doneLines(store: String, chosen: String?) -> [String] {
        let absolute = { URL(fileURLWithPath: $0).standardizedFileURL.path }
        var lines = [tr("init.done", ["path": absolute(store)])]
        // From the portable folder the store is already on the stick.
        if Installation.current.portableRoot == nil { lines.append(tr("init.usb_hint")) }
        if let chosen { lines.append(tr("init.remember_store", ["path": absolute(chosen)])) }
        lines.append(tr("init.next"))
        return lines
    }
}

/// `temoin init --json`.
package struct InitJSON: Encodable {
    let store: String
    let store_id: String
    let head: ChainHead?
    let tsas: [String]
    let seals: [SealOutcomeJSON]

    /// The case just set up, and the head of its new store.
    package init(_ setup: CaseSetup) throws {
        self.init(store: setup.store, head: try setup.store.head(), tsas: setup.tsas, seals: setup.seals)
    }

    package init(store: Store, head: ChainHead?, tsas: [String], seals: [Sealer.Outcome]) {
        self.store = store.path
        store_id = store.storeID
        self.head = head
        self.tsas = tsas
        self.seals = seals.map(SealOutcomeJSON.init)
    }
}
