import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `close(2)`, named apart from ``BrowserProcess/close()``.
private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}

/// Browsers and temporary profiles alive in this process, so that a second Ctrl-C (which leaves at once)
/// can still close them and delete the profiles: nothing may stay behind on a borrowed laptop.
final class LiveBrowsers: @unchecked Sendable {
    static let shared = LiveBrowsers()
    private let lock = NSLock()
    private var live: [pid_t: String] = [:]

    func add(pid: pid_t, profile: String) { lock.withLock { live[pid] = profile } }
    func remove(pid: pid_t) { _ = lock.withLock { live.removeValue(forKey: pid) } }

    func killAll() {
        for (pid, profile) in lock.withLock({ live }) {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            try? FileManager.default.removeItem(atPath: profile)
            remove(pid: pid)
        }
    }
}

/// Emergency exit: kills every browser temoin started and deletes their temporary profiles. For the
/// second Ctrl-C, which must not wait for an orderly close.
package enum BrowserCleanup {
    package static func now() { LiveBrowsers.shared.killAll() }
}

/// A browser temoin started: its process (in a process group of its own, so the terminal's Ctrl-C
/// reaches temoin, which then closes the browser in order), its DevTools pipe, and its temporary profile.
///
/// Invariant: once ``close()`` returns (and in `deinit`), the browser and its children are gone and the
/// profile folder is deleted.
final class BrowserProcess: @unchecked Sendable {
    let pid: pid_t
    let profile: String
    let connection: DevToolsConnection
    private let closeLock = NSLock()
    private var closed = false

    private init(pid: pid_t, profile: String, connection: DevToolsConnection) {
        self.pid = pid
        self.profile = profile
        self.connection = connection
    }

    deinit { close() }

    /// The command-line switches for a clean, quiet, throw-away session.
    static func arguments(
        profile: String, headless: Bool, trustedSPKI: [String], runningAsRoot: Bool, extra: [String] = []
    ) -> [String] {
        var args = [
            "--user-data-dir=\(profile)", "--remote-debugging-pipe", "--no-first-run", "--no-default-browser-check",
            "--disable-sync", "--disable-extensions", "--disable-component-update", "--disable-default-apps",
            "--disable-background-networking", "--disable-domain-reliability", "--disable-breakpad",
            "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication",
            "--password-store=basic", "--use-mock-keychain", "--no-service-autorun", "--new-window",
        ]
        // Chromium refuses to start as root with its sandbox; root is only ever a container or a test box.
        if runningAsRoot { args.append("--no-sandbox") }
        if headless { args += ["--headless=new", "--window-size=1280,1024", "--hide-scrollbars"] }
        if !trustedSPKI.isEmpty {
            // Only honoured with --user-data-dir; trusts exactly these keys (--cacert), nothing more.
            args.append("--ignore-certificate-errors-spki-list=\(trustedSPKI.joined(separator: ","))")
        }
        args += extra
        args.append("about:blank")
        return args
    }

    /// Makes a fresh profile folder (mode 0700) and starts the browser on it with the DevTools pipe on fds
    /// 3 (commands in) and 4 (answers out), in a process group of its own (``ChildProcess``).
    /// `profilePrefix` names the folder after its use (a witnessed attempt, a page drawn for the dossier), so
    /// that what is left behind, if anything ever is, says where it came from.
    static func launch(
        executable: String, headless: Bool, trustedSPKI: [String], extra: [String] = [],
        profilePrefix: String = "temoin-browser-"
    ) throws -> BrowserProcess {
        signal(SIGPIPE, SIG_IGN)  // a browser that dies mid-write must be an error, not our death
        var template = Array((NSTemporaryDirectory() + "/\(profilePrefix)XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw TemoinError.browserFailed(detail: "temporary profile: \(String(cString: strerror(errno)))")
        }
        let profile = String(cString: made)
        chmod(profile, 0o700)
        do {
            return try spawn(
                executable: executable, profile: profile, headless: headless, trustedSPKI: trustedSPKI, extra: extra)
        } catch {
            try? FileManager.default.removeItem(atPath: profile)
            throw error
        }
    }

    private static func spawn(
        executable: String, profile: String, headless: Bool, trustedSPKI: [String], extra: [String]
    ) throws -> BrowserProcess {
        // toBrowser: we write, the browser reads on fd 3. fromBrowser: the browser writes on fd 4. Both
        // close-on-exec and above 10 (ChildProcess.pipe), so mapping them onto 3 and 4 is never a no-op.
        let childIn: Int32
        let ourOut: Int32
        let ourIn: Int32
        let childOut: Int32
        do {
            (childIn, ourOut) = try ChildProcess.pipe()
            (ourIn, childOut) = try ChildProcess.pipe()
        } catch {
            throw TemoinError.browserFailed(detail: "\(error)")
        }

        // The browser never reads our terminal (Enter is the person's signal to temoin) and its log noise
        // does not belong on the person's screen.
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(
                executable,
                arguments: arguments(
                    profile: profile, headless: headless, trustedSPKI: trustedSPKI, runningAsRoot: geteuid() == 0,
                    extra: extra),
                descriptors: [0: .null, 1: .null, 2: .null, 3: .inherit(childIn), 4: .inherit(childOut)])
        } catch {
            for fd in [childIn, childOut, ourOut, ourIn] { closeDescriptor(fd) }
            throw TemoinError.browserFailed(detail: "\(error)")
        }
        closeDescriptor(childIn)
        closeDescriptor(childOut)
        let pid = child.pid
        LiveBrowsers.shared.add(pid: pid, profile: profile)
        return BrowserProcess(
            pid: pid, profile: profile, connection: DevToolsConnection(readFD: ourIn, writeFD: ourOut))
    }

    /// Asks the browser to close (`Browser.close`), then SIGTERM, then SIGKILL to its whole process group,
    /// and deletes the profile. Idempotent.
    func close() {
        let first = closeLock.withLock {
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        if !connection.isClosed { _ = try? connection.send("Browser.close", timeout: 5) }
        if !waitForExit(seconds: 10) {
            kill(-pid, SIGTERM)
            kill(pid, SIGTERM)
            if !waitForExit(seconds: 5) {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
        }
        // Helpers of the browser (renderers, GPU process) share its group; none may outlive it.
        kill(-pid, SIGKILL)
        removeProfile()
        LiveBrowsers.shared.remove(pid: pid)
    }

    private func waitForExit(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while Date() < deadline {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || (r < 0 && errno == ECHILD) { return true }
            usleep(50_000)
        }
        return false
    }

    /// A helper process may still be writing its last files for a moment after the browser exits.
    private func removeProfile() {
        for _ in 0..<20 {
            try? FileManager.default.removeItem(atPath: profile)
            if !FileManager.default.fileExists(atPath: profile) { return }
            usleep(100_000)
        }
    }
}
