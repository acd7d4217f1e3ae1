import Foundation

/// An optional member that JSON writes as `null` when it has no value, where a synthesized `Encodable`
/// leaves the key out: docs/FORMAT.md writes every member of a report, null included, as the
/// reference verifier does. Reading accepts the key null or missing. One wrapper, so that a report
/// type's `Codable` stays synthesized instead of each type spelling out every member.
@propertyWrapper
public struct NullWhenAbsent<Value> {
    /// The member's value; nil is written `null`.
    public var wrappedValue: Value?

    /// Wraps `wrappedValue`.
    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }
}

extension NullWhenAbsent: Encodable where Value: Encodable {
    /// Writes the value, or `null`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

extension NullWhenAbsent: Decodable where Value: Decodable {
    /// Reads the value, or nil for `null`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? nil : try c.decode(Value.self)
    }
}

extension KeyedDecodingContainer {
    /// A missing key reads as nil, as for a plain optional member.
    public func decode<Value: Decodable>(_: NullWhenAbsent<Value>.Type, forKey key: Key) throws -> NullWhenAbsent<Value>
    {
        NullWhenAbsent(wrappedValue: try decodeIfPresent(Value.self, forKey: key))
    }
}

extension NullWhenAbsent: Equatable where Value: Equatable {}
extension NullWhenAbsent: Hashable where Value: Hashable {}
extension NullWhenAbsent: Sendable where Value: Sendable {}

/// A time member that JSON writes as UTC text in the store's form (`TimeFormat.utc`, milliseconds and
/// `Z`), as every time temoin prints is written, where `Date`'s own `Encodable` would write a number.
@propertyWrapper
public struct UTCText: Encodable, Equatable, Sendable {
    /// The time itself.
    public var wrappedValue: Date

    /// Wraps `wrappedValue`.
    public init(wrappedValue: Date) { self.wrappedValue = wrappedValue }

    /// Writes `TimeFormat.utc(wrappedValue)`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(TimeFormat.utc(wrappedValue))
    }
}
