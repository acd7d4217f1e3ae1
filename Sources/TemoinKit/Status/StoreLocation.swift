import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a store can go: what `temoin init` explains and checks before creating one, so that a
/// person on a borrowed laptop can keep the evidence on a USB stick.
package enum StoreLocation {
    /// Removable media mounted where desktops mount them (`/media/USER/NAME`, `/run/media/USER/NAME`,
    /// `/media/NAME`; on macOS `/Volumes/NAME`): writable folders that are mount points.
    package static func removableMedia(roots: [String] = ["/media", "/run/media", "/Volumes"]) -> [String] {
        let fm = FileManager.default
        var found: [String] = []
        func isMountPoint(_ path: String) -> Bool {
            var own = stat()
            var parent = stat()
            guard stat(path, &own) == 0, stat((path as NSString).deletingLastPathComponent, &parent) == 0 else {
                return false
            }
            return own.st_dev != parent.st_dev
        }
        for root in roots {
            for name in ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted() {
                let path = root + "/" + name
                if isMountPoint(path) {
                    if fm.isWritableFile(atPath: path) { found.append(path) }
                    continue
                }
                // /media/USER/NAME: one level further.
                for inner in ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                    let p = path + "/" + inner
                    if isMountPoint(p), fm.isWritableFile(atPath: p) { found.append(p) }
                }
            }
        }
        return found
    }

    /// What a person typed as the store's place: empty means `defaultPath`, a folder means
    /// `folder/temoin.sqlite`, `~` is the home folder.
    package static func resolve(answer: String, defaultPath: String) -> String {
        var text = answer.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return defaultPath }
        if text == "~" || text.hasPrefix("~/") {
            text = NSHomeDirectory() + String(text.dropFirst())
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: text, isDirectory: &isDir), isDir.boolValue {
            return URL(fileURLWithPath: text).appendingPathComponent(Store.defaultFileName).path
        }
        return text
    }

    /// Why a store cannot be created at `path`, or nil if it can: it exists already, or its folder
    /// is missing or not writable.
    package static func problem(creating path: String) -> String? {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) { return tr("init.place_exists", ["path": path]) }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            return tr("init.place_no_folder", ["folder": folder])
        }
        if !fm.isWritableFile(atPath: folder) { return tr("init.place_not_writable", ["folder": folder]) }
        return nil
    }
}
