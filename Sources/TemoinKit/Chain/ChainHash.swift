import Crypto
import Foundation

/// The hashing rules of the evidence chain (docs/FORMAT.md, "Hash chain").
///
/// Invariant: an entry's hash is `SHA-256("temoin.entry.v1" || 0x00 || body)` where `body` is the exact
/// byte string stored in `entries.body`; the chain never re-serialises anything. The prefix separates
/// entry hashes from every other SHA-256 in the store (capture digests, the genesis value), so no byte
/// string can stand for two things.
public enum ChainHash: Sendable {
    public static let entryDomain = "temoin.entry.v1"
    public static let genesisDomain = "temoin.genesis.v1"

    /// Hash of an entry body, lowercase hex.
    public static func entry(_ body: Data) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(entryDomain.utf8))
        hasher.update(data: Data([0]))
        hasher.update(data: body)
        return hasher.finalize().lowercaseHex
    }

    /// The `prev` value of entry 1: binds the chain to the store's identity, so the entries of one
    /// store never verify inside another.
    public static func genesis(storeID: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(genesisDomain.utf8))
        hasher.update(data: Data([0]))
        hasher.update(data: Data(storeID.utf8))
        return hasher.finalize().lowercaseHex
    }
}

/// The head of a chain: the last entry's seq and hash, in a form people can read to each other.
public struct ChainHead: Sendable, Equatable, Codable {
    public let seq: Int64
    public let hash: String

    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// `3f9a 01bc 77de ...`: sixteen groups of four characters, easy to read over the phone.
    public var groupedHash: String {
        var groups: [Substring] = []
        var rest = Substring(hash)
        while !rest.isEmpty {
            groups.append(rest.prefix(4))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: " ")
    }

    /// `#42 · 3f9a 01bc ...`
    public var display: String { "#\(seq) · \(groupedHash)" }

    /// True when `expected` ("SEQ:HEX" or "SEQ HEX GROUPS", a prefix of at least 8 hex digits) names this head.
    public func matches(expectation expected: String) -> Bool {
        guard let (seq, prefix) = Self.expectation(expected) else { return false }
        return seq == self.seq && hash.hasPrefix(prefix)
    }

    /// The seq and hash prefix an expected head names ("42:3f9a01bc", "#42 · 3f9a 01bc 77de"): a seq of
    /// 1 or more, then 8 to 64 hex digits; nil for anything else, which is a mistyped argument, not a
    /// different head.
    public static func expectation(_ text: String) -> (seq: Int64, prefix: String)? {
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == "#" || $0 == "·" }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        guard parts.count == 2, parts[0].allSatisfy(\.isASCII), let seq = Int64(parts[0]), seq >= 1 else { return nil }
        let prefix = parts[1].replacingOccurrences(of: " ", with: "").lowercased()
        guard (8...64).contains(prefix.count), prefix.allSatisfy({ $0.isHexDigit && $0.isASCII }) else { return nil }
        return (seq, prefix)
    }
}
