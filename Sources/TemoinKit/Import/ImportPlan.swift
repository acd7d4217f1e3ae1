import Foundation

/// Why a file met while walking a folder is not imported (the import reports each one).
package struct SkipReason: RawRepresentable, Codable, Hashable, Sendable, CaseIterable {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }

    /// Not a saved page by its name (`.png`, `.txt`, `.pdf`...).
    package static let notAPage = SkipReason(rawValue: "not_a_page")
    /// A hidden file (`.DS_Store`, `~$…` lock files and the like).
    package static let hiddenFile = SkipReason(rawValue: "hidden_file")
    /// A "complete" save's `_files` folder whose page is not beside it.
    package static let orphanResources = SkipReason(rawValue: "orphan_resources")
    /// A symbolic link: not followed, so that a folder cannot lead outside itself or in a loop.
    package static let symbolicLink = SkipReason(rawValue: "symbolic_link")
    /// Not a regular file (a socket, a device) or not readable as a folder.
    package static let unreadable = SkipReason(rawValue: "unreadable")

    package static let allCases: [SkipReason] = [.notAPage, .hiddenFile, .orphanResources, .symbolicLink, .unreadable]
}

/// The files an import will read, from the paths given: a folder stands for every saved page under
/// it, at any depth. A "complete" save is one page: its `<name>_files` folder goes with the page
/// (as its resources), never as pages of its own.
package struct ImportPlan: Sendable {
    package struct Skipped: Sendable, Equatable, Encodable {
        package var path: String
        package var reason: SkipReason
    }

    /// Pages to import, in the order given (a folder's in path order).
    package var pages: [String] = []
    /// Files met under the folders given and left out, with why.
    package var skipped: [Skipped] = []
    /// Folders given that hold no page at all.
    package var emptyFolders: [String] = []

    static let pageExtensions: Set<String> = ["html", "htm", "xhtml", "shtml", "mhtml", "mht"]

    package init(_ paths: [String]) {
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
                pages.append(path)  // a file, or a missing path the import reports as missing
                continue
            }
            let before = pages.count
            walk(folder: path)
            if pages.count == before { emptyFolders.append(path) }
        }
    }

    private mutating func walk(folder: String) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder) else {
            skipped.append(Skipped(path: folder, reason: .unreadable))
            return
        }
        let sorted = names.sorted()
        // The stems of the pages here: `X_files` beside `X.html` belongs to it.
        let stems = Set(
            sorted.filter { Self.pageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }.map {
                ($0 as NSString).deletingPathExtension
            })
        for name in sorted {
            let path = (folder as NSString).appendingPathComponent(name)
            let kind = (try? fm.attributesOfItem(atPath: path)[.type]) as? FileAttributeType
            if kind == .typeSymbolicLink {
                skipped.append(Skipped(path: path, reason: .symbolicLink))
                continue
            }
            if kind == .typeDirectory {
                if name.hasSuffix("_files") {
                    if !stems.contains(String(name.dropLast(6))) {
                        skipped.append(Skipped(path: path, reason: .orphanResources))
                    }
                    continue
                }
                walk(folder: path)
                continue
            }
            guard kind == .typeRegular else {
                skipped.append(Skipped(path: path, reason: .unreadable))
                continue
            }
            if name.hasPrefix(".") || name.hasPrefix("~$") {
                skipped.append(Skipped(path: path, reason: .hiddenFile))
            } else if Self.pageExtensions.contains((name as NSString).pathExtension.lowercased()) {
                pages.append(path)
            } else {
                skipped.append(Skipped(path: path, reason: .notAPage))
            }
        }
    }
}
