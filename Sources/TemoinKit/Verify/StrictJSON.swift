import Foundation

/// Reads JSON exactly as docs/FORMAT.md §6.4 says a verifier must, in one pass over the bytes.
///
/// Foundation's decoder is more lenient than the format (it repairs invalid UTF-8 and accepts raw
/// control characters in strings), and no library at hand keeps the first of repeated member names
/// or reads numbers as exact decimals; the format's rules are few and fixed, so they are written out
/// here rather than bent out of a general parser.
///
/// Invariant: a document is accepted only if it is RFC 8259 JSON in strict UTF-8 (no byte order mark,
/// no overlong form, no encoded surrogate), with no raw control character and no unpaired escaped
/// surrogate in any string, `NaN` and `Infinity` refused, arrays and objects nested at most `maxDepth`
/// deep, and nothing but whitespace after the value. A number is `integral` when its exact decimal
/// value is an integer in the signed 64-bit range (`2`, `2.0`, `20e-1`; not `5.0000000000000001`,
/// not `1e19`).
final class StrictJSON {
    /// §6.4: nesting deeper than this makes a document invalid (temoin writes at most 8 levels).
    static let maxDepth = 64

    struct Invalid: Error {}

    enum Number: Equatable {
        case integral(Int64)
        /// A valid JSON number that is not an integer of 64 bits.
        case other
    }

    private let bytes: UnsafeRawBufferPointer
    private var i = 0
    private var depth = 0
    /// One reusable buffer per nesting level for member names: a body holds some sixty names, and
    /// allocating an array for each was most of `verify`'s allocations on a store of 100,000 entries.
    private var names: [[UInt8]] = []

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Runs `read` on the document's top-level value, then requires the end of the document.
    static func read<T>(_ data: Data, _ read: (StrictJSON) throws -> T) -> T? {
        data.withUnsafeBytes { raw -> T? in
            let r = StrictJSON(raw)
            do {
                r.skipWhitespace()
                let value = try read(r)
                r.skipWhitespace()
                return r.i == raw.count ? value : nil
            } catch {
                return nil
            }
        }
    }

    // MARK: Bytes

    private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private func expect(_ byte: UInt8) throws {
        guard peek == byte else { throw Invalid() }
        i += 1
    }

    /// True when the next value is an object (`{`), without consuming it.
    var atObject: Bool { peek == UInt8(ascii: "{") }
    var atArray: Bool { peek == UInt8(ascii: "[") }
    var atString: Bool { peek == UInt8(ascii: "\"") }

    // MARK: Containers

    /// Reads an object; `member` gets each name (unescaped, as UTF-8) and must consume its value.
    func object(_ member: (_ name: [UInt8]) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        depth += 1
        guard depth <= Self.maxDepth else { throw Invalid() }
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            return
        }
        while names.count < depth { names.append([]) }  // `depth` counts arrays too
        let level = depth - 1
        while true {
            skipWhitespace()
            names[level].removeAll(keepingCapacity: true)
            try scanString(into: &names[level])
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try member(names[level])
            skipWhitespace()
            if peek == UInt8(ascii: ",") {
                i += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            depth -= 1
            return
        }
    }

    /// Reads an array; `element` must consume each value.
    func array(_ element: () throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        depth += 1
        guard depth <= Self.maxDepth else { throw Invalid() }
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try element()
            skipWhitespace()
            if peek == UInt8(ascii: ",") {
                i += 1
                continue
            }
            try expect(UInt8(ascii: "]"))
            depth -= 1
            return
        }
    }

    /// Reads and checks any value, keeping nothing.
    func skipValue() throws {
        guard let b = peek else { throw Invalid() }
        switch b {
        case UInt8(ascii: "{"): try object { _ in try skipValue() }
        case UInt8(ascii: "["): try array { try skipValue() }
        case UInt8(ascii: "\""): try scanString(into: nil)
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    private func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count else { throw Invalid() }
        for k in 0..<count where bytes[i + k] != word.utf8Start[k] { throw Invalid() }
        i += count
    }

    // MARK: Strings

    /// A string, unescaped, as its UTF-8 bytes.
    func string() throws -> [UInt8] {
        var out: [UInt8] = []
        try scanString(into: &out)
        return out
    }

    /// A string as Swift text (always valid UTF-8 once read).
    func text() throws -> String { String(decoding: try string(), as: UTF8.self) }

    private func scanString(into out: UnsafeMutablePointer<[UInt8]>?) throws {
        try expect(UInt8(ascii: "\""))
        var runStart = i
        func flush(_ upTo: Int) {
            if let out, upTo > runStart { out.pointee.append(contentsOf: bytes[runStart..<upTo]) }
        }
        while true {
            guard i < bytes.count else { throw Invalid() }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                flush(i)
                i += 1
                return
            }
            if b == UInt8(ascii: "\\") {
                flush(i)
                try escape(into: out)
                runStart = i
                continue
            }
            if b < 0x20 { throw Invalid() }  // RFC 8259: control characters must be escaped
            if b < 0x80 {
                i += 1
                continue
            }
            i += try utf8Sequence(at: i)
        }
    }

    /// The length of the well-formed UTF-8 sequence starting at `at` (RFC 3629, Unicode table 3-7).
    private func utf8Sequence(at: Int) throws -> Int {
        let b0 = bytes[at]
        func cont(_ k: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) throws {
            guard at + k < bytes.count, range.contains(bytes[at + k]) else { throw Invalid() }
        }
        switch b0 {
        case 0xC2...0xDF:
            try cont(1)
            return 2
        case 0xE0:
            try cont(1, 0xA0...0xBF)
            try cont(2)
            return 3
        case 0xE1...0xEC, 0xEE...0xEF:
            try cont(1)
            try cont(2)
            return 3
        case 0xED:  // not U+D800…U+DFFF (surrogates, CESU-8)
            try cont(1, 0x80...0x9F)
            try cont(2)
            return 3
        case 0xF0:
            try cont(1, 0x90...0xBF)
            try cont(2)
            try cont(3)
            return 4
        case 0xF1...0xF3:
            try cont(1)
            try cont(2)
            try cont(3)
            return 4
        case 0xF4:
            try cont(1, 0x80...0x8F)
            try cont(2)
            try cont(3)
            return 4
        default:
            throw Invalid()
        }
    }

    private func escape(into out: UnsafeMutablePointer<[UInt8]>?) throws {
        i += 1  // the backslash
        guard let e = peek else { throw Invalid() }
        i += 1
        let simple: UInt8
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): simple = e
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xDC00...0xDFFF).contains(scalar) { throw Invalid() }  // a low half alone
            if (0xD800...0xDBFF).contains(scalar) {
                // A high half must be followed at once by an escaped low half.
                guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                    throw Invalid()
                }
                i += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw Invalid() }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            if let out { out.pointee.append(contentsOf: Array(String(Unicode.Scalar(scalar)!).utf8)) }
            return
        default:
            throw Invalid()
        }
        out?.pointee.append(simple)
    }

    private func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw Invalid() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw Invalid()
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    // MARK: Numbers

    /// A number (RFC 8259 grammar: no `+`, no leading zero, digits after `.` and `e`), read as an exact
    /// decimal.
    func number() throws -> Number {
        let zero = UInt8(ascii: "0")
        let nine = UInt8(ascii: "9")
        func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= zero && $0 <= nine } ?? false }
        let negative = peek == UInt8(ascii: "-")
        if negative { i += 1 }
        let intStart = i
        if peek == zero {
            i += 1
        } else if isDigit(peek) {
            while isDigit(peek) { i += 1 }
        } else {
            throw Invalid()
        }
        let intEnd = i
        var fracStart = i
        var fracEnd = i
        if peek == UInt8(ascii: ".") {
            i += 1
            fracStart = i
            guard isDigit(peek) else { throw Invalid() }
            while isDigit(peek) { i += 1 }
            fracEnd = i
        }
        // The exponent saturates far beyond anything that could still give a 64-bit integer.
        var exponent = 0
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") {
                expNegative = peek == UInt8(ascii: "-")
                i += 1
            }
            guard isDigit(peek) else { throw Invalid() }
            while isDigit(peek) {
                exponent = min(exponent * 10 + Int(bytes[i] - zero), 1_000_000_000_000_000)
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        // Significant digits: integer then fraction digits, without leading zeros.
        var digits: [UInt8] = []
        for k in intStart..<intEnd where !(digits.isEmpty && bytes[k] == zero) { digits.append(bytes[k]) }
        for k in fracStart..<fracEnd where !(digits.isEmpty && bytes[k] == zero) { digits.append(bytes[k]) }
        if digits.isEmpty { return .integral(0) }
        var scale = exponent - (fracEnd - fracStart)
        while digits.last == zero {
            digits.removeLast()
            scale += 1
        }
        guard scale >= 0, digits.count + scale <= 19 else { return .other }
        var magnitude: UInt64 = 0
        for d in digits { magnitude = magnitude * 10 + UInt64(d - zero) }
        for _ in 0..<scale {
            let (m, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            if overflow { return .other }
            magnitude = m
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return .other }
            return .integral(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude))
        }
        guard magnitude <= UInt64(Int64.max) else { return .other }
        return .integral(Int64(magnitude))
    }

    /// The next value when it is an integral number (§6.4), else nil; the value is consumed either way.
    func integral() throws -> Int64? {
        guard let b = peek, b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
            try skipValue()
            return nil
        }
        if case .integral(let v) = try number() { return v }
        return nil
    }

    /// The next value when it is a string, else nil; the value is consumed either way.
    func optionalText() throws -> String? {
        guard atString else {
            try skipValue()
            return nil
        }
        return try text()
    }
}

/// Matches a member name (`StrictJSON.object`) against literal text, as in `case "seq":`, without
/// building an array for each comparison (an `Array("seq".utf8)` pattern allocates every time).
func ~= (pattern: StaticString, name: [UInt8]) -> Bool {
    pattern.withUTF8Buffer { $0.elementsEqual(name) }
}
