// Benchmark driver for `make bench`: see scripts/bench.sh and docs/BENCHMARKS.md.
//
//   temoin-bench make-store PATH --entries N --bytes-per-entry B --seed S [--raw-out FILE]
//   temoin-bench make-page FILE --bytes B --seed S
//   temoin-bench append-latency --page FILE --count N [--store PATH] [--vary]
//   temoin-bench profile-import --page FILE [--count N]
//   temoin-bench codec-speed [--pages N] [--bytes-per-entry B] [--seed S]
//   temoin-bench verify-memory STORE
//   temoin-bench run -- COMMAND [ARGS...]
//
// Every subcommand prints one JSON object on stdout; progress goes to stderr.
import Foundation
import TemoinKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: Helpers

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("temoin-bench: \(message)\n".utf8))
    exit(64)
}

func note(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
}

/// Monotonic seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// `--name value` options and positional arguments, nothing more.
struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    init(_ args: ArraySlice<String>, flags known: Set<String> = []) {
        var i = args.startIndex
        while i < args.endIndex {
            let a = args[i]
            if a.hasPrefix("--") {
                let name = String(a.dropFirst(2))
                if known.contains(name) {
                    flags.insert(name)
                } else {
                    guard i + 1 < args.endIndex else { fail("\(a) needs a value") }
                    options[name] = args[i + 1]
                    i += 1
                }
            } else {
                positional.append(a)
            }
            i += 1
        }
    }

    func int(_ name: String, default value: Int? = nil) -> Int {
        if let s = options[name] {
            guard let n = Int(s.replacingOccurrences(of: "_", with: "")), n >= 0 else {
                fail("--\(name) must be a non-negative integer")
            }
            return n
        }
        guard let value else { fail("--\(name) is required") }
        return value
    }
}

func json(_ pairs: [(String, Any)]) -> String {
    let parts = pairs.map { key, value -> String in
        let v: String
        switch value {
        case let d as Double: v = String(format: "%.6f", d)
        case let s as String:
            v = "\"\(s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
        case let raw as RawJSON: v = raw.text
        default: v = "\(value)"
        }
        return "\"\(key)\":\(v)"
    }
    return "{" + parts.joined(separator: ",") + "}"
}

struct RawJSON { var text: String }

func fileSize(_ path: String) -> Int64 {
    var st = stat()
    return stat(path, &st) == 0 ? Int64(st.st_size) : 0
}

/// Nearest-rank percentile of sorted values.
func percentile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((q * Double(sorted.count)).rounded(.up))
    return sorted[min(sorted.count - 1, max(0, rank - 1))]
}

func latencyJSON(_ samples: [Double]) -> RawJSON {
    let s = samples.sorted()
    let mean = s.reduce(0, +) / Double(max(1, s.count))
    return RawJSON(
        text: json([
            ("count", s.count), ("p50_ms", percentile(s, 0.50) * 1000), ("p90_ms", percentile(s, 0.90) * 1000),
            ("p99_ms", percentile(s, 0.99) * 1000), ("max_ms", (s.last ?? 0) * 1000),
            ("min_ms", (s.first ?? 0) * 1000), ("mean_ms", mean * 1000),
        ]))
}

let benchCase = CaseFields(
    applicant: "Camille Banc-d’Essai", prefecture: "Préfecture du Val-de-Marne",
    procedure: "Demande ou renouvellement de titre de séjour",
    bookingURL: "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/",
    profile: "rdv-prefecture",
    facts: "Récépissé expirant bientôt ; mesure de performance (temoin-bench), pas un vrai dossier.")

let noSlotMessage = "Aucun créneau disponible à partir de cette date. Veuillez réessayer ultérieurement."

// MARK: make-store

/// Builds a store of `--entries` attempts, each with one distinct page capture, through TemoinKit's
/// API only (Store.create, then one Store.append per attempt, each its own durable transaction).
func makeStore(_ args: Arguments) throws {
    guard let path = args.positional.first else { fail("make-store PATH --entries N --bytes-per-entry B --seed S") }
    let entries = args.int("entries")
    let bytesPerEntry = args.int("bytes-per-entry", default: 50_000)
    let seed = UInt64(args.int("seed", default: 1))
    var raw: FileHandle?
    if let rawPath = args.options["raw-out"] {
        guard FileManager.default.createFile(atPath: rawPath, contents: nil),
            let h = FileHandle(forWritingAtPath: rawPath)
        else { fail("cannot write \(rawPath)") }
        raw = h
    }
    let start = now()
    let store = try Store.create(at: path, case: benchCase)
    var generator = PageGenerator(seed: seed)
    var generateTime = 0.0
    var encodeTime = 0.0
    var appendTime = 0.0
    var rawBytes: Int64 = 0
    // Observations five minutes apart, the last one a day before the store is built: a store with
    // consistent times, as a real one is (verify then reports no time problem; a fixed first date
    // put the last of 100,000 observations in the future).
    let firstObservation = Date().addingTimeInterval(-Double(entries) * 300 - 86_400)
    var lastReport = start
    for i in 0..<entries {
        let t0 = now()
        let demarche = 1000 + Int(seed % 9000)
        let page = generator.page(bytes: bytesPerEntry, demarche: demarche, savedFrom: false)
        let data = Data(page)
        try raw?.write(contentsOf: data)
        let t1 = now()
        let capture = PendingCapture(bytes: data, role: "page", mediaType: "text/html")
        let t2 = now()
        let observed = TimeFormat.utc(firstObservation.addingTimeInterval(Double(i) * 300))
        let url = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/\(demarche)/creneau/"
        try store.append(type: .attempt, captures: [capture]) { body in
            body.provenance = .captured
            body.timeBasis = .witnessed
            body.observedAt = observed
            body.url = url
            body.outcome = .noSlot
            body.rule = "rdv-prefecture/rdv-no-slot-from-date"
            body.message = noSlotMessage
            body.title = "Prendre un rendez-vous - RDV Préfecture"
            body.profile = "rdv-prefecture"
        }
        let t3 = now()
        generateTime += t1 - t0
        encodeTime += t2 - t1
        appendTime += t3 - t2
        rawBytes += Int64(data.count)
        if t3 - lastReport >= 5 || i + 1 == entries {
            lastReport = t3
            let done = Double(i + 1)
            let eta = (t3 - start) / done * (Double(entries) - done)
            note(
                String(
                    format: "  make-store: %d/%d entries, %.0f MB raw, %.0f s, about %.0f s left", i + 1, entries,
                    Double(rawBytes) / 1e6, t3 - start, eta))
        }
    }
    try raw?.close()
    let total = now() - start
    print(
        json([
            ("entries", entries), ("raw_bytes", rawBytes), ("seconds", total), ("generate_s", generateTime),
            ("encode_s", encodeTime), ("append_s", appendTime),
            ("append_ms_mean", appendTime / Double(max(1, entries)) * 1000),
        ]))
}

// MARK: make-page

func makePage(_ args: Arguments) throws {
    guard let path = args.positional.first else { fail("make-page FILE --bytes B --seed S") }
    var generator = PageGenerator(seed: UInt64(args.int("seed", default: 1)))
    let page = generator.page(bytes: args.int("bytes", default: 60_000), demarche: 4567, savedFrom: true)
    try Data(page).write(to: URL(fileURLWithPath: path))
    print(json([("path", path), ("bytes", page.count)]))
}

// MARK: append-latency

/// Imports one saved page `--count` times, each with a distinct declared observation time so the
/// duplicate check does not skip it, and times each `Importer(store:).importFile` call (a new
/// Importer each time, as each `temoin import` does). With `--vary`, each import gets a page with
/// a distinct final comment, so each append also writes a new capture blob.
func appendLatency(_ args: Arguments) throws {
    guard let pagePath = args.options["page"] else { fail("append-latency --page FILE --count N") }
    let count = args.int("count", default: 200)
    let vary = args.flags.contains("vary")
    let fm = FileManager.default
    let work = fm.temporaryDirectory.appendingPathComponent(
        "temoin-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try fm.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: work) }

    let store: Store
    if let existing = args.options["store"] {
        store = try Store.open(at: existing)
    } else {
        store = try Store.create(at: work.appendingPathComponent("append.sqlite").path, case: benchCase)
    }
    let headBefore = try store.head()?.seq ?? 0

    var pages: [String] = []
    if vary {
        let original = try Data(contentsOf: URL(fileURLWithPath: pagePath))
        for i in 0..<count {
            let p = work.appendingPathComponent("page-\(i).html").path
            try (original + Data("<!-- variante \(i) -->\n".utf8)).write(to: URL(fileURLWithPath: p))
            pages.append(p)
        }
    } else {
        pages = Array(repeating: pagePath, count: count)
    }

    let base = Date().addingTimeInterval(-Double(count + 10) * 60)
    var totals: [Double] = []
    var inits: [Double] = []
    var imports: [Double] = []
    var recorded = 0
    for i in 0..<count {
        let t0 = now()
        let importer = try Importer(store: store)
        let t1 = now()
        let result = try importer.importFile(
            pages[i], options: ImportOptions(observedAt: base.addingTimeInterval(Double(i) * 60)))
        let t2 = now()
        if result.entry != nil { recorded += 1 }
        totals.append(t2 - t0)
        inits.append(t1 - t0)
        imports.append(t2 - t1)
    }
    let headAfter = try store.head()?.seq ?? 0
    print(
        json([
            ("page_bytes", fileSize(pagePath)), ("vary", vary), ("store_entries_before", headBefore),
            ("recorded", recorded), ("head_after", headAfter), ("latency", latencyJSON(totals)),
            ("importer_init", latencyJSON(inits)), ("import_file", latencyJSON(imports)),
        ]))
    if recorded != count { fail("only \(recorded) of \(count) imports were recorded") }
}

// MARK: run

/// Runs a command, then prints its wall time, exit status and peak resident memory (getrusage of the
/// child through wait4; the command's stdout is discarded): a stand-in for `/usr/bin/time -v` where that is not installed.
func run(_ args: ArraySlice<String>) -> Never {
    var command = Array(args)
    if command.first == "--" { command.removeFirst() }
    guard !command.isEmpty else { fail("run -- COMMAND [ARGS...]") }
    let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    let env: [UnsafeMutablePointer<CChar>?] =
        ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    // The command's own output is not wanted: its exit status says enough.
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    let t0 = now()
    let rc = posix_spawnp(&pid, command[0], &actions, nil, argv, env)
    guard rc == 0 else { fail("cannot run \(command[0]): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
        if errno != EINTR { fail("wait4: \(String(cString: strerror(errno)))") }
    }
    let wall = now() - t0
    let exited = (status & 0x7f) == 0
    let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    print(json([("wall_s", wall), ("exit", Int(code)), ("max_rss_kb", Int(usage.ru_maxrss))]))
    exit(0)
}

// MARK: Main

let argv = CommandLine.arguments
guard argv.count >= 2 else {
    fail(
        "subcommands: make-store, make-page, append-latency, profile-import, codec-speed, verify-memory, run (temoin-bench \(Temoin.version))"
    )
}
do {
    switch argv[1] {
    case "make-store": try makeStore(Arguments(argv[2...]))
    case "make-page": try makePage(Arguments(argv[2...]))
    case "make-dossier-store": try makeDossierStore(Arguments(argv[2...]))
    case "append-latency": try appendLatency(Arguments(argv[2...], flags: ["vary"]))
    case "profile-import": try profileImport(Arguments(argv[2...]))
    case "codec-speed": try codecSpeed(Arguments(argv[2...]))
    case "verify-memory": try verifyMemory(Arguments(argv[2...]))
    case "run": run(argv[2...])
    case "--version", "version": print("temoin-bench \(Temoin.version)")
    default: fail("unknown subcommand \(argv[1])")
    }
} catch {
    FileHandle.standardError.write(Data("temoin-bench: \(error)\n".utf8))
    exit(1)
}
