import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An Internet message (RFC 5322) as read from an `.eml` file: its header fields, exactly as they are
/// in the file, and its body. The file's bytes are stored untouched; this view only reads them.
///
/// Line endings: mail travels with CRLF, but mail programs often save `.eml` files with bare LF.
/// `canonicalBytes` turns every bare LF into CRLF (what the message was when it was signed), which
/// is what DKIM verification reads.
package struct EmailMessage: Sendable {
    /// One header field: its name as written and its whole raw text (name, colon, value, folding),
    /// without the final CRLF.
    package struct Field: Sendable, Equatable {
        package let name: String
        /// The field's bytes from its name to the end of its last line, CRLF line endings inside.
        package let raw: [UInt8]

        /// The value: what follows the colon, unfolded (CRLF before whitespace removed), with
        /// leading and trailing whitespace removed. Still raw: encoded-words are not decoded.
        package var value: String {
            guard let colon = raw.firstIndex(of: UInt8(ascii: ":")) else { return "" }
            var bytes: [UInt8] = []
            var i = colon + 1
            while i < raw.count {
                if raw[i] == 0x0D, i + 1 < raw.count, raw[i + 1] == 0x0A {
                    i += 2
                    continue
                }
                bytes.append(raw[i])
                i += 1
            }
            return EmailMessage.text(bytes).trimmingCharacters(in: .whitespaces)
        }
    }

    /// Why a file is not an e-mail; the words go into the refusal message.
    package enum Problem: Error, Sendable, Equatable {
        case binary
        case noHeader
        case malformedLine(Int)
        case missingFrom
        case missingDate
    }

    /// Header fields in the order of the file.
    package let fields: [Field]
    /// The body: the bytes after the empty line that ends the header section (CRLF line endings).
    package let body: [UInt8]
    /// A leading mbox "From sender date" line, when the file starts with one: not a header field.
    package let mboxFromLine: Bool

    /// Largest header section read (RFC 5322 sets no limit; real ones are under 64 KB).
    static let maximumHeaderBytes = 1_000_000

    /// Parses a message. Throws `Problem` when the bytes are not an e-mail: binary data, no header
    /// section, a line in the header section that is neither a field nor a continuation, or no
    /// `From` field, or neither `Date` nor `Received` (every message that went through a server has one).
    package init(_ data: Data) throws {
        let bytes = Self.crlf([UInt8](data))
        var i = 0
        var fields: [Field] = []
        var mbox = false
        if bytes.starts(with: Array("From ".utf8)) {
            mbox = true
            while i < bytes.count, !(bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) { i += 1 }
            i += 2
        }
        var lineNumber = mbox ? 1 : 0
        var bodyStart = bytes.count
        while i < bytes.count {
            if i > Self.maximumHeaderBytes { throw Problem.noHeader }
            var end = i
            while end + 1 < bytes.count, !(bytes[end] == 0x0D && bytes[end + 1] == 0x0A) { end += 1 }
            if end + 1 >= bytes.count { end = bytes.count }
            lineNumber += 1
            let line = bytes[i..<end]
            if line.isEmpty {
                bodyStart = min(end + 2, bytes.count)
                break
            }
            if line.contains(0) { throw Problem.binary }
            if line.first == 0x20 || line.first == 0x09 {
                guard let last = fields.popLast() else { throw Problem.malformedLine(lineNumber) }
                fields.append(Field(name: last.name, raw: last.raw + [0x0D, 0x0A] + line))
            } else {
                // field-name = 1*ftext (printable US-ASCII except colon), then a colon; the obsolete
                // syntax (RFC 5322 §4.5) allows whitespace before the colon.
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                    throw Problem.malformedLine(lineNumber)
                }
                var name = line[line.startIndex..<colon]
                while let last = name.last, last == 0x20 || last == 0x09 { name = name.dropLast() }
                guard !name.isEmpty, name.allSatisfy({ (33...126).contains($0) }) else {
                    throw Problem.malformedLine(lineNumber)
                }
                fields.append(Field(name: String(decoding: name, as: UTF8.self), raw: Array(line)))
            }
            i = end + 2
        }
        if fields.isEmpty { throw Problem.noHeader }
        self.fields = fields
        self.body = bodyStart < bytes.count ? Array(bytes[bodyStart...]) : []
        self.mboxFromLine = mbox
        if field("From") == nil { throw Problem.missingFrom }
        if field("Date") == nil, field("Received") == nil { throw Problem.missingDate }
    }

    /// The field named `name` (case-insensitive); when it is repeated, the last one: a DKIM signature
    /// covers fields from the bottom, so that is the one a signature vouches for (a field added above
    /// it after signing is not).
    package func field(_ name: String) -> Field? {
        fields.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// Among From, To, Cc, Subject, Date and Message-ID, those present more than once (RFC 5322 allows
    /// each at most once): a sign that a field was added, shown beside the message.
    package var repeatedFields: [String] {
        ["From", "To", "Cc", "Subject", "Date", "Message-ID"].filter { name in
            fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.count > 1
        }
    }

    /// The value of the field named `name` (see ``field(_:)``), encoded-words decoded (RFC 2047) for a person to read.
    package func display(_ name: String) -> String? {
        field(name).map { EncodedWords.decode($0.value) }
    }

    /// The `Date` field as an instant, when it parses (RFC 5322 §3.3, obsolete forms included).
    package var date: Date? { field("Date").flatMap { MailDate.parse($0.value) } }

    /// The domain of the `From` address (after the last `@`, inside angle brackets when there are some).
    package var fromDomain: String? {
        guard let from = field("From")?.value else { return nil }
        var address = from
        if let open = from.lastIndex(of: "<"), let close = from[open...].firstIndex(of: ">") {
            address = String(from[from.index(after: open)..<close])
        }
        guard let at = address.lastIndex(of: "@") else { return nil }
        let domain = address[address.index(after: at)...].trimmingCharacters(in: .whitespaces)
            .trimmingCharacters(in: CharacterSet(charactersIn: ">"))
        return domain.isEmpty ? nil : domain.lowercased()
    }

    /// Bare LF (not preceded by CR) becomes CRLF; everything else is kept as it is.
    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x0A) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 40)
        var previous: UInt8 = 0
        for b in bytes {
            if b == 0x0A, previous != 0x0D { out.append(0x0D) }
            out.append(b)
            previous = b
        }
        return out
    }

    /// Header bytes read as text: UTF-8 when valid (RFC 6532), else windows-1252.
    static func text(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        return Charset.decode(Data(bytes), as: DetectedCharset(label: "windows-1252", source: .fallback))
    }
}

/// RFC 2047 encoded-words (`=?UTF-8?B?...?=`, `=?ISO-8859-1?Q?...?=`) decoded for display. Whitespace
/// between two adjacent encoded-words is dropped, as the RFC says; an encoded-word in a charset temoin
/// does not know stays as written.
enum EncodedWords {
    static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        let pattern = #"=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?="#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        let ns = text as NSString
        var out = ""
        var cursor = 0
        var previousWasWord = false
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let between = ns.substring(with: NSRange(location: cursor, length: m.range.location - cursor))
            guard
                let decoded = word(
                    charset: ns.substring(with: m.range(at: 1)), encoding: ns.substring(with: m.range(at: 2)),
                    text: ns.substring(with: m.range(at: 3)))
            else {
                out += between + ns.substring(with: m.range)
                previousWasWord = false
                cursor = m.range.location + m.range.length
                continue
            }
            if !(previousWasWord && between.allSatisfy({ $0 == " " || $0 == "\t" })) { out += between }
            out += decoded
            previousWasWord = true
            cursor = m.range.location + m.range.length
        }
        out += ns.substring(from: cursor)
        return out
    }

    private static func word(charset: String, encoding: String, text: String) -> String? {
        // RFC 2231 allows a language after '*': "UTF-8*fr".
        let name = charset.split(separator: "*").first.map(String.init) ?? charset
        guard let label = Charset.canonicalLabel(name) else { return nil }
        var bytes: [UInt8]
        if encoding.uppercased() == "B" {
            var padded = text
            while padded.count % 4 != 0 { padded += "=" }
            guard let data = Data(base64Encoded: padded) else { return nil }
            bytes = [UInt8](data)
        } else {
            bytes = []
            let chars = Array(text.utf8)
            var i = 0
            while i < chars.count {
                if chars[i] == UInt8(ascii: "_") {
                    bytes.append(0x20)
                } else if chars[i] == UInt8(ascii: "="), i + 2 < chars.count,
                    let v = UInt8(String(decoding: chars[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
                {
                    bytes.append(v)
                    i += 2
                } else {
                    bytes.append(chars[i])
                }
                i += 1
            }
        }
        return Charset.decode(Data(bytes), as: DetectedCharset(label: label, source: .meta))
    }
}

/// The date-time of RFC 5322 §3.3, with the obsolete forms of §4.3 (two-digit years, named zones,
/// comments), as found in real `Date` fields.
package enum MailDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones: [String: Int] = [
        "ut": 0, "gmt": 0, "z": 0, "edt": -4, "est": -5, "cdt": -5, "cst": -6, "mdt": -6, "mst": -7, "pdt": -7,
        "pst": -8,
    ]

    /// The instant a `Date` value names, or nil when it does not parse or names an impossible date.
    package static func parse(_ value: String) -> Date? {
        // Comments ("(CET)") are not part of the date.
        var text = ""
        var depth = 0
        for c in value {
            if c == "(" {
                depth += 1
            } else if c == ")" {
                depth = max(0, depth - 1)
            } else if depth == 0 {
                text.append(c)
            }
        }
        var tokens = text.replacingOccurrences(of: ",", with: " ").split(whereSeparator: { $0 == " " || $0 == "\t" })
            .map { $0.lowercased() }
        if let first = tokens.first, first.count >= 3, Int(first) == nil, !months.contains(String(first.prefix(3))) {
            tokens.removeFirst()  // the day of the week
        }
        guard tokens.count >= 4, let day = Int(tokens[0]), (1...31).contains(day),
            let month = months.firstIndex(of: String(tokens[1].prefix(3))),
            tokens[2].allSatisfy({ $0.isASCII && $0.isNumber }), var year = Int(tokens[2])
        else { return nil }
        if tokens[2].count == 2 { year += year < 50 ? 2000 : 1900 } else if tokens[2].count == 3 { year += 1900 }
        guard (1...9999).contains(year) else { return nil }  // a hostile year must not overflow tm_year
        let clock = tokens[3].split(separator: ":").map { Int($0) }
        guard clock.count == 2 || clock.count == 3, clock.allSatisfy({ $0 != nil }) else { return nil }
        let hour = clock[0]!
        let minute = clock[1]!
        let second = clock.count == 3 ? clock[2]! : 0
        guard hour < 24, minute < 60, second < 61 else { return nil }
        var offset = 0
        if tokens.count >= 5 {
            let zone = tokens[4]
            if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5, let digits = Int(zone.dropFirst()) {
                offset = (digits / 100 * 3600 + digits % 100 * 60) * (sign == "-" ? -1 : 1)
            } else if let hours = zones[zone] {
                offset = hours * 3600
            }  // military and unknown zones mean "-0000": no information, read as UTC (RFC 5322 §4.3)
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        guard parts.tm_mday == Int32(day), parts.tm_mon == Int32(month) else { return nil }
        return Date(timeIntervalSince1970: Double(seconds - offset))
    }
}
