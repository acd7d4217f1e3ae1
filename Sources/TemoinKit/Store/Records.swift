import Foundation
import GRDB

/// A row of `entries`: the chain itself (docs/FORMAT.md, "Table entries").
struct EntryRow: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "entries"
    var seq: Int64
    var hash: String
    var body: Data
}

/// A row of `captures`: raw bytes received, content-addressed by their SHA-256.
struct CaptureRow: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "captures"
    var digest: String
    var size: Int64
    var encoding: String
    var data: Data?
    var withheldAt: String?
    var withheldReason: String?

    enum CodingKeys: String, CodingKey {
        case digest, size, encoding, data
        case withheldAt = "withheld_at"
        case withheldReason = "withheld_reason"
    }
}

/// A row of `meta`: the store's identity and bookkeeping.
struct MetaRow: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "meta"
    var key: String
    var value: String
}

/// An entry read back from a store.
public struct StoredEntry: Sendable {
    /// The entry's place in the chain, from 1.
    public let seq: Int64
    /// The hash stored beside the body, as read: recomputing it from ``bodyBytes`` with
    /// ``ChainHash/entry(_:)`` is what verification does; reading it here checks nothing.
    public let hash: String
    /// The canonical bytes, as stored and hashed.
    public let bodyBytes: Data
    /// The decoded body; nil if the bytes no longer decode (verify says why).
    package let body: EntryBody?
}

/// Bytes to store with an entry, already hashed. They are compressed by `Store.append` only when the
/// store does not hold them yet (an unchanged page fetched again costs no compression), and before its
/// write transaction opens, so the transaction stays short.
package struct PendingCapture: Sendable {
    package let ref: CaptureRef
    let bytes: Data

    package init(bytes: Data, role: String, mediaType: String? = nil, name: String? = nil) {
        ref = CaptureRef(
            digest: sha256Hex(bytes), size: Int64(bytes.count), role: role, mediaType: mediaType, name: name)
        self.bytes = bytes
    }
}
