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
public enum TextNormalizer {
    @inline(__always) static func isSpace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return v == 0xA0 || v == 0x202F || s.properties.isWhitespace
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
    public static func collapseWhitespace(_ text: String) -> String {
        var text = text
        return text.withUTF8 { b -> String in
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var pending = false
            var i = 0
            while i < b.count {
                let byte = b[i]
                if byte < 0x80 {
                    if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                        pending = !out.isEmpty
                    } else {
                        if pending {
                            out.append(0x20)
                            pending = false
                        }
                        out.append(byte)
                    }
                    i += 1
                    continue
                }
                let (scalar, length) = Self.scalar(b, at: i)
                if isSpace(scalar) {
                    pending = !out.isEmpty
                } else if scalar.value != 0xAD && scalar.value != 0x200B {
                    if pending {
                        out.append(0x20)
                        pending = false
                    }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<i + length]))
                }
                i += length
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The form markers and page text are compared in: NFC, lowercase, whitespace collapsed,
    /// ’ ‘ ʼ ´ ` ′ as ', “ ” « » as " (without the spaces French typography puts inside guillemets),
    /// – — as -, … as ...
    public static func forMatching(_ text: String) -> String {
        // Below U+0300 (UTF-8 lead bytes under 0xCC) every scalar is already in NFC: Foundation's
        // normalisation is needed only above.
        var nfc = text.utf8.contains(where: { $0 >= 0xCC }) ? text.precomposedStringWithCanonicalMapping : text
        return nfc.withUTF8 { b -> String in
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var pendingSpace = false
            var lastWasQuote = false
            var i = 0
            while i < b.count {
                let byte = b[i]
                // ASCII, most of a French page, without decoding: the same rules as below.
                if byte < 0x80 {
                    i += 1
                    if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                        pendingSpace = !out.isEmpty
                        continue
                    }
                    let isQuote = byte == 0x22
                    if pendingSpace {
                        if !lastWasQuote, !isQuote { out.append(0x20) }
                        pendingSpace = false
                    }
                    out.append(byte == 0x60 ? UInt8(ascii: "'") : (byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte))
                    lastWasQuote = isQuote
                    continue
                }
                let (scalar, length) = Self.scalar(b, at: i)
                i += length
                let v = scalar.value
                if isSpace(scalar) {
                    pendingSpace = !out.isEmpty
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
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `haystack` contains `needle`, compared as UTF-8 bytes (both normalised the same way first).
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        var h = haystack
        var n = needle
        return h.withUTF8 { hb in n.withUTF8 { nb in containsBytes(hb, nb) } }
    }

    /// Byte-string search (memchr for the first byte, memcmp for the rest).
    static func containsBytes(_ hb: UnsafeBufferPointer<UInt8>, _ nb: UnsafeBufferPointer<UInt8>) -> Bool {
        guard nb.count > 0 else { return true }
        guard hb.count >= nb.count, let hBase = hb.baseAddress, let nBase = nb.baseAddress else { return false }
        let first = Int32(nb[0])
        var i = 0
        let last = hb.count - nb.count
        while i <= last {
            guard let hit = memchr(hBase + i, first, last - i + 1) else { return false }
            i = UnsafeRawPointer(hit) - UnsafeRawPointer(hBase)
            if memcmp(hBase + i, nBase, nb.count) == 0 { return true }
            i += 1
        }
        return false
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
