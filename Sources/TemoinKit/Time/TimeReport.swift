import Foundation

/// The problems the time rules report (docs/FORMAT.md §8.4), shared with docs/verify_reference.py.
/// None of them makes a chain "tampered": they say that a time cannot be relied on.
package enum TimeCode: String, Codable, Sendable, CaseIterable, Comparable {
    /// The prefecture's server clock (`Date` header) differs from the computer's beyond the tolerance.
    case serverOffset = "time_server_offset"
    /// Recorded before the entry just before it in the chain.
    case beforePrevious = "time_before_previous"
    /// Recorded after the entry just after it in the chain, whose own time the evidence confirms.
    case afterNext = "time_after_next"
    /// Recorded before the case was opened (entry 1).
    case beforeCase = "time_before_case"
    /// An attempt observed after it was recorded.
    case observedAfterRecorded = "time_observed_after_recorded"
    /// A time later than the verifier's own clock.
    case inFuture = "time_in_future"
    /// Recorded after the genTime of a seal of this entry or a later one (an upper bound).
    case afterSeal = "time_after_seal"
    /// Recorded before the genTime of a seal that this entry, or one before it, names (a lower bound).
    case beforeSeal = "time_before_seal"
    /// `after_seal` names no seal of an earlier entry that binds: the lower bound cannot be checked.
    case sealUnknown = "time_seal_unknown"

    /// Whether the problem shows the time wrong (every code but `time_seal_unknown`, which only says
    /// that a bound is missing).
    package var contradicts: Bool { self != .sealUnknown }

    package static func < (a: TimeCode, b: TimeCode) -> Bool { a.rawValue < b.rawValue }
}

/// One time problem, with the figures that show it.
package struct TimeProblem: Codable, Sendable, Equatable {
    package var seq: Int64
    package var code: TimeCode
    /// The time in question (the entry's `recorded_at`, or `observed_at`), UTC in the store's form.
    /// This member and the next three are written even when null (FORMAT.md §8.5), as the reference
    /// verifier writes them.
    @NullWhenAbsent package var at: String?
    /// What it was compared with: the other entry's `recorded_at`, the server's clock, a seal's
    /// genTime, the verifier's clock.
    @NullWhenAbsent package var reference: String?
    /// The other entry (predecessor, successor, entry 1) or the seal's sealed seq.
    @NullWhenAbsent package var referenceSeq: Int64?
    /// `at` minus `reference`, in milliseconds (for `time_server_offset`: the server's clock minus the
    /// computer's).
    @NullWhenAbsent package var differenceMs: Int64?
    package var sealID: Int64?
    package var tsaURL: String?
    /// The position (from 1) of the exchange whose `Date` differs most, for `time_server_offset`.
    package var exchange: Int?
    /// In English, as in the reference verifier.
    package var reason: String

    enum CodingKeys: String, CodingKey {
        case seq, code, at, reference, exchange, reason
        case referenceSeq = "reference_seq"
        case differenceMs = "difference_ms"
        case sealID = "seal_id"
        case tsaURL = "tsa_url"
    }

    init(
        seq: Int64, code: TimeCode, at: Int64?, reference: Int64?, referenceSeq: Int64? = nil, differenceMs: Int64?,
        seal: SealClock? = nil, exchange: Int? = nil
    ) {
        self.seq = seq
        self.code = code
        self.at = at.map(TimeRules.utc)
        self.reference = reference.map(TimeRules.utc)
        self.referenceSeq = referenceSeq ?? seal?.seq
        self.differenceMs = differenceMs
        self.sealID = seal?.id
        self.tsaURL = seal?.tsaURL
        self.exchange = exchange
        reason = ""
        reason = text(.en)
    }

    /// The problem in words a person acts on, in `language` (the current one by default).
    package func text(_ language: Language? = nil) -> String {
        Messages.shared.text("time.problem.\(code.rawValue)", arguments(language), language: language)
    }

    func arguments(_ language: Language?) -> [String: String] {
        func wall(_ utc: String?) -> String {
            utc.flatMap(TimeFormat.parseUTC).map(TimeFormat.parisWallTime) ?? "-"
        }
        return [
            "seq": String(seq), "at": wall(at), "reference": wall(reference),
            "other": referenceSeq.map(String.init) ?? "-",
            "difference": TimeText.duration(abs(differenceMs ?? 0), language: language),
            "direction": Messages.shared.text(
                (differenceMs ?? 0) >= 0 ? "time.ahead" : "time.behind", language: language),
            "seal": sealID.map(String.init) ?? "-", "tsa": tsaURL.map(TimeText.authority) ?? "-",
            "exchange": exchange.map(String.init) ?? "-",
            "tolerance": TimeText.duration(TimeRules.toleranceMs, language: language),
        ]
    }
}

/// What the evidence says of one attempt's time.
package enum TimeVerdict: String, Codable, Sendable {
    /// The prefecture's server clock agrees within the tolerance, or seals bracket it closely, and
    /// nothing contradicts it.
    case corroborated
    /// Nothing contradicts it, but nothing confirms it either (see `UncorroboratedReason`).
    case uncorroborated
    /// The evidence shows the time wrong by more than the tolerance (see the problems).
    case contradicted
}

/// Why an attempt's time is not corroborated.
package enum UncorroboratedReason: String, Codable, Sendable, CaseIterable {
    /// An imported page whose time the person gave (`--observed-at`).
    case declared
    /// An imported page dated by the saved file's modification time.
    case fileMtime = "file_mtime"
    /// Exchanges were recorded and none was answered (a network failure): no server clock to compare
    /// with.
    case unreachable
    /// The site answered without a readable `Date` header.
    case noServerDate = "no_server_date"
    /// The attempt holds no HTTP exchange at all (stores written without them): nothing says whether
    /// the site answered, so this is never called unreachable.
    case noExchangeRecorded = "no_exchange_recorded"
    /// The entry's times are not in the format's form.
    case unreadable
}

/// One attempt's time, as the evidence of the store shows it: what `status` and the dossier print.
package struct AttemptTime: Encodable, Sendable, Equatable {
    package var seq: Int64
    /// `observed_at` and `recorded_at`, milliseconds since the epoch (the texts are formatted only when
    /// read: verify judges every attempt and prints few).
    package var observedMs: Int64?
    package var recordedMs: Int64?
    package var timeBasis: String?
    package var verdict: TimeVerdict
    /// Why not corroborated (`uncorroborated` only).
    package var reason: UncorroboratedReason?
    /// Corroborated by the server's clock (within the tolerance), by a close seal window, or both.
    package var byServer: Bool
    package var bySeals: Bool
    /// The server's clock minus the computer's, where the attempt's exchanges differ most; nil without
    /// a readable `Date` header.
    package var serverOffsetMs: Int64?
    /// Exchanges with a readable `Date` header.
    package var datedExchanges: Int
    /// The seal whose genTime bounds the entry from below (named by `after_seal`, here or earlier), and
    /// the first seal that bounds it from above (the earliest genTime among seals of this seq or later).
    package var lower: SealClock?
    package var upper: SealClock?
    /// Every time problem at this seq (`time_seal_unknown` included).
    package var problems: [TimeProblem]

    enum CodingKeys: String, CodingKey {
        case seq, verdict, reason, lower, upper, problems
        case observedAt = "observed_at"
        case recordedAt = "recorded_at"
        case timeBasis = "time_basis"
        case byServer = "by_server"
        case bySeals = "by_seals"
        case serverOffsetMs = "server_offset_ms"
        case serverTime = "server_time"
        case datedExchanges = "dated_exchanges"
    }

    package var observedAt: String? { observedMs.map(TimeRules.utc) }
    package var recordedAt: String? { recordedMs.map(TimeRules.utc) }
    /// The attempt's time by the server's clock (`observed_at` plus the offset).
    package var serverTime: String? { serverOffsetMs.flatMap { o in observedMs.map { TimeRules.utc($0 + o) } } }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(observedAt, forKey: .observedAt)
        try c.encode(recordedAt, forKey: .recordedAt)
        try c.encode(timeBasis, forKey: .timeBasis)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(reason, forKey: .reason)
        try c.encode(byServer, forKey: .byServer)
        try c.encode(bySeals, forKey: .bySeals)
        try c.encode(serverOffsetMs, forKey: .serverOffsetMs)
        try c.encode(serverTime, forKey: .serverTime)
        try c.encode(datedExchanges, forKey: .datedExchanges)
        try c.encode(lower, forKey: .lower)
        try c.encode(upper, forKey: .upper)
        try c.encode(problems, forKey: .problems)
    }

    /// Both bounds, when the entry lies between two seals.
    package var window: (lower: SealClock, upper: SealClock)? {
        guard let lower, let upper else { return nil }
        return (lower, upper)
    }
}

/// What the time rules found over a whole store (the `time` member of a verification report).
package struct TimeSummary: Codable, Sendable, Equatable {
    package struct Uncorroborated: Codable, Sendable, Equatable {
        package var declared = 0
        package var fileMtime = 0
        package var unreachable = 0
        package var noServerDate = 0
        package var noExchangeRecorded = 0
        package var unreadable = 0

        package var total: Int { declared + fileMtime + unreachable + noServerDate + noExchangeRecorded + unreadable }

        subscript(_ reason: UncorroboratedReason) -> Int {
            get {
                switch reason {
                case .declared: return declared
                case .fileMtime: return fileMtime
                case .unreachable: return unreachable
                case .noServerDate: return noServerDate
                case .noExchangeRecorded: return noExchangeRecorded
                case .unreadable: return unreadable
                }
            }
            set {
                switch reason {
                case .declared: declared = newValue
                case .fileMtime: fileMtime = newValue
                case .unreachable: unreachable = newValue
                case .noServerDate: noServerDate = newValue
                case .noExchangeRecorded: noExchangeRecorded = newValue
                case .unreadable: unreadable = newValue
                }
            }
        }

        enum CodingKeys: String, CodingKey {
            case declared, unreachable, unreadable
            case fileMtime = "file_mtime"
            case noServerDate = "no_server_date"
            case noExchangeRecorded = "no_exchange_recorded"
        }
    }

    package struct Windows: Codable, Sendable, Equatable {
        /// Attempts between two seals.
        package var both = 0
        package var lowerOnly = 0
        package var upperOnly = 0
        package var none = 0

        enum CodingKeys: String, CodingKey {
            case both, none
            case lowerOnly = "lower_only"
            case upperOnly = "upper_only"
        }
    }

    package var toleranceMs = TimeRules.toleranceMs
    package var futureToleranceMs = TimeRules.futureToleranceMs
    package var attempts = 0
    package var corroborated = 0
    /// Corroborated by the server's clock (some also by seals).
    package var byServer = 0
    /// Corroborated by seals alone (no server clock).
    package var bySealsOnly = 0
    /// The largest difference, in magnitude, between server and computer among the attempts
    /// corroborated by the server (nil when there is none).
    /// Written even when null, as the reference verifier writes it.
    @NullWhenAbsent package var serverOffsetMaxMs: Int64? = nil
    package var uncorroborated = Uncorroborated()
    package var contradicted = 0
    /// Seqs of the contradicted attempts, in order.
    package var contradictedSeqs: [Int64] = []
    package var windows = Windows()
    /// Every time problem, sorted by seq then code.
    package var problems: [TimeProblem] = []

    enum CodingKeys: String, CodingKey {
        case attempts, corroborated, uncorroborated, contradicted, windows, problems
        case toleranceMs = "tolerance_ms"
        case futureToleranceMs = "future_tolerance_ms"
        case byServer = "by_server"
        case bySealsOnly = "by_seals_only"
        case serverOffsetMaxMs = "server_offset_max_ms"
        case contradictedSeqs = "contradicted_seqs"
    }

    package init() {}

    /// `serverOffsetMaxMs` as whole seconds a sentence can state without overstating: the `Date`
    /// header counts whole seconds, so the true difference may be up to one second more.
    package var serverAgreementSeconds: Int64? {
        serverOffsetMaxMs.map { ($0 + 1000 + 999) / 1000 }
    }

    mutating func add(_ a: AttemptTime) {
        attempts += 1
        switch a.verdict {
        case .corroborated:
            corroborated += 1
            if a.byServer {
                byServer += 1
                if let o = a.serverOffsetMs { serverOffsetMaxMs = max(serverOffsetMaxMs ?? 0, Int64(o.magnitude)) }
            } else {
                bySealsOnly += 1
            }
        case .uncorroborated:
            uncorroborated[a.reason ?? .unreadable] += 1
        case .contradicted:
            contradicted += 1
            contradictedSeqs.append(a.seq)
        }
        switch (a.lower != nil, a.upper != nil) {
        case (true, true): windows.both += 1
        case (true, false): windows.lowerOnly += 1
        case (false, true): windows.upperOnly += 1
        case (false, false): windows.none += 1
        }
    }
}

/// Durations in words, for the time sentences.
package enum TimeText {
    /// `61 days 2 h`, `3 min 5 s`, `800 ms`: the two largest units, the smaller rounded to the nearest
    /// (the exact figure is in the reports' milliseconds), in `language`.
    package static func duration(_ ms: Int64, language: Language? = nil) -> String {
        let m = Messages.shared
        func unit(_ value: Int64, _ name: String) -> String {
            m.text("time.unit.\(name).\(value == 1 ? "one" : "other")", ["n": String(value)], language: language)
        }
        func two(_ big: Int64, _ bigName: String, _ small: Int64, _ smallName: String) -> String {
            small > 0 ? "\(unit(big, bigName)) \(unit(small, smallName))" : unit(big, bigName)
        }
        func rounded(_ per: Int64) -> Int64 { (ms + per / 2) / per }
        let hours = rounded(3_600_000)
        if hours >= 24 { return two(hours / 24, "day", hours % 24, "hour") }
        let minutes = rounded(60_000)
        if minutes >= 60 { return two(minutes / 60, "hour", minutes % 60, "minute") }
        let seconds = rounded(1000)
        if seconds >= 60 { return two(seconds / 60, "minute", seconds % 60, "second") }
        return ms < 1000 ? unit(ms, "ms") : unit(seconds, "second")
    }
}
