import Foundation

/// The text of an e-mail as a person reads it, for a readable page of the dossier: the first
/// `text/plain` part that is not an attachment, else the visible text of the first `text/html` part,
/// transfer encoding (base64, quoted-printable) and charset decoded. The `.eml` itself stays the
/// evidence; this is only its reading.
package struct EmailText: Sendable, Equatable {
    package enum Source: String, Sendable {
        case plain = "text/plain"
        case html = "text/html"
    }

    package var text: String
    package var source: Source
    /// The file names of the attachments, as the message names them (not decoded, not stored apart).
    package var attachments: [String]
}

extension EmailMessage {
    /// Deepest nesting of multipart parts read, and most parts: a hostile message cannot make this loop.
    static let maximumDepth = 8
    static let maximumParts = 200

    /// The message's readable text; nil when it has no text part (an empty body, only attachments).
    package var readableText: EmailText? {
        var attachments: [String] = []
        var plain: String?
        var html: String?
        var parts = 0
        func walk(_ fields: [Field], _ body: [UInt8], depth: Int) {
            parts += 1
            guard depth <= Self.maximumDepth, parts <= Self.maximumParts else { return }
            let type = MIMEHeader(fields.last { $0.name.caseInsensitiveCompare("Content-Type") == .orderedSame }?.value)
            let disposition = MIMEHeader(
                fields.last { $0.name.caseInsensitiveCompare("Content-Disposition") == .orderedSame }?.value)
            let name = disposition.parameters["filename"] ?? type.parameters["name"]
            if type.value.hasPrefix("multipart/"), let boundary = type.parameters["boundary"] {
                for part in Self.split(body, boundary: boundary) {
                    let (f, b) = Self.fields(of: part)
                    walk(f, b, depth: depth + 1)
                }
                return
            }
            if disposition.value == "attachment" || (name != nil && !type.value.hasPrefix("text/")) {
                attachments.append(name.map(EncodedWords.decode) ?? type.value)
                return
            }
            let encoding = fields.last { $0.name.caseInsensitiveCompare("Content-Transfer-Encoding") == .orderedSame }?
                .value.lowercased()
            let bytes = Self.decodeTransfer(body, encoding: encoding)
            let label = type.parameters["charset"].flatMap(Charset.canonicalLabel) ?? "UTF-8"
            let text = Charset.decode(Data(bytes), as: DetectedCharset(label: label, source: .httpHeader))
            if type.value == "text/plain" || type.value.isEmpty, plain == nil {
                plain = text
            } else if type.value == "text/html", html == nil {
                html = text
            } else if let name {
                attachments.append(EncodedWords.decode(name))
            }
        }
        walk(fields, body, depth: 0)
        if let plain {
            return EmailText(
                text: plain.replacingOccurrences(of: "\r\n", with: "\n"), source: .plain, attachments: attachments)
        }
        if let html, let document = HTMLDocument(text: html) {
            // What a reader sees: hidden text (attribute, style, hiding classes) left out.
            return EmailText(
                text: document.read().blocks.map(\.text).joined(separator: "\n\n"), source: .html,
                attachments: attachments)
        }
        return nil
    }

    /// A part's header fields and body (RFC 2045); lenient: a line that is no field ends the header.
    static func fields(of part: [UInt8]) -> ([Field], [UInt8]) {
        var fields: [Field] = []
        var i = 0
        while i < part.count {
            var end = i
            while end + 1 < part.count, !(part[end] == 0x0D && part[end + 1] == 0x0A) { end += 1 }
            if end + 1 >= part.count { end = part.count }
            let line = Array(part[i..<end])
            if line.isEmpty { return (fields, end + 2 <= part.count ? Array(part[(end + 2)...]) : []) }
            if line.first == 0x20 || line.first == 0x09, let last = fields.popLast() {
                fields.append(Field(name: last.name, raw: last.raw + [0x0D, 0x0A] + line))
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                fields.append(Field(name: String(decoding: line[..<colon], as: UTF8.self), raw: line))
            } else {
                return (fields, Array(part[i...]))
            }
            i = end + 2
        }
        return (fields, [])
    }

    /// The parts between `--boundary` lines, up to `--boundary--`.
    static func split(_ body: [UInt8], boundary: String) -> [[UInt8]] {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [[UInt8]] = []
        var current: [UInt8]?
        var i = 0
        while i < body.count, parts.count < maximumParts {
            var end = i
            while end + 1 < body.count, !(body[end] == 0x0D && body[end + 1] == 0x0A) { end += 1 }
            if end + 1 >= body.count { end = body.count }
            let line = body[i..<end]
            if line.starts(with: delimiter) {
                // The CRLF before a delimiter belongs to the delimiter, not to the part.
                if let c = current { parts.append(c.count >= 2 ? Array(c.dropLast(2)) : c) }
                let rest = line.dropFirst(delimiter.count)
                if rest.starts(with: [0x2D, 0x2D]) { return parts }
                current = []
            } else if current != nil {
                current! += line
                current! += [0x0D, 0x0A]
            }
            i = end + 2
        }
        if let c = current, !c.isEmpty { parts.append(c) }
        return parts
    }

    /// base64 and quoted-printable decoded; anything else (7bit, 8bit, binary) as it is.
    static func decodeTransfer(_ body: [UInt8], encoding: String?) -> [UInt8] {
        switch encoding {
        case "base64":
            return Data(base64Encoded: Data(body), options: .ignoreUnknownCharacters).map { [UInt8]($0) } ?? body
        case "quoted-printable":
            var out: [UInt8] = []
            out.reserveCapacity(body.count)
            var i = 0
            func hex(_ b: UInt8) -> UInt8? {
                switch b {
                case 0x30...0x39: return b - 0x30
                case 0x41...0x46: return b - 0x41 + 10
                case 0x61...0x66: return b - 0x61 + 10
                default: return nil
                }
            }
            while i < body.count {
                if body[i] == UInt8(ascii: "=") {
                    if i + 2 < body.count, body[i + 1] == 0x0D, body[i + 2] == 0x0A {
                        i += 3  // soft line break
                        continue
                    }
                    if i + 2 < body.count, let h = hex(body[i + 1]), let l = hex(body[i + 2]) {
                        out.append(h << 4 | l)
                        i += 3
                        continue
                    }
                }
                out.append(body[i])
                i += 1
            }
            return out
        default:
            return body
        }
    }
}

/// A MIME header value: `type/subtype; name=value; name="quoted value"` (RFC 2045), names lowercased.
struct MIMEHeader {
    let value: String
    let parameters: [String: String]

    init(_ text: String?) {
        let pieces = (text ?? "").split(separator: ";", omittingEmptySubsequences: false)
        value = pieces.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var v = piece[piece.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") { v = String(v.dropFirst().dropLast()) }
            if parameters[name] == nil { parameters[name] = v }
        }
        self.parameters = parameters
    }
}
