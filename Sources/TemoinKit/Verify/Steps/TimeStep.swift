import Foundation
import GRDB

/// docs/FORMAT.md §8 in a verification: the time rules (`Corroborator`, in Time/), fed in chain order
/// from step 4 with what each body says about time, read in the same strict parse as the rest of the
/// body. Never part of the verdict: what they find goes to the report's `time` member.
extension Walk {
    /// After step 3: the seals first (the bounds of §8.3), then the rules are fed by step 4.
    mutating func startTime(_ db: Database) {
        time = Corroborator(seals: (try? SealClock.readAll(db)) ?? [], now: Date())
    }

    /// One entry of step 4, in chain order; an attempt's verdict is known once its successor is read.
    mutating func feedTime(seq: Int64, _ facts: TimeFacts) {
        if let done = time?.feed(seq: seq, facts) { onAttemptTime?(done) }
    }

    /// After the walk: the last attempt's verdict, and the summary recorded in the report (not when §6
    /// stopped: the rules are not applied to tables that cannot be trusted).
    mutating func finishTime() {
        guard var fold = time else { return report.record(time: nil) }
        time = nil
        if let done = fold.finish() { onAttemptTime?(done) }
        report.record(time: fold.summary)
    }
}

extension TimeFacts {
    /// The time members of a body (docs/FORMAT.md §8), by position: what `read(member:)` takes.
    static func member(_ name: [UInt8]) -> Int? {
        switch name {
        case "recorded_at": return 0
        case "observed_at": return 1
        case "time_basis": return 2
        case "after_seal": return 3
        case "exchanges": return 4
        default: return nil
        }
    }

    /// Reads one time member of a body, leniently as `TimeFacts` always reads: a value of another type
    /// than docs/FORMAT.md gives counts as absent, and is consumed either way.
    mutating func read(member: Int, _ json: StrictJSON) throws {
        switch member {
        case 0: recordedMs = try json.optionalText().flatMap(TimeRules.instantMs)
        case 1: observedMs = try json.optionalText().flatMap(TimeRules.instantMs)
        case 2: timeBasis = try json.optionalText()
        case 3:
            afterSealPresent = true
            afterSeal = try Self.afterSeal(json)
        default: try readExchanges(json)
        }
    }

    private static func afterSeal(_ json: StrictJSON) throws -> AfterSeal? {
        guard json.atObject else {
            try json.skipValue()
            return nil
        }
        var seq: Int64??
        var token: String??
        try json.object { name in
            switch name {
            case "seq" where seq == nil: seq = .some(try json.integral())
            case "token_sha256" where token == nil: token = .some(try json.optionalText())
            default: try json.skipValue()
            }
        }
        guard case .some(.some(let s)) = seq, case .some(.some(let t)) = token else { return nil }
        return AfterSeal(seq: s, tokenSHA256: t)
    }

    /// §8.1: for every exchange, that it was recorded, whether the site answered, and the server's clock
    /// minus the computer's.
    private mutating func readExchanges(_ json: StrictJSON) throws {
        guard json.atArray else { return try json.skipValue() }
        var position = 0
        try json.array {
            position += 1
            let isObject = json.atObject
            let e = try Self.exchangeClock(json)
            if isObject { exchanges += 1 }
            if e.answered { answered = true }
            guard let offset = e.offsetMs else { return }
            dated += 1
            if offsetMs == nil || offset.magnitude > offsetMs!.magnitude {
                offsetMs = offset
                offsetExchange = position
            }
        }
    }

    /// As `ExchangeClock`: `Date` (plus `Age`, the last one given) minus `started_at` + `first_byte_ms`.
    private static func exchangeClock(_ json: StrictJSON) throws -> (answered: Bool, offsetMs: Int64?) {
        guard json.atObject else {
            try json.skipValue()
            return (false, nil)
        }
        var status: Int64??
        var started: String??
        var server: String??
        var firstByte: Int64??
        var age: Int64??
        try json.object { name in
            switch name {
            case "status" where status == nil: status = .some(try json.integral())
            case "started_at" where started == nil: started = .some(try json.optionalText())
            case "server_date" where server == nil: server = .some(try json.optionalText())
            case "timings" where firstByte == nil: firstByte = .some(try Self.firstByte(json))
            case "response_headers" where age == nil: age = .some(try Self.age(json))
            default: try json.skipValue()
            }
        }
        let answered = (status ?? nil) != nil
        guard let startedMs = (started ?? nil).flatMap(TimeRules.instantMs),
            let serverMs = (server ?? nil).flatMap(TimeRules.httpDateMs)
        else { return (answered, nil) }
        let first = (firstByte ?? nil).flatMap { (0...Int64(Int32.max)).contains($0) ? $0 : nil } ?? 0
        return (answered, serverMs + ((age ?? nil) ?? 0) * 1000 - (startedMs + first))
    }

    private static func firstByte(_ json: StrictJSON) throws -> Int64? {
        guard json.atObject else {
            try json.skipValue()
            return nil
        }
        var value: Int64??
        try json.object { name in
            if "first_byte_ms" ~= name && value == nil {
                value = .some(try json.integral())
            } else {
                try json.skipValue()
            }
        }
        return value ?? nil
    }

    /// The `Age` header's seconds (RFC 9111 §5.1); the last `Age` header counts, an invalid one as 0.
    private static func age(_ json: StrictJSON) throws -> Int64? {
        guard json.atArray else {
            try json.skipValue()
            return nil
        }
        var age: Int64?
        try json.array {
            guard json.atObject else { return try json.skipValue() }
            var name: String??
            var value: String??
            try json.object { member in
                switch member {
                case "name" where name == nil: name = .some(try json.optionalText())
                case "value" where value == nil: value = .some(try json.optionalText())
                default: try json.skipValue()
                }
            }
            if let n = name ?? nil, n.lowercased() == "age", let v = value ?? nil {
                age = ExchangeClock.deltaSeconds(v) ?? 0
            }
        }
        return age
    }
}
