import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// `make dist` and `make deb`, tested as a person receives them. `make test` builds both from the one
/// release build and names their folder in TEMOIN_DIST; without it (a plain `swift test`) these tests
/// say they were not run. Hiding things takes a private mount namespace (`unshare -m`): root.
@Suite(.serialized) struct PackagingTests {
    static let distFolder = ProcessInfo.processInfo.environment["TEMOIN_DIST"]

    /// Libraries the bundle leaves to the host (packaging/dist/host-libraries.txt).
    static var hostLibraries: Set<String> {
        let text =
            (try? String(
                contentsOf: repositoryRoot.appendingPathComponent("packaging/dist/host-libraries.txt"), encoding: .utf8))
            ?? ""
        return Set(text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty })
    }

    func artefact(_ suffix: String) throws -> String {
        guard let folder = Self.distFolder else {
            try Test.cancel("TEMOIN_DIST is not set: run `make test` (it builds dist/ and names it)")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let name = try #require(names.filter { $0.hasSuffix(suffix) }.sorted().last, "no *\(suffix) in \(folder)")
        return folder + "/" + name
    }

    func requireRoot(_ why: String) throws {
        if geteuid() != 0 { try Test.cancel("needs root: \(why)") }
    }

    /// Unpacks the tarball into a fresh folder and takes every execute bit off its files, as a FAT32 stick
    /// mounted by a desktop shows them.
    func unpackWithoutExecuteBits(into dir: TempDir) throws -> String {
        let stick = dir.file("stick")
        try FileManager.default.createDirectory(atPath: stick, withIntermediateDirectories: true)
        #expect(try run("/bin/tar", ["-xzf", try artefact(".tar.gz"), "-C", stick]).status == 0)
        #expect(try run("/usr/bin/find", [stick, "-type", "f", "-exec", "chmod", "a-x", "{}", "+"]).status == 0)
        return stick + "/temoin"
    }

    static let initOptions = [
        "--applicant", "Amina Diallo", "--prefecture", "Préfecture du Val-de-Marne", "--procedure",
        "Admission exceptionnelle au séjour", "--facts", "Récépissé expiré le 2026-10-01",
    ]

    /// The script run inside the namespace: hides, then runs each step, keeping its output in `results`.
    static let hiddenRun = #"""
        set -u
        repo=$1; bundle=$2; sim=$3; home=$4; work=$5; out=$6; res=$7; noexec=$8; shift 8
        step() { name=$1; shift; "$@" > "$res/$name.out" 2> "$res/$name.err"; echo $? > "$res/$name.rc"; }
        # The repository's build (its resources, its libraries) and the system's copies of what the bundle
        # carries, and the system's fonts: none may be what makes the bundle work.
        mount -t tmpfs tmpfs "$repo/.build"
        for name in libcurl.so.4 libxml2.so.2 libcairo.so.2 libpango-1.0.so.0 libpangocairo-1.0.so.0 \
            libpangoft2-1.0.so.0 libfontconfig.so.1 libharfbuzz.so.0; do
            for f in /usr/lib/*/"$name"* /lib/*/"$name"*; do
                [ -f "$f" ] && [ ! -L "$f" ] && mount --bind /dev/null "$f"
            done
        done
        mount -t tmpfs tmpfs /usr/share/fonts
        step hidden_curl python3 -c "import ctypes; ctypes.CDLL('libcurl.so.4'); ctypes.CDLL('libcairo.so.2')"
        step hidden_build ls -A "$repo/.build"
        export HOME="$home"
        unset TEMOIN_STORE TEMOIN_HOME XDG_CONFIG_HOME XDG_CACHE_HOME FONTCONFIG_FILE
        cd "$work"
        launcher="$bundle/temoin.sh"
        step version sh "$launcher" --version
        step init sh "$launcher" init --booking-url "$sim/booking/create/4963/0" "$@"
        step attempt sh "$launcher" attempt
        step verify sh "$launcher" verify
        step dossier sh "$launcher" dossier --out "$out"
        step ldd ldd "$bundle/bin/temoin"
        loader=$(sed -n 's/^loader="\(.*\)"$/\1/p' "$launcher")
        step loader "$loader" "$bundle/bin/temoin" doctor --json --url "$sim/booking/create/4963/0"
        # A stick mounted noexec: the launcher runs a private copy, the store stays on the stick.
        mount -t tmpfs -o noexec tmpfs "$noexec"
        cp -R "$bundle" "$noexec/temoin"
        rm -f "$noexec/temoin/temoin.sqlite"*
        step noexec_init sh "$noexec/temoin/temoin.sh" init --booking-url "$sim/booking/create/4963/0" "$@"
        step noexec_status sh "$noexec/temoin/temoin.sh" status --json
        ls "$noexec/temoin" > "$res/noexec_ls.out"
        umount "$noexec"
        """#

    func stepResult(_ results: String, _ name: String) -> (status: Int32, out: String, err: String) {
        let read = { (ext: String) in (try? String(contentsOfFile: "\(results)/\(name).\(ext)", encoding: .utf8)) ?? ""
        }
        return (Int32(read("rc").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1, read("out"), read("err"))
    }

    @Test func theBundleRunsAloneFromACopyWithoutExecuteBits() throws {
        try requireRoot("a private mount namespace hides the build folder and the system's libraries")
        let sim = try SimulatorProcess()
        let dir = TempDir()
        let bundle = try unpackWithoutExecuteBits(into: dir)
        for sub in ["home", "work", "out", "results", "noexec"] {
            try FileManager.default.createDirectory(atPath: dir.file(sub), withIntermediateDirectories: true)
        }
        dir.write("hidden.sh", Self.hiddenRun)
        let r = try run(
            "/usr/bin/unshare",
            [
                "-m", "--propagation", "private", "/bin/bash", dir.file("hidden.sh"), repositoryRoot.path, bundle,
                sim.baseURL, dir.file("home"), dir.file("work"), dir.file("out"), dir.file("results"),
                dir.file("noexec"),
            ] + Self.initOptions)
        #expect(r.status == 0, "\(r.stderr)")
        let results = dir.file("results")
        // The hiding holds: without it the test would prove nothing.
        #expect(stepResult(results, "hidden_curl").status != 0, "the system's libcurl was not hidden")
        #expect(stepResult(results, "hidden_build").out.isEmpty, "the repository's .build was not hidden")

        let version = stepResult(results, "version")
        #expect(version.status == 0, "\(version.err)")
        #expect(version.out.trimmingCharacters(in: .whitespacesAndNewlines) == Temoin.version)
        let initialised = stepResult(results, "init")
        #expect(initialised.status == 0, "\(initialised.err)")
        // No --store, no TEMOIN_STORE: the store is beside the launcher, nothing in the current folder.
        #expect(FileManager.default.fileExists(atPath: bundle + "/temoin.sqlite"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("work")).isEmpty)
        let attempt = stepResult(results, "attempt")
        #expect(attempt.status == 0, "\(attempt.err)")
        #expect(attempt.out.contains("#2") && attempt.out.contains("no slot"), "\(attempt.out)")
        let verify = stepResult(results, "verify")
        #expect(verify.status == 0, "\(verify.out)\(verify.err)")
        let dossier = stepResult(results, "dossier")
        #expect(dossier.status == 0, "\(dossier.err)")
        let pdfs = ((try? FileManager.default.contentsOfDirectory(atPath: dir.file("out"))) ?? []).filter {
            $0.hasPrefix("PJ1") && $0.hasSuffix(".pdf")
        }
        let pj1 = try #require(pdfs.first, "no PJ1 in \(dir.file("out"))")
        // The dossier's fonts came from the bundle (the system's were hidden) and are embedded.
        let fonts = try run("/usr/bin/pdffonts", [dir.file("out") + "/" + pj1])
        #expect(fonts.stdout.contains("DejaVuSerif") && fonts.stdout.contains("DejaVuSans"), "\(fonts.stdout)")
        // Nothing written in the home folder (no font cache, no settings).
        let home = try FileManager.default.subpathsOfDirectory(atPath: dir.file("home"))
        #expect(home.isEmpty, "written in HOME: \(home)")

        // ldd: every library resolves inside the bundle, but those chosen to stay on the host.
        let ldd = stepResult(results, "ldd")
        #expect(ldd.status == 0 && !ldd.out.contains("not found"), "\(ldd.out)")
        for line in ldd.out.split(separator: "\n") where line.contains("=>") {
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count >= 3 else { continue }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            let path = URL(fileURLWithPath: parts[2]).standardizedFileURL.path
            #expect(
                path.hasPrefix(bundle + "/lib/") || Self.hostLibraries.contains(name),
                "\(name) resolves to \(path), outside the bundle and not a host library")
        }

        // Started through the dynamic loader without the launcher (argv[0] is all it has): resources and
        // the portable store are still found.
        let loader = stepResult(results, "loader")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(loader.out.utf8)) as? [String: Any], "\(loader.err)")
        let checks = try #require(report["checks"] as? [[String: Any]])
        let installation = try #require(checks.first { $0["kind"] as? String == "installation" })
        #expect((installation["finding"] as? String)?.contains(bundle) == true, "\(installation)")
        let storeCheck = try #require(checks.first { $0["kind"] as? String == "store" })
        #expect((storeCheck["finding"] as? String)?.contains(bundle + "/temoin.sqlite") == true, "\(storeCheck)")

        let noexecInit = stepResult(results, "noexec_init")
        #expect(noexecInit.status == 0, "\(noexecInit.err)")
        #expect(stepResult(results, "noexec_status").status == 0)
        #expect(stepResult(results, "noexec_ls").out.contains("temoin.sqlite"))
    }

    /// Every file the bundle carries asks for glibc 2.35 at most (Ubuntu 22.04), and for no newer
    /// libstdc++ than GCC 12's (GLIBCXX_3.4.30), which Ubuntu 22.04 has.
    @Test func theBundleAsksNoNewerGlibcThanUbuntu2204s() throws {
        let dir = TempDir()
        let bundle = try unpackWithoutExecuteBits(into: dir)
        let libs = try FileManager.default.contentsOfDirectory(atPath: bundle + "/lib").map { bundle + "/lib/" + $0 }
        #expect(!libs.isEmpty)
        let dump = try run("/usr/bin/objdump", ["-T", bundle + "/bin/temoin"] + libs)
        func highest(_ prefix: String) -> [Int] {
            dump.stdout.split { " \t\n()".contains($0) }
                .filter { $0.hasPrefix(prefix + "_") }
                .map { $0.dropFirst(prefix.count + 1).split(separator: ".").compactMap { Int($0) } }
                .max { $0.lexicographicallyPrecedes($1) } ?? []
        }
        #expect(highest("GLIBC").lexicographicallyPrecedes([2, 35, 1]), "needs glibc \(highest("GLIBC"))")
        #expect(highest("GLIBCXX").lexicographicallyPrecedes([3, 4, 31]), "needs GLIBCXX \(highest("GLIBCXX"))")
        let floor = try String(contentsOfFile: bundle + "/share/temoin/glibc-floor", encoding: .utf8)
        #expect(
            floor.trimmingCharacters(in: .whitespacesAndNewlines)
                == highest("GLIBC").map(String.init).joined(separator: "."))
        let readme = try String(contentsOfFile: bundle + "/LISEZ-MOI.txt", encoding: .utf8)
        #expect(readme.contains("sh ") && readme.contains("temoin.sh") && readme.contains(Temoin.version))
        #expect(FileManager.default.fileExists(atPath: bundle + "/share/man/man1/temoin.1"))
        #expect(FileManager.default.fileExists(atPath: bundle + "/doc/verify_reference.py"))
    }

    /// Another Debian release (13, trixie), built by debootstrap from the package mirror and cached under
    /// .build/chroots: the bundle runs there with that system's glibc and nothing else of this one.
    @Test func theBundleRunsInAnotherDebianRelease() throws {
        try requireRoot("debootstrap and chroot")
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/debootstrap") else {
            try Test.cancel("debootstrap is not installed (scripts/ensure-deps.sh installs it)")
        }
        let root = repositoryRoot.appendingPathComponent(".build/chroots/trixie").path
        if !FileManager.default.fileExists(atPath: root + "/.temoin-ready") {
            try? FileManager.default.removeItem(atPath: root)
            let made = try run(
                "/usr/sbin/debootstrap",
                ["--variant=minbase", "--include=libexpat1", "trixie", root, "http://deb.debian.org/debian"])
            guard made.status == 0 else {
                try Test.cancel("debootstrap of Debian 13 failed (no mirror?): \(made.stdout.suffix(300))")
            }
            FileManager.default.createFile(atPath: root + "/.temoin-ready", contents: nil)
        }
        let sim = try SimulatorProcess()
        let dir = TempDir()
        let bundle = try unpackWithoutExecuteBits(into: dir)
        let inside = "/tmp/stick-\(UUID().uuidString)"
        #expect(try run("/bin/cp", ["-R", bundle, root + inside]).status == 0)
        defer { try? FileManager.default.removeItem(atPath: root + inside) }
        let script = """
            set -u
            mount -t proc proc "$1/proc"
            mount --bind /dev "$1/dev"
            step() {
                root=$1; name=$2; r=$3; shift 3
                chroot "$root" "$@" > "$r/$name.out" 2> "$r/$name.err"; echo $? > "$r/$name.rc"
            }
            r=\(dir.file("results"))
            mkdir -p "$r"
            step "$1" version "$r" /bin/sh \(inside)/temoin.sh --version
            step "$1" init "$r" /bin/sh \(inside)/temoin.sh init --booking-url \(sim.baseURL)/booking/create/4963/0 \
                \(Self.initOptions.map { "'\($0)'" }.joined(separator: " "))
            step "$1" attempt "$r" /bin/sh \(inside)/temoin.sh attempt
            step "$1" verify "$r" /bin/sh \(inside)/temoin.sh verify
            step "$1" dossier "$r" /bin/sh \(inside)/temoin.sh dossier --out \(inside)/out
            step "$1" glibc "$r" /usr/bin/ldd --version
            """
        dir.write("chroot.sh", script)
        let r = try run(
            "/usr/bin/unshare", ["-m", "--propagation", "private", "/bin/bash", dir.file("chroot.sh"), root])
        #expect(r.status == 0, "\(r.stderr)")
        let results = dir.file("results")
        #expect(
            stepResult(results, "glibc").out.contains("2.4"),
            "not Debian 13's glibc: \(stepResult(results, "glibc").out)")
        for step in ["version", "init", "attempt", "verify", "dossier"] {
            let s = stepResult(results, step)
            #expect(s.status == 0, "\(step): \(s.out) \(s.err)")
        }
        #expect(stepResult(results, "attempt").out.contains("no slot"))
        let out = (try? FileManager.default.contentsOfDirectory(atPath: root + inside + "/out")) ?? []
        #expect(out.contains { $0.hasPrefix("PJ1") && $0.hasSuffix(".pdf") }, "\(out)")
    }

    /// `apt install ./temoin_….deb` on this machine: the command, its manual page and completions; then
    /// `apt remove --purge` leaves nothing. lintian reports no error.
    @Test func theDebianPackageInstallsRunsAndRemovesCleanly() throws {
        try requireRoot("apt installs packages")
        let deb = try artefact(".deb")
        let installed = try run("/usr/bin/dpkg-query", ["-W", "-f=${Status}", "temoin"])
        if installed.stdout.contains("installed") && !installed.stdout.contains("not-installed") {
            try Test.cancel("a temoin package is already installed on this machine: not ours to remove")
        }
        let files = [
            "/usr/bin/temoin", "/usr/share/man/man1/temoin.1.gz", "/usr/share/bash-completion/completions/temoin",
            "/usr/share/zsh/vendor-completions/_temoin", "/usr/share/fish/vendor_completions.d/temoin.fish",
            "/usr/share/temoin/Resources/messages", "/usr/share/doc/temoin/copyright",
        ]
        let apt = ["-o", "DPkg::Lock::Timeout=600", "-y", "-q"]
        let install = try run(
            "/usr/bin/apt-get", apt + ["install", "--no-install-recommends", deb],
            environment: ["DEBIAN_FRONTEND": "noninteractive"])
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
        defer {
            _ = try? run(
                "/usr/bin/apt-get", apt + ["remove", "--purge", "temoin"],
                environment: ["DEBIAN_FRONTEND": "noninteractive"])
        }
        for f in files { #expect(FileManager.default.fileExists(atPath: f), "\(f) missing") }
        let version = try run("/usr/bin/temoin", ["--version"])
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == Temoin.version)
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        let made = try run("/usr/bin/temoin", Fixtures.initArguments, environment: ["TEMOIN_STORE": store])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try run("/usr/bin/temoin", ["verify"], environment: ["TEMOIN_STORE": store]).status == 0)
        let french = try run(
            "/usr/bin/temoin", ["status"], environment: ["TEMOIN_STORE": store, "LANG": "fr_FR.UTF-8"])
        #expect(french.stdout.contains("tentative"), "\(french.stdout)")

        let remove = try run(
            "/usr/bin/apt-get", apt + ["remove", "--purge", "temoin"],
            environment: ["DEBIAN_FRONTEND": "noninteractive"])
        #expect(remove.status == 0, "\(remove.stderr)")
        for f in files + ["/usr/share/temoin", "/usr/share/doc/temoin"] {
            #expect(!FileManager.default.fileExists(atPath: f), "\(f) left behind")
        }

        if FileManager.default.isExecutableFile(atPath: "/usr/bin/lintian") {
            let lint = try run("/usr/bin/lintian", ["--fail-on", "error", "--tag-display-limit", "0", deb])
            #expect(lint.status == 0, "lintian: \(lint.stdout)")
            #expect(!lint.stdout.split(separator: "\n").contains { $0.hasPrefix("E:") }, "\(lint.stdout)")
        }
    }
}
