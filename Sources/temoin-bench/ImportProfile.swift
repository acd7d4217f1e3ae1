import Foundation
import TemoinKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the time of one import goes, with TemoinKit's pieces timed one by one on the same page.
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
    for i in 0..<count {
        let data = try time("read_file") { try Data(contentsOf: URL(fileURLWithPath: pagePath)) }
        _ = try time("case_record") { try store.caseRecord() }
        let ruleSet = try time("rule_set_load") { try RuleSet.named("rdv-prefecture", url: url) }
        _ = time("charset_decode") { Charset.decode(data, as: Charset.detect(data)) }
        let analysis = time("page_analyze") { PageAnalyzer(ruleSet: ruleSet).analyze(data, url: url) }
        if i == 0 { blocks = analysis.visibleText.split(separator: "\n").map(String.init) }
        let normalized = time("  text_normalize") { blocks.map(TextNormalizer.forMatching) }
        // HTMLDocument.read collapses the whitespace of every block with the same routine.
        _ = time("  collapse_whitespace") { blocks.map(TextNormalizer.collapseWhitespace) }
        // The worst case of rule matching: every text marker of the profile and the common rules
        // searched in every block (a page no text rule matches).
        let markers = (ruleSet.rules + RuleSet.common.rules).flatMap { $0.text ?? [] }.map(
            TextNormalizer.forMatching)
        _ = time("  marker_search") {
            markers.reduce(0) { n, m in n + normalized.filter { TextNormalizer.contains($0, m) }.count }
        }
        _ = try time("importer_import_file") {
            try Importer(store: store).importFile(
                pagePath,
                options: ImportOptions(observedAt: Date(timeIntervalSince1970: 1_767_225_600 - Double(i) * 60)))
        }
        // What a new page costs: its SHA-256 (PendingCapture) and its compression (done by Store.append
        // only for bytes the store does not hold yet).
        let capture = time("pending_capture") { () -> PendingCapture in
            _ = CaptureCodec.encode(data)
            return PendingCapture(
                bytes: data, role: "page", mediaType: "text/html; charset=UTF-8", name: "creneau.html")
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
            [("page_bytes", fileSize(pagePath)), ("blocks", blocks.count)]
                + parts.map { ($0.0 + "_p50_ms", $0.1) }))
}

/// Single-thread speed of what `verify` does to each capture, through TemoinKit's API: inflate
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
