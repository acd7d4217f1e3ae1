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

    /// Collapses every run of whitespace to one space, trims the ends, drops soft hyphens and
    /// zero-width spaces.
    public static func collapseWhitespace(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pending = false
        for scalar in text.unicodeScalars {
            if isSpace(scalar) {
                pending = !out.isEmpty
                continue
            }
            if scalar.value == 0xAD || scalar.value == 0x200B { continue }
            if pending {
                out.append(0x20)
                pending = false
            }
            append(&out, scalar)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The form markers and page text are compared in: NFC, lowercase, whitespace collapsed,
    /// ’ ‘ ʼ ´ ` ′ as ', “ ” « » as " (without the spaces French typography puts inside guillemets),
    /// – — as -, … as ...
    public static func forMatching(_ text: String) -> String {
        // Below U+0300 every scalar is already in NFC: Foundation's normalisation is needed only above.
        let nfc =
            text.unicodeScalars.contains(where: { $0.value >= 0x300 })
            ? text.precomposedStringWithCanonicalMapping : text
        var out: [UInt8] = []
        out.reserveCapacity(nfc.utf8.count)
        var pendingSpace = false
        var lastWasQuote = false
        for scalar in nfc.unicodeScalars {
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
}
