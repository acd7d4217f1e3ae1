import Crypto
import Foundation

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal, two digits per byte: the only textual form of digests in a store.
    package var lowercaseHex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

enum Hex {
    /// True when `text` is exactly 64 lowercase hexadecimal digits (a SHA-256 in store form).
    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// SHA-256 of raw bytes in store form (lowercase hex).
package func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).lowercaseHex
}
