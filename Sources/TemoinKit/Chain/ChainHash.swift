import Crypto
import Foundation

/// The hashing rules of the evidence chain (docs/FORMAT.md, "Hash chain").
///
/// Invariant: an entry's hash is `SHA-256("temoin.entry.v1" || 0x00 || body)` where `body` is the exact
/// byte string stored in `entries.body`; the chain never re-serialises anything. The prefix separates
/// entry hashes from every other SHA-256 in the store (capture digests, the genesis value), so no byte
/// string can stand for two things.
public enum ChainHash: Sendable {
    /// The domain prefix of entry hashes, `temoin.entry.v1` (docs/FORMAT.md §3); never changes for this
    /// format version.
    public static let entryDomain = "temoin.entry.v1"
    /// The domain prefix of the genesis value, `temoin.genesis.v1` (docs/FORMAT.md §3).
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
    /// The last entry's seq (entries are numbered from 1).
    public let seq: Int64
    /// The last entry's hash as read: ``ChainHash/entry(_:)`` of its body, 64 lowercase hexadecimal digits,
    /// when the chain is intact (``Verification`` checks it; reading a head does not).
    public let hash: String

    /// A head as read from a store or a report; nothing is checked here (``Verification`` does).
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

    /// The line that ends what a command records (`common.head`: the head as `display` shows it).
    package var line: String { tr("common.head", ["head": display]) }
}
