import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Text comparisons tolerant of what varies between copies of the same message: case, runs of
/// whitespace (including non-breaking spaces), typographic apostrophes and quotes, Unicode composition.
///
/// One pass over Unicode scalars into UTF-8 bytes: pages have hundreds of blocks and this runs on
/// each, so Foundation's per-call bridging (measured at 45 ms for a 60 KB page) is avoided.
package enum TextNormalizer {
    /// Unicode's White_Space property (a stable list), without the property lookup per scalar.
    @inline(__always) static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    @inline(__always) static func append(_ out: inout [UInt8], _ s: Unicode.Scalar) {
        if s.value < 0x80 {
            out.append(UInt8(s.value))
        } else {
            out.append(contentsOf: UTF8.encode(s)!)
        }
    }

    /// The scalar starting at `i` of valid UTF-8 (a Swift string's bytes) and its length in bytes.
    @inline(__always) static func scalar(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(b[i])
        var v: UInt32
        let length: Int
        if lead < 0xE0 {
            v = (lead & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
            length = 2
        } else if lead < 0xF0 {
            v = (lead & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
            length = 3
        } else {
            v = (lead & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
            v |= UInt32(b[i + 3] & 0x3F)
            length = 4
        }
        return (Unicode.Scalar(v) ?? "\u{FFFD}", length)
    }

    /// Collapses every run of whitespace to one space, trims the ends, drops soft hyphens and
    /// zero-width spaces. Walks the UTF-8 bytes: ASCII (most of a French page) needs no decoding.
    package static func collapseWhitespace(_ text: String) -> String {
        var text = text
        return text.withUTF8 { collapseWhitespace(utf8: $0) }
    }

    /// The same over UTF-8 bytes as libxml2 holds them (no intermediate string). Bytes that are not
    /// valid UTF-8 are first repaired as `String(decoding:as:)` does, so the result is the same as
    /// collapsing the repaired string.
    static func collapseWhitespace(utf8 b: UnsafeBufferPointer<UInt8>) -> String {
        var valid = true
        // The result is never longer than the text: written into a scratch buffer (on the stack when
        // small), then made a string of its own length. A string of the text's length would take the
        // heap for every block, even one whose collapsed text fits in a small (inline) string.
        let collapsed = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(b.count, 1)) { out -> String in
            var n = 0
            var pending = false
            var i = 0
            while i < b.count {
                let byte = b[i]
                if byte < 0x80 {
                    if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                        pending = n > 0
                    } else {
                        if pending {
                            out[n] = 0x20
                            n += 1
                            pending = false
                        }
                        // The rest of a run of printable ASCII (most of a word), without the checks above.
                        repeat {
                            out[n] = b[i]
                            n += 1
                            i += 1
                        } while i < b.count && b[i] > 0x20 && b[i] < 0x80
                        continue
                    }
                    i += 1
                    continue
                }
                guard let (scalar, length) = validScalar(b, at: i) else {
                    valid = false
                    return ""
                }
                if isSpace(scalar) {
                    pending = n > 0
                } else if scalar.value != 0xAD && scalar.value != 0x200B {
                    if pending {
                        out[n] = 0x20
                        n += 1
                        pending = false
                    }
                    for k in 0..<length { out[n + k] = b[i + k] }
                    n += length
                }
                i += length
            }
            return String(decoding: UnsafeBufferPointer(rebasing: out[..<n]), as: UTF8.self)
        }
        return valid ? collapsed : collapseWhitespace(String(decoding: b, as: UTF8.self))
    }

    /// The scalar starting at `i` (a byte of 0x80 or more) and its length, or nil when the bytes there
    /// are not well-formed UTF-8 (Unicode table 3-7).
    @inline(__always) static func validScalar(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int)? {
        let lead = b[i]
        @inline(__always) func cont(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            i + k < b.count && b[i + k] >= low && b[i + k] <= high
        }
        switch lead {
        case 0xC2...0xDF:
            guard cont(1) else { return nil }
        case 0xE0:
            guard cont(1, 0xA0), cont(2) else { return nil }
        case 0xE1...0xEC, 0xEE, 0xEF:
            guard cont(1), cont(2) else { return nil }
        case 0xED:
            guard cont(1, 0x80, 0x9F), cont(2) else { return nil }
        case 0xF0:
            guard cont(1, 0x90), cont(2), cont(3) else { return nil }
        case 0xF1...0xF3:
            guard cont(1), cont(2), cont(3) else { return nil }
        case 0xF4:
            guard cont(1, 0x80, 0x8F), cont(2), cont(3) else { return nil }
        default:
            return nil
        }
        return scalar(b, at: i)
    }

    /// The form markers and page text are compared in: NFC, lowercase, whitespace collapsed,
    /// ’ ‘ ʼ ´ ` ′ as ', “ ” « » as " (without the spaces French typography puts inside guillemets),
    /// – — as -, … as ...
    package static func forMatching(_ text: String) -> String {
        var out: [UInt8] = []
        appendForMatching(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `forMatching(text)`'s bytes appended to `out`: a page's blocks are normalised one after the
    /// other into one buffer, without a string per block.
    static func appendForMatching(_ text: String, to out: inout [UInt8]) {
        var text = text
        if text.withUTF8({ appendPlainForMatching($0, to: &out) }) { return }
        appendAnyForMatching(text, to: &out)
    }

    /// `appendForMatching` for any text: what `appendPlainForMatching` does on its text too.
    static func appendAnyForMatching(_ text: String, to out: inout [UInt8]) {
        var nfc = mayNeedNFC(text) ? text.precomposedStringWithCanonicalMapping : text
        let start = out.count
        out.reserveCapacity(start + nfc.utf8.count)
        nfc.withUTF8 { b in
            var pendingSpace = false
            var lastWasQuote = false
            var i = 0
            while i < b.count {
                let byte = b[i]
                // ASCII, most of a French page, without decoding: the same rules as below.
                if byte < 0x80 {
                    i += 1
                    if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                        pendingSpace = out.count > start
                        continue
                    }
                    let isQuote = byte == 0x22
                    if pendingSpace {
                        if !lastWasQuote, !isQuote { out.append(0x20) }
                        pendingSpace = false
                    }
                    out.append(byte == 0x60 ? UInt8(ascii: "'") : (byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte))
                    lastWasQuote = isQuote
                    // The rest of a run of printable ASCII other than quotes (most of a word): appended
                    // at once, then lowercased in place, rather than byte by byte.
                    var end = i
                    while end < b.count, b[end] > 0x20, b[end] < 0x80, b[end] != 0x22, b[end] != 0x60 { end += 1 }
                    if end > i {
                        let from = out.count
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<end]))
                        out.withUnsafeMutableBufferPointer { o in
                            for k in from..<o.count where o[k] >= 0x41 && o[k] <= 0x5A { o[k] += 0x20 }
                        }
                        lastWasQuote = false
                        i = end
                    }
                    continue
                }
                let (scalar, length) = Self.scalar(b, at: i)
                i += length
                let v = scalar.value
                if isSpace(scalar) {
                    pendingSpace = out.count > start
                    continue
                }
                if v == 0xAD || v == 0x200B { continue }
                let mapped: UInt8?
                switch v {
                case 0x2019, 0x2018, 0x02BC, 0x00B4, 0x60, 0x2032: mapped = UInt8(ascii: "'")
                case 0x201C, 0x201D, 0x00AB, 0x00BB, 0x22: mapped = UInt8(ascii: "\"")
                case 0x2013, 0x2014: mapped = UInt8(ascii: "-")
                default: mapped = nil
                }
                let isQuote = mapped == UInt8(ascii: "\"")
                if pendingSpace {
                    // `" ` and ` "` lose their space: « Suivant » and "Suivant" compare equal.
                    if !lastWasQuote, !isQuote { out.append(0x20) }
                    pendingSpace = false
                }
                if v == 0x2026 {
                    out.append(contentsOf: [0x2E, 0x2E, 0x2E])
                } else if let m = mapped {
                    out.append(m)
                } else if v < 0x80 {
                    out.append(v >= 0x41 && v <= 0x5A ? UInt8(v + 0x20) : UInt8(v))
                } else if v >= 0xC0 && v <= 0xDE && v != 0xD7 {
                    append(&out, Unicode.Scalar(v + 0x20)!)  // Latin-1 capitals: À → à ... Þ → þ
                } else if v < 0x100 {
                    append(&out, scalar)
                } else {
                    for lower in scalar.properties.lowercaseMapping.unicodeScalars { append(&out, lower) }
                }
                lastWasQuote = isQuote
            }
        }
    }

    /// `appendForMatching` for the text most blocks of a page are, after `collapseWhitespace`: single
    /// spaces inside, none at the ends, ASCII without `"`, Latin-1 letters (C3 xx), ‘ ’ – — …; false,
    /// with `out` as it was, for anything else (the general path then runs). For this text the general
    /// path only lowercases and maps one character at a time, and each output is no longer than its
    /// input: so the bytes are copied once and rewritten in place, for speed (a page's every block
    /// goes through here). `AnalysisFastPathTests` compares both paths on seeded random text.
    static func appendPlainForMatching(_ b: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        // A space at either end is dropped by the general path: not plain.
        if let first = b.first, first == 0x20 || b[b.count - 1] == 0x20 { return false }
        let start = out.count
        out.append(contentsOf: b)
        let written = out.withUnsafeMutableBufferPointer { o -> Int? in
            plainASCII.withUnsafeBufferPointer { table -> Int? in
                let end = o.count
                var r = start
                var w = start
                // Two spaces in a row, which the general path makes one: noted, decided at the end (a
                // branch per byte would cost more than the rest of the loop).
                var doubleSpace = false
                var previous: UInt8 = 0
                while r < end {
                    let c = o[r]
                    let mapped = table[Int(c)]
                    if mapped != 0xFF {
                        o[w] = mapped
                        doubleSpace = doubleSpace || (c == 0x20 && previous == 0x20)
                        previous = c
                        r += 1
                        w += 1
                    } else if c == 0xC3, r + 1 < end, o[r + 1] >= 0x80, o[r + 1] <= 0xBF {
                        // U+00C0...U+00FF: capitals À...Þ (but ×) to their small letters, the rest as they are.
                        let d = o[r + 1]
                        o[w] = c
                        o[w + 1] = d <= 0x9E && d != 0x97 ? d + 0x20 : d
                        previous = c
                        r += 2
                        w += 2
                    } else if c == 0xE2, r + 2 < end, o[r + 1] == 0x80 {
                        switch o[r + 2] {
                        case 0x98, 0x99: o[w] = UInt8(ascii: "'")  // ‘ ’
                        case 0x93, 0x94: o[w] = UInt8(ascii: "-")  // – —
                        case 0xA6:  // …
                            o[w] = 0x2E
                            o[w + 1] = 0x2E
                            o[w + 2] = 0x2E
                            w += 2
                        default: return nil
                        }
                        previous = c
                        r += 3
                        w += 1
                    } else {
                        return nil
                    }
                }
                return doubleSpace ? nil : w
            }
        }
        guard let written else {
            out.removeSubrange(start...)
            return false
        }
        out.removeSubrange(written...)
        return true
    }

    /// What the plain path writes for each byte, 0xFF (never written) for the bytes it looks at more
    /// closely: those that begin a multi-byte sequence, and those it leaves to the general path (tab,
    /// line feed and the other ASCII spaces but the space itself, and `"`, around which spaces go).
    private static let plainASCII: [UInt8] = (0...255).map { c -> UInt8 in
        switch c {
        case 0x09...0x0D, 0x22, 0x80...: return 0xFF
        case 0x41...0x5A: return UInt8(c + 0x20)
        case 0x60: return UInt8(ascii: "'")
        default: return UInt8(c)
        }
    }

    /// Whether Foundation's NFC could change `text`. Every scalar below U+0300 (UTF-8 lead bytes
    /// under 0xCC) is in NFC and composes with nothing before it; so is U+2002...U+20BF (spaces,
    /// dashes, typographic quotes, the ellipsis, currency signs: E2 80 82 ... E2 82 BF), which French
    /// pages use in nearly every block. U+2000 and U+2001 (E2 80 80, E2 80 81) are not: NFC maps them.
    static func mayNeedNFC(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { b in
            var i = 0
            while i < b.count {
                let byte = b[i]
                if byte < 0xCC {
                    i += 1
                    continue
                }
                guard byte == 0xE2, i + 2 < b.count else { return true }
                let second = b[i + 1]
                guard second == 0x81 || second == 0x82 || (second == 0x80 && b[i + 2] >= 0x82) else { return true }
                i += 3
            }
            return false
        }
    }

    /// `haystack` contains `needle`, compared as UTF-8 bytes (both normalised the same way first).
    package static func contains(_ haystack: String, _ needle: String) -> Bool {
        var h = haystack
        var n = needle
        return h.withUTF8 { hb in n.withUTF8 { nb in containsBytes(hb, nb) } }
    }

    /// Byte-string search: memchr for the needle's least common byte (in French text), memcmp for
    /// the whole needle there. Anchoring on a frequent first byte ("a" of "aucun") would stop at most
    /// positions of a page.
    static func containsBytes(_ hb: UnsafeBufferPointer<UInt8>, _ nb: UnsafeBufferPointer<UInt8>) -> Bool {
        firstOffset(of: nb, in: hb) != nil
    }

    /// Where `nb` first occurs in `hb` at or after `from` (the same search as `containsBytes`).
    /// `counts`, when given, is how often each byte occurs in `hb`: the anchors are then the needle's
    /// rarest bytes in this very text (the choice changes the speed, never the answer).
    static func firstOffset(
        of nb: UnsafeBufferPointer<UInt8>, in hb: UnsafeBufferPointer<UInt8>, from: Int = 0, counts: [Int]? = nil
    ) -> Int? {
        guard nb.count > 0 else { return from <= hb.count ? from : nil }
        guard hb.count - from >= nb.count, let hBase = hb.baseAddress, let nBase = nb.baseAddress else { return nil }
        func rarity(_ b: UInt8) -> Int { counts?[Int(b)] ?? commonness(b) }
        var k = 0
        var best = rarity(nb[0])
        for j in 1..<nb.count where rarity(nb[j]) < best {
            best = rarity(nb[j])
            k = j
        }
        // A second byte, the next least common, is compared before the whole needle: most places
        // where the anchor occurs are not the needle, and one byte tells.
        var k2 = k == 0 ? nb.count - 1 : 0
        for j in 0..<nb.count where j != k && rarity(nb[j]) < rarity(nb[k2]) { k2 = j }
        let second = nb[k2]
        let anchor = Int32(nb[k])
        let lastAnchor = hb.count - nb.count + k
        var i = from + k
        while i <= lastAnchor {
            guard let hit = memchr(hBase + i, anchor, lastAnchor - i + 1) else { return nil }
            i = UnsafeRawPointer(hit) - UnsafeRawPointer(hBase)
            if hBase[i - k + k2] == second, memcmp(hBase + i - k, nBase, nb.count) == 0 { return i - k }
            i += 1
        }
        return nil
    }

    /// How often a byte occurs in French text, roughly (higher: more often).
    @inline(__always) private static func commonness(_ b: UInt8) -> Int {
        switch b {
        case 0x20: return 10
        case UInt8(ascii: "e"): return 9
        case UInt8(ascii: "a"), UInt8(ascii: "s"), UInt8(ascii: "i"), UInt8(ascii: "t"), UInt8(ascii: "n"),
            UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "o"):
            return 8
        case UInt8(ascii: "d"), UInt8(ascii: "c"), UInt8(ascii: "p"), UInt8(ascii: "m"), 0xC3: return 6
        case UInt8(ascii: "'"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ","), 0x0A: return 5
        case 0x80...: return 4
        default: return 3
        }
    }

    /// Byte-string search ignoring ASCII case; `needle` is given in lowercase.
    static func containsBytesIgnoringASCIICase(_ hb: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard hb.count >= needle.count else { return false }
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        var i = 0
        let last = hb.count - needle.count
        while i <= last {
            if lower(hb[i]) == first {
                var j = 1
                while j < needle.count, lower(hb[i + j]) == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
