import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A private folder for work in progress (a bundle being made or opened): mode 0700, named
/// `<prefix>-<pid>-<random>`, removed when the work ends, by ``WorkFolder/removeAll()`` when a signal
/// stops temoin (the executable calls it from its handlers), and by the next run's ``sweep(in:prefix:)``
/// when temoin was killed outright. It can hold a whole unredacted store: it must not outlive the work.
package final class WorkFolder: Sendable {
    package let url: URL
    package var path: String { url.path }

    /// Paths to remove if a signal stops temoin: work folders and partial output files.
    private static let live = Mutex<[String: Bool]>([:])
    /// Held while a file or folder is created in a work folder, and by ``removeAll()``; true once
    /// ``removeAll()`` ran: nothing may be created again (it would outlive the removal).
    private static let creating = Mutex<Bool>(false)

    private init(url: URL) { self.url = url }

    /// Creates a new folder in `parent`, first removing what killed runs left there.
    package static func create(in parent: String, prefix: String) throws -> WorkFolder {
        sweep(in: parent, prefix: prefix)
        let url = URL(fileURLWithPath: parent).appendingPathComponent(
            "\(prefix)-\(getpid())-\(UUID().uuidString.prefix(12).lowercased())"
        ).standardizedFileURL
        try creatingEntry {
            guard mkdir(url.path, 0o700) == 0 else {
                // The folder the person chose (or TMPDIR), not our hidden name inside it.
                throw TemoinError.outputUnwritable(path: parent, detail: String(cString: strerror(errno)))
            }
            register(url.path)
        }
        return WorkFolder(url: url)
    }

    /// Runs `body`, which creates files or folders in a work folder, never at the same time as
    /// ``removeAll()``; after it, waits for the exit that follows (creating would undo the removal).
    package static func creatingEntry<T>(_ body: () throws -> T) rethrows -> T {
        try creating.withLock { stopping in
            while stopping { pause() }
            return try body()
        }
    }

    /// Removes the folder and everything in it.
    package func remove() {
        Self.removeTree(path)
        Self.unregister(path)
    }

    /// A partial output file, removed too if a signal stops temoin before ``unregister(_:)``.
    package static func register(_ path: String) { live.withLock { $0[path] = true } }

    package static func unregister(_ path: String) { _ = live.withLock { $0.removeValue(forKey: path) } }

    /// Removes every live work folder and partial file: for signal handlers, just before exiting.
    /// Nothing can be created in them afterwards (``creatingEntry(_:)``).
    package static func removeAll() {
        creating.withLock { stopping in
            stopping = true
            for path in live.withLock({ $0.keys.sorted() }) {
                removeTree(path)
                unregister(path)
            }
        }
    }

    /// Whether `path` lies in a work folder of this process (an extracted bundle's store is opened
    /// immutable: nothing beside it may change what is read).
    package static func contains(_ path: String) -> Bool {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return live.withLock { $0.keys.contains { absolute.hasPrefix($0 + "/") } }
    }

    /// Removes folders `<prefix>-<pid>-…` in `parent` that belong to this user and to a process that
    /// no longer runs, or that are over a day old: what a SIGKILL or a power cut left behind.
    package static func sweep(in parent: String, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        let now = time(nil)
        for name in names where name.hasPrefix(prefix + "-") {
            let rest = name.dropFirst(prefix.count + 1)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]) else { continue }
            let path = (parent as NSString).appendingPathComponent(name)
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid() else {
                continue
            }
            #if canImport(Glibc)
                let modified = info.st_mtim.tv_sec
            #else
                let modified = info.st_mtimespec.tv_sec
            #endif
            let gone = pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
            if gone || now - modified > 86_400 { removeTree(path) }
        }
    }

    /// Removes `path` (a folder's tree, or a file), retrying while another thread still adds files.
    private static func removeTree(_ path: String) {
        for _ in 0..<3 {
            try? FileManager.default.removeItem(atPath: path)
            var info = stat()
            if lstat(path, &info) != 0 { return }
        }
    }
}
