import Foundation

/// The body member `after_seal` (docs/FORMAT.md §4 and §8): the latest seal's token when the entry was
/// appended. The token's digest cannot be known before the time-stamp authority signed it, so the entry
/// provably was written after that seal's genTime: a lower bound, as a later seal is an upper bound.
package struct AfterSeal: Codable, Sendable, Equatable {
    /// The seq of the head that seal sealed (always before this entry's).
    package var seq: Int64
    /// SHA-256 (lowercase hex) of the seal's TimeStampToken: the DER `ContentInfo` inside the stored
    /// `TimeStampResp`, tag and length included (`openssl ts -reply -in S.tsr -token_out` writes it).
    package var tokenSHA256: String

    package init(seq: Int64, tokenSHA256: String) {
        self.seq = seq
        self.tokenSHA256 = tokenSHA256
    }

    enum CodingKeys: String, CodingKey {
        case seq
        case tokenSHA256 = "token_sha256"
    }
}

/// What one entry's body says about time, read leniently from the same decoder as the rest of the
/// body: a member of another type than docs/FORMAT.md gives counts as absent, and reading never fails
/// (the body's validity is §6's business, not this one's). Nothing of the exchanges is kept but the
/// figures §8 needs, so a verifier can feed a whole store through it with flat memory.
package struct TimeFacts: Sendable, Equatable {
    package var type: String?
    /// `recorded_at`, when it is a string in the form of §5.
    package var recordedMs: Int64?
    /// `observed_at`, when it is a string in the form of §5.
    package var observedMs: Int64?
    package var timeBasis: String?
    /// Exchanges recorded: the elements of `exchanges` that are objects.
    package var exchanges = 0
    /// An exchange has an integral `status`: the site answered at least once.
    package var answered = false
    /// Exchanges with a readable `started_at` and `server_date`.
    package var dated = 0
    /// The server's clock minus ours, of the dated exchange where it is largest in magnitude (the first
    /// such on a tie), and that exchange's position from 1.
    package var offsetMs: Int64?
    package var offsetExchange: Int?
    /// `after_seal` exists (whatever its value), and its members when they have their types.
    package var afterSealPresent = false
    package var afterSeal: AfterSeal?

    package init() {}

    /// The local time a server offset refers to, plus the offset: the server's clock at that moment.
    package var isAttempt: Bool { type == "attempt" }
}

/// The members of a body that verify and the time rules read, as one set of keys: the verifier reads
/// them all from one keyed container, built once per body.
enum BodyKeys: String, CodingKey {
    case seq, prev, type, captures, exchanges
    case recordedAt = "recorded_at"
    case observedAt = "observed_at"
    case timeBasis = "time_basis"
    case afterSeal = "after_seal"
}

extension TimeFacts: Decodable {
    package init(from decoder: Decoder) {
        self.init()
        guard let c = try? decoder.container(keyedBy: BodyKeys.self) else { return }
        self.init(c, type: (try? c.decodeIfPresent(String.self, forKey: .type)) ?? nil)
    }

    /// Reads the time members from a body's container (`type` already read by the caller).
    init(_ c: KeyedDecodingContainer<BodyKeys>, type: String?) {
        self.init()
        self.type = type
        // decodeIfPresent: an absent member is nil without building an error (verify reads every body).
        recordedMs = ((try? c.decodeIfPresent(String.self, forKey: .recordedAt)) ?? nil).flatMap(TimeRules.instantMs)
        observedMs = ((try? c.decodeIfPresent(String.self, forKey: .observedAt)) ?? nil).flatMap(TimeRules.instantMs)
        timeBasis = (try? c.decodeIfPresent(String.self, forKey: .timeBasis)) ?? nil
        if c.contains(.afterSeal) {
            afterSealPresent = true
            afterSeal = try? c.decode(AfterSeal.self, forKey: .afterSeal)
        }
        guard c.contains(.exchanges), var list = try? c.nestedUnkeyedContainer(forKey: .exchanges) else { return }
        var position = 0
        while !list.isAtEnd {
            position += 1
            // ExchangeClock never throws, so each element is consumed whatever it holds.
            guard let e = try? list.decode(ExchangeClock.self) else { break }
            if e.isObject { exchanges += 1 }
            if e.answered { answered = true }
            guard let offset = e.offsetMs else { continue }
            dated += 1
            if offsetMs == nil || offset.magnitude > offsetMs!.magnitude {
                offsetMs = offset
                offsetExchange = position
            }
        }
    }
}

/// One exchange's clock figures (docs/FORMAT.md §8.1): the server's `Date` (plus `Age` when a cache
/// answered) minus the computer's time when the first byte came (`started_at` + `first_byte_ms`).
struct ExchangeClock: Decodable {
    var isObject = false
    var answered = false
    var offsetMs: Int64?

    enum Keys: String, CodingKey {
        case status, timings
        case startedAt = "started_at"
        case serverDate = "server_date"
        case responseHeaders = "response_headers"
    }

    enum TimingKeys: String, CodingKey {
        case firstByte = "first_byte_ms"
    }

    struct Header: Decodable {
        var name: String?
        var value: String?

        init(from decoder: Decoder) {
            let c = try? decoder.container(keyedBy: Keys.self)
            name = (try? c?.decodeIfPresent(String.self, forKey: .name)) ?? nil
            value = (try? c?.decodeIfPresent(String.self, forKey: .value)) ?? nil
        }

        enum Keys: String, CodingKey { case name, value }
    }

    init(from decoder: Decoder) {
        guard let c = try? decoder.container(keyedBy: Keys.self) else { return }
        isObject = true
        answered = ((try? c.decodeIfPresent(Int64.self, forKey: .status)) ?? nil) != nil
        guard
            let started = ((try? c.decodeIfPresent(String.self, forKey: .startedAt)) ?? nil).flatMap(
                TimeRules.instantMs),
            let server = ((try? c.decodeIfPresent(String.self, forKey: .serverDate)) ?? nil).flatMap(
                TimeRules.httpDateMs)
        else { return }
        var firstByte: Int64 = 0
        if c.contains(.timings), let timings = try? c.nestedContainer(keyedBy: TimingKeys.self, forKey: .timings),
            let value = (try? timings.decodeIfPresent(Int64.self, forKey: .firstByte)) ?? nil,
            (0...Int64(Int32.max)).contains(value)
        {
            firstByte = value
        }
        var age: Int64 = 0
        if c.contains(.responseHeaders), var headers = try? c.nestedUnkeyedContainer(forKey: .responseHeaders) {
            while !headers.isAtEnd {
                guard let h = try? headers.decode(Header.self) else { break }
                if let name = h.name, name.lowercased() == "age", let value = h.value {
                    age = Self.deltaSeconds(value) ?? 0
                }
            }
        }
        offsetMs = server + age * 1000 - (started + firstByte)
    }

    /// An `Age` value: 1 to 9 ASCII digits (RFC 9111 §5.1), else nil.
    static func deltaSeconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard (1...9).contains(b.count), b.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int64(text)
    }
}
