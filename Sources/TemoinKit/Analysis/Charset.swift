import Foundation

/// The character set of a page and where it was learnt.
package struct DetectedCharset: Sendable, Equatable {
    package enum Source: String, Sendable {
        case httpHeader = "http_header"
        case byteOrderMark = "bom"
        case meta
        case validUTF8 = "utf8_valid"
        case fallback
    }

    /// A canonical label: `UTF-8`, `windows-1252`, `ISO-8859-15`, `UTF-16LE`, `UTF-16BE`.
    package let label: String
    package let source: Source
}

/// Finds the charset the way browsers do, in order: HTTP header, byte order mark, `<meta>` in the first
/// 4 KB, then UTF-8 if the bytes are valid UTF-8, else windows-1252 (what "Latin-1" means on the web).
package enum Charset {
    package static func detect(_ bytes: Data, contentType: String? = nil) -> DetectedCharset {
        if let ct = contentType, let label = parameter("charset", in: ct), let canonical = canonicalLabel(label) {
            return DetectedCharset(label: canonical, source: .httpHeader)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return DetectedCharset(label: "UTF-8", source: .byteOrderMark) }
        if bytes.starts(with: [0xFF, 0xFE]) { return DetectedCharset(label: "UTF-16LE", source: .byteOrderMark) }
        if bytes.starts(with: [0xFE, 0xFF]) { return DetectedCharset(label: "UTF-16BE", source: .byteOrderMark) }
        if let label = metaCharset(bytes.prefix(4096)), let canonical = canonicalLabel(label) {
            return DetectedCharset(label: canonical, source: .meta)
        }
        if String(validating: bytes, as: UTF8.self) != nil {
            return DetectedCharset(label: "UTF-8", source: .validUTF8)
        }
        return DetectedCharset(label: "windows-1252", source: .fallback)
    }

    /// `charset=...` from a header value such as `text/html; charset="ISO-8859-1"`.
    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == name {
                return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            }
        }
        return nil
    }

    /// The label of `<meta charset>` or `<meta http-equiv="Content-Type" content="...; charset=...">`:
    /// what the regular expression `<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)` (ignoring case)
    /// captures, read byte by byte (the expression cost more than the rest of detection). As with the
    /// expression's greedy `[^>]+`, the last `charset` of the first `<meta` tag that has one wins.
    static func metaCharset(_ head: Data) -> String? {
        let b = [UInt8](head)
        @inline(__always) func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
        func matches(_ word: String, at i: Int) -> Bool {
            let w = Array(word.utf8)
            guard i + w.count <= b.count else { return false }
            for k in w.indices where lower(b[i + k]) != w[k] { return false }
            return true
        }
        // `\s` of the expression (ICU: White_Space) on ASCII; bytes from 0x80 read as spaces, as before.
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) || c >= 0x80 }
        func isLabel(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x3A) || (lower(c) >= 0x61 && lower(c) <= 0x7A) || c == 0x5F || c == 0x2E || c == 0x2D
        }
        /// The label after `charset` ending at `i`, if the rest of the expression holds there.
        func label(after i: Int) -> String? {
            var j = i
            while j < b.count, isSpace(b[j]) { j += 1 }
            guard j < b.count, b[j] == UInt8(ascii: "=") else { return nil }
            j += 1
            while j < b.count, isSpace(b[j]) { j += 1 }
            if j < b.count, b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'") { j += 1 }
            while j < b.count, isSpace(b[j]) { j += 1 }
            let start = j
            while j < b.count, isLabel(b[j]) { j += 1 }
            return j > start ? String(decoding: b[start..<j], as: UTF8.self) : nil
        }
        var p = 0
        while p + 5 <= b.count {
            defer { p += 1 }
            guard b[p] == UInt8(ascii: "<"), matches("<meta", at: p) else { continue }
            // `[^>]+`: at least one character, none of them `>`, before `charset`.
            var tagEnd = p + 5
            while tagEnd < b.count, b[tagEnd] != UInt8(ascii: ">") { tagEnd += 1 }
            var s = tagEnd - 1
            while s >= p + 6 {
                if matches("charset", at: s), let found = label(after: s + 7) { return found }
                s -= 1
            }
        }
        return nil
    }

    /// Maps WHATWG labels to the few encodings we decode; nil for unknown labels (detection goes on).
    static func canonicalLabel(_ label: String) -> String? {
        switch label.lowercased() {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return "UTF-8"
        // Browsers read every Latin-1 label as windows-1252, a superset; so do we.
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp1252", "windows-1252",
            "x-cp1252", "us-ascii", "ascii", "cp819", "ibm819":
            return "windows-1252"
        case "iso-8859-15", "iso8859-15", "latin-9", "latin9", "l9": return "ISO-8859-15"
        case "utf-16le", "utf-16": return "UTF-16LE"
        case "utf-16be": return "UTF-16BE"
        default: return nil
        }
    }

    /// The bytes as a Swift string in the detected charset. Never fails: undecodable bytes become U+FFFD.
    package static func decode(_ bytes: Data, as charset: DetectedCharset) -> String {
        var body = bytes
        switch charset.label {
        case "UTF-8":
            if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
            // Over the bytes in place: `String(decoding:)` on `Data` itself reads them one by one.
            return body.withUnsafeBytes { String(decoding: $0.bindMemory(to: UInt8.self), as: UTF8.self) }
        case "UTF-16LE", "UTF-16BE":
            if body.starts(with: [0xFF, 0xFE]) || body.starts(with: [0xFE, 0xFF]) { body = body.dropFirst(2) }
            if body.count % 2 == 1 { body = body.dropLast() }
            let little = charset.label == "UTF-16LE"
            let units = stride(from: body.startIndex, to: body.endIndex, by: 2).map { i -> UInt16 in
                let a = UInt16(body[i])
                let b = UInt16(body[i + 1])
                return little ? (a | b << 8) : (a << 8 | b)
            }
            return String(decoding: units, as: UTF16.self)
        case "ISO-8859-15":
            return String(String.UnicodeScalarView(body.map { Unicode.Scalar(latin9[$0] ?? UInt32($0))! }))
        default:
            return String(String.UnicodeScalarView(body.map { Unicode.Scalar(windows1252($0))! }))
        }
    }

    private static let latin9: [UInt8: UInt32] = [
        0xA4: 0x20AC, 0xA6: 0x0160, 0xA8: 0x0161, 0xB4: 0x017D, 0xB8: 0x017E, 0xBC: 0x0152, 0xBD: 0x0153, 0xBE: 0x0178,
    ]

    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

    private static func windows1252(_ byte: UInt8) -> UInt32 {
        (0x80...0x9F).contains(byte) ? cp1252High[Int(byte) - 0x80] : UInt32(byte)
    }
}
