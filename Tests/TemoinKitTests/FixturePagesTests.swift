import Crypto
import Foundation
import TestSupport
import Testing

/// The sample pages are written as a family's layout (Fixtures/page-layouts) and each page's own lines;
/// assembled, they must be the very bytes other tests, the demo and the bench were written against
/// (Fixtures/pages.sha256, taken from the pages as they were before the layouts were cut out).
struct FixturePagesTests {
    static let manifest: [(digest: String, path: String)] = {
        let url = Fixtures.folder.appendingPathComponent("pages.sha256")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[0]), String(parts[1].dropFirst()))
        }
    }()

    static func files(below folder: URL) -> [String] {
        let root = folder.resolvingSymlinksInPath().path
        let walker = FileManager.default.enumerator(atPath: root)
        return (walker?.allObjects as? [String] ?? []).filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isFolder)
                && !isFolder.boolValue
        }.sorted()
    }

    @Test func theManifestNamesThePagesWithTheirLayouts() {
        #expect(Self.manifest.count >= 30)
        #expect(Self.manifest.contains { $0.path == "rdv-creneau-aucun.html" })
        #expect(Self.manifest.contains { $0.path == "complete/Prendre un rendez-vous.html" })
    }

    @Test(arguments: manifest.map(\.path))
    func anAssembledPageIsTheSameBytesAsBefore(_ path: String) throws {
        let data = try Data(contentsOf: Fixtures.pages.appendingPathComponent(path))
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        #expect(digest == Self.manifest.first { $0.path == path }?.digest)
    }

    @Test func everyPageWithALayoutIsPinnedAndNoIncludeLineIsLeft() throws {
        let pinned = Set(Self.manifest.map(\.path))
        for path in Self.files(below: Fixtures.pageSources) where path.hasSuffix(".html") {
            let source = try Data(contentsOf: Fixtures.pageSources.appendingPathComponent(path))
            let assembled = try Data(contentsOf: Fixtures.pages.appendingPathComponent(path))
            if source.range(of: Data("<!--#include file=".utf8)) != nil {
                #expect(pinned.contains(path), "\(path) has a layout but no digest in pages.sha256")
            }
            #expect(assembled.range(of: Data("<!--#include".utf8)) == nil, "\(path)")
        }
    }

    @Test func everyLayoutServesAtLeastTwoPlaces() throws {
        let layouts = Fixtures.folder.appendingPathComponent("page-layouts")
        var uses: [String: Int] = [:]
        for folder in [Fixtures.pageSources, layouts] {
            for path in Self.files(below: folder) where path.hasSuffix(".html") {
                let text = String(decoding: try Data(contentsOf: folder.appendingPathComponent(path)), as: UTF8.self)
                for line in text.split(separator: "\n") where line.hasPrefix("<!--#include file=\"") {
                    let name = line.split(separator: "\"")[1].split(separator: "/").last.map(String.init) ?? ""
                    uses[name, default: 0] += 1
                }
            }
        }
        for layout in Self.files(below: layouts) {
            #expect(uses[layout, default: 0] >= 2, "\(layout) is included \(uses[layout, default: 0]) time(s)")
        }
    }
}
