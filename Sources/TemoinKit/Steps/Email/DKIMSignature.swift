import Crypto
import Foundation
import _CryptoExtras

/// The parsed tags of one `DKIM-Signature` field (RFC 6376 §3.5).
package struct DKIMSignature: Sendable {
    package var version: String?
    package var algorithm: String
    package var signature: [UInt8]
    package var bodyHash: [UInt8]
    package var headerCanonicalization: String
    package var bodyCanonicalization: String
    package var domain: String
    package var signedHeaders: [String]
    package var identity: String?
    package var bodyLength: Int?
    package var queryMethods: String?
    package var selector: String
    package var timestamp: Int64?
    package var expiration: Int64?

    /// Parses the field's value. Throws the reason when the signature is malformed.
    init(value: String) throws(DKIMReason) {
        let tags = try DKIMTags.parse(value)
        func require(_ name: String) throws(DKIMReason) -> String {
            guard let v = tags[name] else { throw .malformedSignature }
            return v
        }
        version = tags["v"]
        guard version == "1" else { throw .unsupportedVersion }
        algorithm = try require("a").lowercased()
        guard let sig = Data(base64Encoded: DKIMTags.stripWhitespace(try require("b"))),
            let bh = Data(base64Encoded: DKIMTags.stripWhitespace(try require("bh")))
        else { throw .malformedSignature }
        signature = [UInt8](sig)
        bodyHash = [UInt8](bh)
        let canon = (tags["c"] ?? "simple/simple").lowercased().split(separator: "/", omittingEmptySubsequences: false)
        guard canon.count == 1 || canon.count == 2 else { throw .malformedSignature }
        headerCanonicalization = String(canon[0])
        bodyCanonicalization = canon.count == 2 ? String(canon[1]) : "simple"
        domain = try require("d").lowercased()
        signedHeaders = try require("h").split(separator: ":").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        identity = tags["i"]
        if let l = tags["l"] {
            guard let n = Int(DKIMTags.stripWhitespace(l)), n >= 0 else { throw .malformedSignature }
            bodyLength = n
        }
        queryMethods = tags["q"]
        selector = try require("s").lowercased()
        timestamp = nil
        expiration = nil
        if let t = tags["t"] {
            guard let n = Int64(DKIMTags.stripWhitespace(t)) else { throw .malformedSignature }
            timestamp = n
        }
        if let x = tags["x"] {
            guard let n = Int64(DKIMTags.stripWhitespace(x)) else { throw .malformedSignature }
            expiration = n
        }
        // §6.1.1: these make the signature unusable.
        guard signedHeaders.contains(where: { $0.caseInsensitiveCompare("from") == .orderedSame }) else {
            throw .fromNotSigned
        }
        if let i = identity {
            guard let at = i.lastIndex(of: "@") else { throw .malformedSignature }
            let iDomain = i[i.index(after: at)...].lowercased()
            guard iDomain == domain || iDomain.hasSuffix("." + domain) else { throw .identityMismatch }
        }
        if let q = queryMethods, !q.split(separator: ":").contains(where: { $0.lowercased().hasPrefix("dns/txt") }) {
            throw .malformedSignature
        }
        let label = #"^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?$"#
        for name in [domain, selector] {
            let labels = name.split(separator: ".", omittingEmptySubsequences: false)
            guard !labels.isEmpty, labels.allSatisfy({ $0.range(of: label, options: .regularExpression) != nil })
            else { throw .malformedSignature }
        }
    }

    /// `<selector>._domainkey.<domain>`: where the key is published (§3.6.2.1).
    package var keyQuery: String { "\(selector)._domainkey.\(domain)" }
}

/// RFC 6376 §3.2 tag lists: `tag=value; tag=value`, whitespace around names and values ignored, a tag
/// present twice makes the list invalid.
enum DKIMTags {
    static func parse(_ text: String) throws(DKIMReason) -> [String: String] {
        var tags: [String: String] = [:]
        for part in text.split(separator: ";", omittingEmptySubsequences: false) {
            let spec = part.trimmingCharacters(in: .whitespacesAndNewlines)
            if spec.isEmpty { continue }  // a trailing ";"
            guard let eq = spec.firstIndex(of: "=") else { throw .malformedSignature }
            let name = spec[..<eq].trimmingCharacters(in: .whitespacesAndNewlines)
            let value = spec[spec.index(after: eq)...].trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, tags[name] == nil else { throw .malformedSignature }
            tags[name] = value
        }
        return tags
    }

    static func stripWhitespace(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) })
    }
}

/// The canonicalization algorithms of RFC 6376 §3.4, on CRLF-terminated bytes.
package enum DKIMCanonicalization {
    static func isWSP(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// One header field, its raw bytes without the final CRLF, canonicalized; the CRLF is added.
    /// - simple (§3.4.1): unchanged.
    /// - relaxed (§3.4.2): name in lowercase; value unfolded, runs of WSP as one SP, WSP at the end of the
    ///   value and around the colon removed.
    package static func header(_ raw: [UInt8], relaxed: Bool) -> [UInt8] {
        guard relaxed else { return raw + [0x0D, 0x0A] }
        guard let colon = raw.firstIndex(of: UInt8(ascii: ":")) else { return raw + [0x0D, 0x0A] }
        var name = Array(raw[..<colon])
        while let last = name.last, isWSP(last) { name.removeLast() }
        var out = name.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        out.append(UInt8(ascii: ":"))
        var value: [UInt8] = []
        var pendingSpace = false
        var i = colon + 1
        while i < raw.count {
            let b = raw[i]
            if b == 0x0D || b == 0x0A || isWSP(b) {
                // CRLF inside a field is always folding (followed by WSP): unfold, count as space.
                pendingSpace = true
            } else {
                if pendingSpace, !value.isEmpty { value.append(0x20) }
                pendingSpace = false
                value.append(b)
            }
            i += 1
        }
        return out + value + [0x0D, 0x0A]
    }

    /// The body canonicalized (§3.4.3, §3.4.4).
    /// - simple: trailing empty lines removed; an empty body becomes one CRLF; a last line without CRLF gets one.
    /// - relaxed: WSP at line ends removed, runs of WSP as one SP, trailing empty lines removed; an empty
    ///   body stays empty; a non-empty one ends with CRLF.
    package static func body(_ bytes: [UInt8], relaxed: Bool) -> [UInt8] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                lines.append(bytes[start..<i])
                i += 2
                start = i
            } else {
                i += 1
            }
        }
        if start < bytes.count { lines.append(bytes[start..<bytes.count]) }  // a last line without CRLF
        var out: [[UInt8]] = lines.map { line in
            guard relaxed else { return Array(line) }
            var l: [UInt8] = []
            var space = false
            for b in line {
                if isWSP(b) {
                    space = true
                } else {
                    if space { l.append(0x20) }
                    space = false
                    l.append(b)
                }
            }
            return l
        }
        while let last = out.last, last.isEmpty { out.removeLast() }
        if out.isEmpty { return relaxed ? [] : [0x0D, 0x0A] }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 2)
        for line in out {
            result += line
            result += [0x0D, 0x0A]
        }
        return result
    }

    /// The `DKIM-Signature` field with the value of its `b=` tag deleted (§3.5, "b="): everything between
    /// `b=` and the next `;` (or the end), whitespace and folding included, goes; the rest stays byte for byte.
    package static func removingSignatureValue(_ raw: [UInt8]) -> [UInt8] {
        guard let colon = raw.firstIndex(of: UInt8(ascii: ":")) else { return raw }
        var out = Array(raw[...colon])
        var segmentStart = colon + 1
        while segmentStart <= raw.count {
            let end = raw[segmentStart...].firstIndex(of: UInt8(ascii: ";")) ?? raw.count
            let segment = raw[segmentStart..<end]
            if let eq = segment.firstIndex(of: UInt8(ascii: "=")),
                segment[segment.startIndex..<eq].filter({ !isWSP($0) && $0 != 0x0D && $0 != 0x0A }) == [
                    UInt8(ascii: "b")
                ]
            {
                out += raw[segmentStart...eq]
            } else {
                out += segment
            }
            if end < raw.count { out.append(UInt8(ascii: ";")) }
            segmentStart = end + 1
        }
        return out
    }
}
