import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files temoin writes where the person says (`--out`, `--warc`, keys, attestations, the dossier).
///
/// Invariants: a file is created new (`O_EXCL`, so nothing already at that name is overwritten and a
/// symbolic link there, even a dangling one, is never followed), or, for the dossier's files, written
/// under a temporary name in the same folder and renamed over the old one (a link at that name is
/// replaced, not followed); a write that fails half-way (a full disk) removes what it wrote; every
/// failure to write is ``TemoinError/outputUnwritable(path:detail:)`` (exit 7), never a store error.
package enum OutputFile {
    /// Whether anything is at `path`: a file, a folder, a link (even one pointing nowhere).
    package static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Removes a symbolic link standing at `path`, so the file written next is a new one and not the
    /// link's target (cairo and Foundation open paths through links).
    package static func removeLink(_ path: String) {
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK { unlink(path) }
    }

    /// Writes `data` to a new file at `path` (refused with exit 64 if anything is there).
    package static func create(_ path: String, data: Data, mode: mode_t = 0o666) throws {
        let writer = try Writer(creating: path, mode: mode)
        do {
            try writer.write(data)
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Writes the file at `path` through `body`, which gets a temporary path in the same folder; the
    /// result then replaces `path` in one rename. The temporary file is removed on any failure.
    package static func replace(_ path: String, mode: mode_t = 0o666, body: (String) throws -> Void) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(
            ".\((path as NSString).lastPathComponent).\(UUID().uuidString.prefix(8)).partial")
        let writer = try Writer(creating: temporary, mode: mode)
        try? writer.finish()
        do {
            try body(temporary)
            guard rename(temporary, path) == 0 else { throw unwritable(path, errno) }
        } catch {
            unlink(temporary)
            if let error = error as? TemoinError { throw error }
            throw TemoinError.outputUnwritable(path: path, detail: "\(error)")
        }
    }

    /// Gives the finished file `temporary` (in the same folder, or one beside it) its name `path`: synced,
    /// then linked there, which fails if anything (a link included) holds the name; on media without
    /// hard links (FAT) renamed after a last check. `temporary` is gone afterwards.
    package static func publish(_ temporary: String, as path: String) throws {
        let fd = posixOpen(temporary, O_RDONLY | O_CLOEXEC, 0)
        if fd >= 0 {
            // Bytes a library wrote through its own buffers reach the medium here, or the error shows.
            let synced = fsync(fd) == 0 ? 0 : errno
            close(fd)
            if synced != 0 && synced != EINVAL {
                unlink(temporary)
                throw unwritable(path, synced)
            }
        }
        if link(temporary, path) == 0 {
            unlink(temporary)
            return
        }
        let code = errno
        if code != EEXIST, [EPERM, EOPNOTSUPP, ENOSYS, EMLINK].contains(code), !exists(path) {
            // FAT (most USB sticks) has no hard links, nor symbolic ones: a rename is safe there.
            if rename(temporary, path) == 0 { return }
            let failure = errno
            unlink(temporary)
            throw unwritable(path, failure)
        }
        unlink(temporary)
        throw exists(path) ? TemoinError.trust(.outputExists(path: path)) : unwritable(path, code)
    }

    static func unwritable(_ path: String, _ code: Int32) -> TemoinError {
        .outputUnwritable(path: path, detail: String(cString: strerror(code)))
    }

    /// A new file being written; ``abandon()`` removes it (a failure, an interruption).
    package final class Writer {
        package let path: String
        private var fd: Int32

        /// Creates `path` exclusively, without following a link. `mode` goes through the umask.
        package init(creating path: String, mode: mode_t = 0o666) throws {
            self.path = path
            fd = posixOpen(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd < 0 {
                if errno == EEXIST || errno == ELOOP { throw TemoinError.trust(.outputExists(path: path)) }
                throw OutputFile.unwritable(path, errno)
            }
        }

        deinit { if fd >= 0 { close(fd) } }

        /// Appends `data`; a short write (a full disk) is an error, never silent.
        package func write(_ data: Data) throws {
            let failed = data.withUnsafeBytes { writeAll(fd, $0) }
            if failed != 0 { throw OutputFile.unwritable(path, failed) }
        }

        /// Flushes to the medium and closes: a full disk can show only here (delayed allocation).
        package func finish() throws {
            guard fd >= 0 else { return }
            let synced = fsync(fd) == 0 ? 0 : errno
            let closed = close(fd) == 0 ? 0 : errno
            fd = -1
            if synced != 0 && synced != EINVAL { throw OutputFile.unwritable(path, synced) }
            if closed != 0 { throw OutputFile.unwritable(path, closed) }
        }

        /// Closes and removes the file: nothing half-written stays behind.
        package func abandon() {
            if fd >= 0 {
                close(fd)
                fd = -1
            }
            unlink(path)
        }
    }
}

private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Glibc)
        return Glibc.open(path, flags, mode)
    #else
        return Darwin.open(path, flags, mode)
    #endif
}
