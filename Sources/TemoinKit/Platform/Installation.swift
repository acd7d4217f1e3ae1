import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where this temoin runs from, and where its own files are: the resources (messages, dossier templates,
/// profiles, the documents a bundle carries) and, for the portable folder of `make dist`, the folder on
/// the stick where the store lives.
///
/// Invariant: resources are looked up from the running program's real path (the dynamic loader's
/// `argv[0]` when the program was started through it, as the stick's launcher does on a FAT32 mount
/// without execute bits), in the three layouts temoin is shipped in, and a release build never falls
/// back to the folder it was built in: a program copied elsewhere without its files says so
/// (``missingResourcesMessage``) instead of quietly reading a repository's `.build`.
package struct Installation: Sendable {
    /// How temoin was installed.
    package enum Kind: String, Sendable, Encodable, CaseIterable {
        /// The folder of `make dist` (a USB stick, any folder): the store lives beside it.
        case portable
        /// `make install`, the Debian package, Homebrew.
        case installed
        /// The build folder of a checkout (`swift build`), tests included.
        case development
    }

    /// The running program, symbolic links resolved (nil if it could not be found).
    package let executable: String?
    /// The folder holding `messages/`, `Templates/`, `profiles/` and `bundle/` (nil: not found).
    package let resources: URL?
    package let kind: Kind
    /// The portable folder (the one holding `temoin.sh`), when ``kind`` is `.portable`.
    package let portableRoot: String?

    /// File marking a folder as a portable temoin (written by `make dist`).
    package static let portableMarker = ".temoin-portable"
    /// Set by the stick's launcher to the portable folder when it runs a copy of the program from a
    /// temporary folder (a stick mounted `noexec`).
    package static let portableRootVariable = "TEMOIN_HOME"

    /// The installation of this process, found once.
    package static let current = Installation.locate()

    /// Finds the installation from the executable's path (see the type's invariant).
    package static func locate(
        executable: String? = Installation.executablePath(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Installation {
        let fm = FileManager.default
        let exeDir = executable.map { ($0 as NSString).deletingLastPathComponent }
        var root: String?
        if let given = environment[portableRootVariable], !given.isEmpty,
            fm.fileExists(atPath: (given as NSString).appendingPathComponent(portableMarker))
        {
            root = given
        } else if let exeDir {
            let parent = (exeDir as NSString).deletingLastPathComponent
            if fm.fileExists(atPath: (parent as NSString).appendingPathComponent(portableMarker)) { root = parent }
        }
        var candidates: [(String, Kind)] = []
        if let root {
            candidates.append(((root as NSString).appendingPathComponent("share/temoin/Resources"), .portable))
        }
        if let exeDir {
            // SwiftPM's layout: the resource folder beside the program (`swift build`, `make install`).
            let swiftPM = (exeDir as NSString).appendingPathComponent("temoin_TemoinKit.resources/Resources")
            let inBuild = exeDir.contains("/.build/")
            candidates.append((swiftPM, inBuild ? .development : .installed))
            // The file-system hierarchy: bin/temoin and share/temoin (Debian package, Homebrew).
            let share = ((exeDir as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent("share/temoin/Resources")
            candidates.append((share, .installed))
            #if canImport(Darwin)
                candidates.append(
                    (
                        (exeDir as NSString).appendingPathComponent(
                            "temoin_TemoinKit.bundle/Contents/Resources/Resources"),
                        inBuild ? .development : .installed
                    ))
            #endif
        }
        for (path, kind) in candidates where isResourceFolder(path) {
            return Installation(
                executable: executable, resources: URL(fileURLWithPath: path, isDirectory: true), kind: kind,
                portableRoot: kind == .portable ? root : nil)
        }
        #if DEBUG
            // A development build run from elsewhere (an Xcode scheme, a test host): SwiftPM's own accessor,
            // which knows the build folder. Release builds never take this path.
            if let url = Bundle.module.url(forResource: "Resources", withExtension: nil),
                isResourceFolder(url.path)
            {
                return Installation(executable: executable, resources: url, kind: .development, portableRoot: nil)
            }
        #endif
        return Installation(
            executable: executable, resources: nil, kind: root == nil ? .installed : .portable,
            portableRoot: root)
    }

    static func isResourceFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(
            atPath: (path as NSString).appendingPathComponent("messages"), isDirectory: &isDir) && isDir.boolValue
    }

    /// A file or folder among the resources (`"messages"`, `"Templates"`, `"bundle/FORMAT.md"`...).
    package func resource(_ relativePath: String) -> URL? {
        guard let resources else { return nil }
        let url = resources.appendingPathComponent(relativePath)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The store used when neither `--store` nor `TEMOIN_STORE` names one: beside the portable folder's
    /// launcher, else `temoin.sqlite` in the current folder.
    package var defaultStorePath: String {
        if let portableRoot { return (portableRoot as NSString).appendingPathComponent(Store.defaultFileName) }
        return Store.defaultFileName
    }

    /// Settings folder of the portable folder (`config/` beside the launcher): a portable temoin writes
    /// nothing outside its folder, the store, temporary files and the output folders it is given.
    package var portableConfigFolder: String? {
        portableRoot.map { ($0 as NSString).appendingPathComponent("config") }
    }

    /// The fontconfig file of the portable folder, pointing at the fonts the dossier embeds.
    package var portableFontConfig: String? {
        guard let portableRoot else { return nil }
        let path = (portableRoot as NSString).appendingPathComponent("share/fonts/fonts.conf")
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Sets what the libraries read from the environment before anything starts them: the portable
    /// folder's fonts for fontconfig (unless the person set their own). Call once, first thing in `main`.
    package func prepareEnvironment() {
        if let fonts = portableFontConfig, ProcessInfo.processInfo.environment["FONTCONFIG_FILE"] == nil {
            setenv("FONTCONFIG_FILE", fonts, 1)
        }
    }

    /// What `main` does first, before any argument is parsed: prepares the environment and sets the
    /// messages' language from a `--lang` wherever it stands in `arguments` (the help is read in it).
    /// Returns nil when ready, else the built-in message that temoin's own files are missing: without
    /// them there is no catalogue to speak with.
    package static func start(arguments: [String]) -> String? {
        let installation = current
        guard installation.resources != nil else { return installation.missingResourcesMessage }
        installation.prepareEnvironment()
        if let lang = Language.scan(arguments) { Messages.shared.language = lang }
        return nil
    }

    /// Exit status when the resources are missing (README, `temoin --help`): EX_SOFTWARE.
    package static let incompleteExitStatus: ExitStatus = .installationIncomplete

    /// Said when the resources are missing: the catalogue itself is among them, so this one message is
    /// written here, in both languages.
    package var missingResourcesMessage: String {
        let place = executable.map { ($0 as NSString).deletingLastPathComponent } ?? "?"
        return """
            temoin : ses fichiers (messages, modèles du dossier, profils) sont introuvables à côté du programme \
            (\(place)). Le dossier de temoin est incomplet : décompressez-le ou installez-le à nouveau.
            temoin: its own files (messages, dossier templates, profiles) were not found beside the program \
            (\(place)). The temoin folder is incomplete: unpack or install it again.
            """
    }

    /// The running program's path. Linux: `/proc/self/exe`, unless that is the dynamic loader (the
    /// launcher of a stick without execute bits runs `ld-linux… temoin`): the loader then hands the
    /// program its own path as `argv[0]`.
    package static func executablePath(arguments: [String] = CommandLine.arguments) -> String? {
        #if os(Linux)
            let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            if let exe, !isDynamicLoader(exe) { return exe }
            guard let first = arguments.first, !first.isEmpty else { return exe }
            var path = first
            if !path.contains("/") {
                // Found through PATH: the shell did the search; do it again.
                let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
                guard let dir = dirs.first(where: { FileManager.default.isExecutableFile(atPath: "\($0)/\(first)") })
                else { return exe }
                path = "\(dir)/\(first)"
            }
            return canonicalPath(path) ?? path
        #else
            return Bundle.main.executablePath.map { canonicalPath($0) ?? $0 }
        #endif
    }

    /// `ld-linux-x86-64.so.2`, `ld-linux-aarch64.so.1`, `ld-2.36.so`, `ld.so`...
    static func isDynamicLoader(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return name.hasPrefix("ld-linux") || name == "ld.so" || (name.hasPrefix("ld-") && name.contains(".so"))
    }

}

/// `realpath(3)`: absolute, symbolic links resolved.
private func canonicalPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
}
