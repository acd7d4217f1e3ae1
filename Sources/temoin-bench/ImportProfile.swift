import Foundation
import TemoinKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A prototype of `TextNormalizer.forMatching` / `collapseWhitespace` that works on UTF-8 bytes and
/// maps the typographic characters in one pass, instead of thirteen Foundation `contains` /
/// `replacingOccurrences` calls per block (each bridged to NSString and compared with Unicode
/// canonical equivalence). Not used by temoin: `profile-import` times it against the real one, on the
/// same blocks, and checks it gives the same strings, as evidence for the change it suggests.
enum FastNormalizer {
    @inline(__always) static func isSpace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return v == 0xA0 || v == 0x202F || s.properties.isWhitespace
    }

    @inline(__always) static func append(_ out: inout [UInt8], _ s: Unicode.Scalar) {
        let v = s.value
        if v < 0x80 {
            out.append(UInt8(v))
        } else {
            out.append(contentsOf: UTF8.encode(s)!)
        }
    }

    static func collapseWhitespace(_ text: String) -> String {
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

    static func forMatching(_ text: String) -> String {
        // Below U+0300 every scalar is already in NFC: skip Foundation's normalisation then.
        let nfc =
            text.unicodeScalars.contains(where: { $0.value >= 0x300 })
            ? text.precomposedStringWithCanonicalMapping : text
        let lowered = collapseWhitespace(nfc).lowercased()
        var out: [UInt8] = []
        out.reserveCapacity(lowered.utf8.count)
        var pendingSpace = false
        var lastWasQuote = false
        for scalar in lowered.unicodeScalars {
            if scalar.value == 0x20 {
                pendingSpace = true
                continue
            }
            let mapped: UInt8?
            switch scalar.value {
            case 0x2019, 0x2018, 0x02BC, 0x00B4, 0x60, 0x2032: mapped = UInt8(ascii: "'")
            case 0x201C, 0x201D, 0x00AB, 0x00BB, 0x22: mapped = UInt8(ascii: "\"")
            case 0x2013, 0x2014: mapped = UInt8(ascii: "-")
            default: mapped = nil
            }
            let isQuote = mapped == UInt8(ascii: "\"")
            if pendingSpace {
                // `" ` and ` "` lose their space, as in TextNormalizer.
                if !lastWasQuote, !isQuote { out.append(0x20) }
                pendingSpace = false
            }
            if scalar.value == 0x2026 {
                out.append(contentsOf: [0x2E, 0x2E, 0x2E])
            } else if let m = mapped {
                out.append(m)
            } else {
                append(&out, scalar)
            }
            lastWasQuote = isQuote
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `haystack.contains(needle)` on UTF-8 bytes (both already normalised the same way).
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        var h = haystack
        var n = needle
        return h.withUTF8 { hb in
            n.withUTF8 { nb in
                guard nb.count > 0 else { return true }
                guard hb.count >= nb.count else { return false }
                let first = Int32(nb[0])
                var i = 0
                let last = hb.count - nb.count
                while i <= last {
                    guard let hit = memchr(hb.baseAddress! + i, first, last - i + 1) else { return false }
                    i = UnsafeRawPointer(hit) - UnsafeRawPointer(hb.baseAddress!)
                    if memcmp(hb.baseAddress! + i, nb.baseAddress!, nb.count) == 0 { return true }
                    i += 1
                }
                return false
            }
        }
    }
}

/// Where the time of one import goes, with TemoinKit's public pieces timed one by one on the same page.
func profileImport(_ args: Arguments) throws {
    guard let pagePath = args.options["page"] else { fail("profile-import --page FILE [--count N]") }
    let count = max(1, args.int("count", default: 50))
    let url = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/"
    let fm = FileManager.default
    let work = fm.temporaryDirectory.appendingPathComponent(
        "temoin-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try fm.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: work) }
    let store = try Store.create(at: work.appendingPathComponent("profile.sqlite").path, case: benchCase)

    var phases: [(String, [Double])] = []
    func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let t0 = now()
        let r = try body()
        let dt = now() - t0
        if let i = phases.firstIndex(where: { $0.0 == name }) {
            phases[i].1.append(dt)
        } else {
            phases.append((name, [dt]))
        }
        return r
    }

    var blocks: [String] = []
    var mismatches = 0
    for i in 0..<count {
        let data = try time("read_file") { try Data(contentsOf: URL(fileURLWithPath: pagePath)) }
        _ = try time("case_record") { try store.caseRecord() }
        let ruleSet = try time("rule_set_load") { try RuleSet.named("rdv-prefecture", url: url) }
        _ = time("charset_decode") { Charset.decode(data, as: Charset.detect(data)) }
        let analysis = time("page_analyze") { PageAnalyzer(ruleSet: ruleSet).analyze(data, url: url) }
        if i == 0 { blocks = analysis.visibleText.split(separator: "\n").map(String.init) }
        let normalized = time("  text_normalize_current") { blocks.map(TextNormalizer.forMatching) }
        let fast = time("  text_normalize_prototype") { blocks.map(FastNormalizer.forMatching) }
        if i == 0 { mismatches = zip(normalized, fast).filter { $0 != $1 }.count }
        // visibleBlocks collapses the whitespace of every block with the same routine.
        _ = time("  collapse_whitespace_current") { blocks.map(TextNormalizer.collapseWhitespace) }
        _ = time("  collapse_whitespace_prototype") { blocks.map(FastNormalizer.collapseWhitespace) }
        // The worst case of rule matching: every text marker of the profile and the common rules
        // searched in every block (a page no text rule matches).
        let markers = (ruleSet.rules + RuleSet.common.rules).flatMap { $0.text ?? [] }.map(
            TextNormalizer.forMatching)
        _ = time("  marker_search_current") {
            markers.reduce(0) { n, m in n + normalized.filter { $0.contains(m) }.count }
        }
        _ = time("  marker_search_prototype") {
            markers.reduce(0) { n, m in n + normalized.filter { FastNormalizer.contains($0, m) }.count }
        }
        _ = try time("importer_import_file") {
            try Importer(store: store).importFile(
                pagePath,
                options: ImportOptions(observedAt: Date(timeIntervalSince1970: 1_767_225_600 - Double(i) * 60)))
        }
        let capture = time("pending_capture") {
            PendingCapture(bytes: data, role: "page", mediaType: "text/html; charset=UTF-8", name: "creneau.html")
        }
        let observed = TimeFormat.utc(Date(timeIntervalSince1970: 1_767_225_600 + Double(i) * 60))
        _ = try time("store_append") {
            try store.append(type: .attempt, captures: [capture]) { body in
                body.provenance = .imported
                body.observedAt = observed
                body.timeBasis = .declared
                body.url = url
                body.outcome = analysis.outcome
                body.rule = analysis.rule
                body.message = analysis.message
                body.title = analysis.title
                body.profile = ruleSet.id
            }
        }
    }
    let parts = phases.map { name, samples -> (String, Any) in
        let s = samples.sorted()
        return (name.trimmingCharacters(in: .whitespaces), percentile(s, 0.5) * 1000)
    }
    print(
        json(
            [("page_bytes", fileSize(pagePath)), ("blocks", blocks.count), ("prototype_mismatches", mismatches)]
                + parts.map { ($0.0 + "_p50_ms", $0.1) }))
}

/// Single-thread speed of what `verify` does to each capture, through TemoinKit's public API: inflate
/// (`CaptureCodec.decode`, libdeflate) and SHA-256 (`sha256Hex`, swift-crypto), on generated pages.
func codecSpeed(_ args: Arguments) throws {
    let pages = max(1, args.int("pages", default: 1000))
    var generator = PageGenerator(seed: UInt64(args.int("seed", default: 1)))
    var raw: [Data] = []
    var stored: [(String, Data, Int64)] = []
    var rawBytes = 0
    var storedBytes = 0
    for _ in 0..<pages {
        let page = Data(
            generator.page(bytes: args.int("bytes-per-entry", default: 50_000), demarche: 4567, savedFrom: false))
        let (encoding, data) = CaptureCodec.encode(page)
        raw.append(page)
        stored.append((encoding.rawValue, data, Int64(page.count)))
        rawBytes += page.count
        storedBytes += data.count
    }
    func best(_ body: () -> Void) -> Double {
        var b = Double.infinity
        for _ in 0..<3 {
            let t0 = now()
            body()
            b = min(b, now() - t0)
        }
        return b
    }
    var sink = 0
    let inflate = best { for (e, d, n) in stored { sink &+= CaptureCodec.decode(d, encoding: e, size: n)?.count ?? 0 } }
    let sha = best { for d in raw { sink &+= sha256Hex(d).utf8.count } }
    let both = best {
        for (e, d, n) in stored {
            if let r = CaptureCodec.decode(d, encoding: e, size: n) { sink &+= sha256Hex(r).utf8.count }
        }
    }
    let mb = Double(rawBytes) / 1e6
    print(
        json([
            ("pages", pages), ("raw_bytes", rawBytes), ("stored_bytes", storedBytes),
            ("inflate_mb_s", mb / inflate), ("sha256_mb_s", mb / sha), ("inflate_and_sha256_mb_s", mb / both),
            ("sink", sink % 2),
        ]))
}

/// Resident memory now, from /proc/self/statm (Linux), in MB; 0 elsewhere.
func residentMB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1e6
}

/// `Verifier().verify` in this process, printing the resident memory as it goes (at each progress
/// report, i.e. after each batch of captures): shows which phase holds the memory.
func verifyMemory(_ args: Arguments) throws {
    guard let path = args.positional.first else { fail("verify-memory STORE") }
    let start = now()
    note(String(format: "  verify-memory: %.3f s, %.1f MB resident before", 0.0, residentMB()))
    let report = try Verifier().verify(path: path) { done, total in
        note(
            String(
                format: "  verify-memory: %.3f s, %.0f/%.0f MB of captures, %.1f MB resident", now() - start,
                Double(done) / 1e6, Double(total) / 1e6, residentMB()))
    }
    note(String(format: "  verify-memory: %.3f s, %.1f MB resident after", now() - start, residentMB()))
    print(json([("verdict", report.verdict.rawValue), ("entries", report.entries), ("seconds", now() - start)]))
}
