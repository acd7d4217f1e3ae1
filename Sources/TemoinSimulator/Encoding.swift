// Small byte-level helpers for the simulated prefecture: HTTP dates, form and cookie parsing,
// Latin-1 encoding and gzip (libdeflate).

import CDeflate
import Foundation

enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The IMF-fixdate of RFC 7231 §7.1.1.1, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
    static func format(_ date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let day = days[Int(parts.tm_wday)]
        let month = months[Int(parts.tm_mon)]
        let year = Int(parts.tm_year) + 1900
        return "\(day), \(two(parts.tm_mday)) \(month) \(year) \(two(parts.tm_hour)):\(two(parts.tm_min)):"
            + "\(two(parts.tm_sec)) GMT"
    }
}

enum FormCoding {
    /// Decodes `application/x-www-form-urlencoded` (also used for query strings). Later keys win.
    static func decode(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = unescape(String(parts[0]))
            let value = parts.count > 1 ? unescape(String(parts[1])) : ""
            result[key] = value
        }
        return result
    }

    static func unescape(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Percent-encodes a value for a query string (everything but unreserved characters).
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

enum CookieParsing {
    /// Parses every `Cookie` header value into a dictionary; the first occurrence of a name wins.
    static func parse(_ headerValues: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for header in headerValues {
            for item in header.split(separator: ";") {
                let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                if result[name] == nil {
                    result[name] = value
                }
            }
        }
        return result
    }
}

enum Latin1 {
    static let utf8Meta = #"<meta http-equiv="Content-Type" content="text/html; charset=utf-8">"#
    static let latin1Meta = #"<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">"#

    /// Encodes an HTML page as ISO-8859-1: the charset declaration is rewritten, typographic
    /// apostrophes and dashes become their ASCII forms (as on the old Latin-1 sites), and any other
    /// character outside Latin-1 becomes a numeric character reference.
    static func encodePage(_ html: String) -> [UInt8] {
        let page = html.replacingOccurrences(of: utf8Meta, with: latin1Meta)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(page.utf8.count)
        for scalar in page.unicodeScalars {
            switch scalar.value {
            case 0..<256:
                bytes.append(UInt8(scalar.value))
            case 0x2018, 0x2019:
                bytes.append(UInt8(ascii: "'"))
            case 0x2013, 0x2014:
                bytes.append(UInt8(ascii: "-"))
            case 0x2022:
                bytes.append(0xB7)
            default:
                bytes.append(contentsOf: Array("&#\(scalar.value);".utf8))
            }
        }
        return bytes
    }
}

enum Gzip {
    /// Whether an `Accept-Encoding` header value allows gzip (a `q=0` parameter refuses it).
    static func accepted(by acceptEncoding: [String]) -> Bool {
        for header in acceptEncoding {
            for item in header.split(separator: ",") {
                let fields = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard let coding = fields.first, ["gzip", "x-gzip", "*"].contains(coding) else { continue }
                let refused = fields.dropFirst().contains { field in
                    guard field.hasPrefix("q=") else { return false }
                    return (Double(field.dropFirst(2)) ?? 1) <= 0
                }
                if !refused {
                    return true
                }
            }
        }
        return false
    }

    /// Compresses with libdeflate into the gzip format (RFC 1952).
    static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8]? {
        deflate(
            input, level: level, bound: { libdeflate_gzip_compress_bound($0, $1) },
            compress: { libdeflate_gzip_compress($0, $1.baseAddress, $1.count, $2.baseAddress, $2.count) })
    }

    /// Compresses with libdeflate into the zlib format (RFC 1950), as PNG needs.
    static func zlib(_ input: [UInt8], level: Int32 = 9) -> [UInt8]? {
        deflate(
            input, level: level, bound: { libdeflate_zlib_compress_bound($0, $1) },
            compress: { libdeflate_zlib_compress($0, $1.baseAddress, $1.count, $2.baseAddress, $2.count) })
    }

    /// One compressor for `level`, freed on return; `compress` writes at most `bound` bytes, 0 on failure.
    private static func deflate(
        _ input: [UInt8], level: Int32, bound: (OpaquePointer, Int) -> Int,
        compress: (OpaquePointer, UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer) -> Int
    ) -> [UInt8]? {
        guard let compressor = libdeflate_alloc_compressor(level) else { return nil }
        defer { libdeflate_free_compressor(compressor) }
        var output = [UInt8](repeating: 0, count: bound(compressor, input.count))
        let written = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target in compress(compressor, source, target) }
        }
        guard written > 0 else { return nil }
        output.removeSubrange(written...)
        return output
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { buffer in libdeflate_crc32(0, buffer.baseAddress, buffer.count) }
    }
}
