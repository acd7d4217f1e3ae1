import Crypto
import Foundation

/// A capture digest as a fixed-size key: SHA-256 of the digest text, so any string (even a malformed
/// one in a tampered body) has one, and a store of 100,000 entries costs a few MB.
struct DigestKey: Hashable, Sendable {
    let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    init(_ digest: String) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { out in
            SHA256.hash(data: Data(digest.utf8)).withUnsafeBytes { out.copyMemory(from: $0) }
        }
        (a, b, c, d) = words
    }
}
