import Foundation

/// A head obtained independently of the store (read over the phone, taken from a seal or an
/// attestation the volunteer holds): `SEQ:HASH`, HASH at least 8 hexadecimal digits of the entry hash.
///
/// Invariant: parsed once, by the grammar of docs/FORMAT.md §6.8, which the reference verifier shares:
/// whitespace anywhere is ignored (a grouped head can be pasted), an optional leading `#`, the seq in
/// decimal digits (1 or more), `:` or `·` between them, 8 to 64 hexadecimal digits in either case.
public struct ExpectedHead: Sendable, Equatable, CustomStringConvertible {
    /// The entry the head names, 1 or more.
    public let seq: Int64
    /// Lowercase.
    public let hashPrefix: String

    /// Parses `SEQ:HASH` by the grammar above; nil when the text does not follow it.
    public init?(parsing text: String) {
        var s = text.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init)
        if s.first == "#" { s.removeFirst() }
        guard let separator = s.firstIndex(where: { $0 == ":" || $0 == "·" }) else { return nil }
        let seqText = String(s[..<separator])
        let hash = String(s[(separator + 1)...]).lowercased()
        guard !seqText.isEmpty, seqText.allSatisfy({ $0.isASCII && $0.isNumber }), let seq = Int64(seqText),
            seq >= 1, (8...64).contains(hash.count), hash.allSatisfy({ $0.isHexDigit && $0.isASCII })
        else { return nil }
        self.seq = seq
        hashPrefix = hash
    }

    /// `SEQ:prefix`, the canonical form (no `#`, no spaces, lowercase).
    public var description: String { "\(seq):\(hashPrefix)" }
}

extension ChainHead {
    /// True when `expected` names this head (same seq, hash starting with the prefix given).
    public func matches(expectation expected: String) -> Bool {
        guard let e = ExpectedHead(parsing: expected) else { return false }
        return e.seq == seq && hash.hasPrefix(e.hashPrefix)
    }
}

extension Walk {
    /// docs/FORMAT.md §6.8, expected head: entry SEQ must exist and its hash, recomputed from its bytes,
    /// start with HASH; otherwise `head_not_as_expected` (seq null: where a consistent rewrite began
    /// cannot be known). Not checked when the walk stopped before reading entry SEQ (nothing can be
    /// said); entries after SEQ are counted (the chain alone covers them).
    mutating func checkExpectedHead() {
        guard let expectedHead else { return }
        let last = report.head?.seq ?? 0
        let read = hashAtExpectedSeq != nil || entriesRead
        var check = ExpectedHeadCheck(
            seq: expectedHead.seq, hashPrefix: expectedHead.hashPrefix, matches: nil, entriesAfter: 0)
        if read {
            let matches = hashAtExpectedSeq?.hasPrefix(expectedHead.hashPrefix) ?? false
            check.matches = matches
            if matches {
                check.entriesAfter = max(0, last - expectedHead.seq)
            } else {
                report.record(
                    .headNotAsExpected, at: nil,
                    hashAtExpectedSeq == nil
                        ? "the expected head \(expectedHead) is not in the chain: there is no entry #\(expectedHead.seq)"
                        : "the expected head \(expectedHead) is not the chain's: entry #\(expectedHead.seq) hashes to \(hashAtExpectedSeq!.prefix(16))…"
                )
            }
        }
        report.expectedHead = check
    }
}
