import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One thing `temoin doctor` looked at, said in plain words, with what to do when it is wrong.
package struct DoctorCheck: Sendable, Encodable {
    package enum Status: String, Sendable, Encodable {
        case ok
        /// Works, but something may bite (little free space, no browser for a site without CAPTCHA).
        case warning
        /// An attempt would fail or be weaker evidence until this is fixed.
        case problem
        /// Could not be looked at (said why).
        case skipped
    }

    package enum Kind: String, Sendable, Encodable, CaseIterable {
        case installation, store
        case freeSpace = "free_space"
        case authorities, network, clock, browser, tsa
    }

    package var kind: Kind
    package var status: Status
    /// What was found.
    package var finding: String
    /// What to do about it (nil when nothing needs doing).
    package var fix: String?
}

/// What `temoin doctor` found: each check, in a fixed order.
package struct DoctorReport: Sendable, Encodable {
    package var checks: [DoctorCheck]
    package var hasProblem: Bool { checks.contains { $0.status == .problem } }
    /// What `doctor` exits with: 1 when something needs fixing.
    package var exitStatus: ExitStatus { hasProblem ? .needsFixing : .success }

    enum CodingKeys: String, CodingKey { case checks, ok }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(checks, forKey: .checks)
        try c.encode(!hasProblem, forKey: .ok)
    }
}

/// Checks what an attempt needs on this machine: the store can be written and has room, the booking
/// site answers, the computer's clock agrees with the site's, a browser is there for sites with a
/// CAPTCHA, the time-stamp authorities answer. Writes nothing: one request to the booking site (as
/// an attempt's first step, honestly identified) and one time-stamp request per TSA over a random
/// digest, neither recorded.
package struct Doctor: Sendable {
    package var storePath: String
    /// The address to try, instead of the case's.
    package var bookingURL: String?
    package var browserPath: String?
    /// Extra authorities to trust (the simulator's certificate in tests).
    package var caFile: String?
    package var timeout = 15
    /// The computer's clock (injected in tests).
    package var now: @Sendable () -> Date = { Date() }

    /// Beyond this the clock is said to disagree; beyond ``clockProblem`` it is a problem: the time of
    /// every attempt is the computer's.
    package static let clockWarning: TimeInterval = 10
    package static let clockProblem: TimeInterval = 60
    /// Free space under which an attempt may fail to be recorded, and under which to worry.
    package static let spaceProblem: Int64 = 20_000_000
    package static let spaceWarning: Int64 = 200_000_000

    package init(storePath: String, bookingURL: String? = nil, browserPath: String? = nil, caFile: String? = nil) {
        self.storePath = storePath
        self.bookingURL = bookingURL
        self.browserPath = browserPath
        self.caFile = caFile
    }

    package func run() -> DoctorReport {
        var checks = [installation()]
        let (storeCheck, store) = checkStore()
        checks.append(storeCheck)
        checks.append(freeSpace())
        checks.append(authorities())
        let caseFields = try? store?.caseRecord().fields
        let url = bookingURL ?? caseFields?.bookingURL
        checks += networkAndClock(url: url)
        checks.append(browser(url: url, profile: caseFields?.profile))
        checks.append(tsas(store: store))
        return DoctorReport(checks: checks)
    }

    /// A check whose finding is the message `key` and whose fix, when the catalogue has one, `key.fix`.
    func check(_ kind: DoctorCheck.Kind, _ status: DoctorCheck.Status, _ key: String, _ args: [String: String] = [:])
        -> DoctorCheck
    {
        let fixKey = key + ".fix"
        let fix = Messages.shared.has(fixKey) ? Messages.shared.text(fixKey, args) : nil
        return DoctorCheck(kind: kind, status: status, finding: Messages.shared.text(key, args), fix: fix)
    }

    func installation() -> DoctorCheck {
        let i = Installation.current
        return check(
            .installation, .ok, "doctor.installation." + i.kind.rawValue,
            ["version": Temoin.version, "resources": i.resources?.path ?? "", "root": i.portableRoot ?? ""])
    }

    func checkStore() -> (DoctorCheck, Store?) {
        let path = absolute(storePath)
        guard FileManager.default.fileExists(atPath: path) else {
            if let problem = StoreLocation.problem(creating: path) {
                return (check(.store, .problem, "doctor.store.cannot_create", ["path": path, "detail": problem]), nil)
            }
            return (check(.store, .warning, "doctor.store.missing", ["path": path]), nil)
        }
        let store: Store
        do { store = try Store.open(at: path, readOnly: true) } catch let error as TemoinError {
            return (
                check(.store, .problem, "doctor.store.unreadable", ["path": path, "detail": error.description]), nil
            )
        } catch {
            return (check(.store, .problem, "doctor.store.unreadable", ["path": path, "detail": "\(error)"]), nil)
        }
        let folder = (path as NSString).deletingLastPathComponent
        // SQLite writes the file and, beside it, its journal: both must be writable.
        guard access(path, W_OK) == 0, access(folder.isEmpty ? "." : folder, W_OK) == 0 else {
            return (check(.store, .problem, "doctor.store.read_only", ["path": path]), store)
        }
        let head = (try? store.head())?.map { String($0.seq) } ?? "0"
        return (check(.store, .ok, "doctor.store.ok", ["path": path, "entries": head]), store)
    }

    func freeSpace() -> DoctorCheck {
        var folder = (absolute(storePath) as NSString).deletingLastPathComponent
        if folder.isEmpty { folder = "." }
        var info = statvfs()
        guard statvfs(folder, &info) == 0 else {
            return check(.freeSpace, .skipped, "doctor.free_space.unknown", ["folder": folder])
        }
        let free = Int64(info.f_bavail) * Int64(info.f_frsize)
        let args = ["folder": folder, "free": ByteCount.format(free)]
        if free < Self.spaceProblem { return check(.freeSpace, .problem, "doctor.free_space.low", args) }
        if free < Self.spaceWarning { return check(.freeSpace, .warning, "doctor.free_space.little", args) }
        return check(.freeSpace, .ok, "doctor.free_space.ok", args)
    }

    func authorities() -> DoctorCheck {
        if let caFile { return check(.authorities, .ok, "doctor.authorities.given", ["path": caFile]) }
        if let bundle = CertificateAuthorities.system {
            return check(.authorities, .ok, "doctor.authorities.ok", ["path": bundle])
        }
        return check(.authorities, .problem, "doctor.authorities.missing")
    }

    /// One GET of the booking address, as an attempt's first step: reachability, and the site's clock
    /// (its `Date` header) against ours, measured at the middle of the exchange.
    func networkAndClock(url: String?) -> [DoctorCheck] {
        guard let url else {
            return [check(.network, .skipped, "doctor.network.no_url"), check(.clock, .skipped, "doctor.clock.no_url")]
        }
        var settings = TransferSettings()
        settings.timeout = timeout
        settings.connectTimeout = timeout
        settings.caFile = caFile
        settings.maxBodyBytes = 2_000_000
        guard let curl = CurlTransfer(settings: settings) else {
            return [
                check(.network, .problem, "doctor.network.no_curl"), check(.clock, .skipped, "doctor.clock.no_answer"),
            ]
        }
        let sent = now()
        let result = curl.perform(TransferRequest(method: "GET", url: url))
        let received = now()
        guard let status = result.status else {
            return [
                check(
                    .network, .problem, "doctor.network.unreachable", ["url": url, "detail": result.errorMessage ?? ""]),
                check(.clock, .skipped, "doctor.clock.no_answer"),
            ]
        }
        let network =
            status >= 500
            ? check(.network, .warning, "doctor.network.server_error", ["url": url, "status": String(status)])
            : check(.network, .ok, "doctor.network.ok", ["url": url, "status": String(status)])
        guard let header = result.headers.first(where: { $0.0.lowercased() == "date" })?.1,
            let serverDate = TimeFormat.httpDate(header)
        else { return [network, check(.clock, .skipped, "doctor.clock.no_date", ["url": url])] }
        let middle = sent.addingTimeInterval(received.timeIntervalSince(sent) / 2)
        // The header has whole seconds: half a second either way is its own rounding.
        let offset = middle.timeIntervalSince(serverDate) - 0.5
        let seconds = Int(abs(offset).rounded())
        let args = [
            "offset": Self.describe(offset), "host": URL(string: url)?.host ?? url,
            "amount": seconds >= 60 ? "\(seconds / 60) min \(seconds % 60) s" : "\(seconds) s",
        ]
        let magnitude = abs(offset)
        if magnitude > Self.clockProblem { return [network, check(.clock, .problem, "doctor.clock.wrong", args)] }
        if magnitude > Self.clockWarning { return [network, check(.clock, .warning, "doctor.clock.off", args)] }
        return [network, check(.clock, .ok, "doctor.clock.ok", args)]
    }

    /// "3 min 12 s ahead" / "4 s behind", in the language of the messages.
    static func describe(_ offset: TimeInterval) -> String {
        let seconds = Int(abs(offset).rounded())
        let amount = seconds >= 60 ? "\(seconds / 60) min \(seconds % 60) s" : "\(seconds) s"
        return Messages.shared.text(offset >= 0 ? "doctor.clock.ahead" : "doctor.clock.behind", ["amount": amount])
    }

    /// A browser is needed for sites with a CAPTCHA (RDV Préfecture): a person makes those attempts.
    func browser(url: String?, profile: String?) -> DoctorCheck {
        let resolvedProfile = profile == nil || profile == "auto" ? url.map(RuleSet.detect(url:)) : profile
        let needed = resolvedProfile == "rdv-prefecture"
        do {
            let path = try BrowserLocator.locate(explicitPath: browserPath)
            return check(.browser, .ok, "doctor.browser.ok", ["path": path])
        } catch {
            return check(
                .browser, needed ? .problem : .warning, needed ? "doctor.browser.needed" : "doctor.browser.missing")
        }
    }

    /// Each TSA of the store asked for a time stamp over a random digest, its answer checked as a seal's.
    func tsas(store: Store?) -> DoctorCheck {
        guard let store else { return check(.tsa, .skipped, "doctor.tsa.no_store") }
        guard let urls = try? store.tsas().map(\.url), !urls.isEmpty else {
            return check(.tsa, .warning, "doctor.tsa.none")
        }
        var sealer = Sealer(store: store)
        sealer.transfer.caFile = caFile
        sealer.transfer.timeout = timeout
        var failures: [String] = []
        for url in urls {
            let digest = (0..<32).map { _ in UInt8.random(in: 0...255) }
            do { _ = try sealer.timeStamp(url: url, imprint: digest, trust: TSATrust()) } catch let error as TemoinError
            {
                failures.append(error.description)
            } catch {
                failures.append("\(url): \(error)")
            }
        }
        let args = [
            "count": String(urls.count), "working": String(urls.count - failures.count),
            "failures": failures.joined(separator: "; "),
        ]
        if failures.isEmpty { return check(.tsa, .ok, "doctor.tsa.ok", args) }
        return check(.tsa, failures.count == urls.count ? .problem : .warning, "doctor.tsa.failing", args)
    }

    private func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
