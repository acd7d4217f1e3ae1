import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// `temoin export`: each file said as soon as it is written, in order; the first that cannot be written
/// stops it.
@Suite struct ExportRunTests {
    @Test func eachFileIsSaidAsSoonAsItIsWrittenAndAFailureStopsTheRest() throws {
        let (dir, store) = try populatedStore()
        let (zip, warc) = (dir.file("preuves.zip"), dir.file("preuves.warc.gz"))
        var said: [Utterance] = []
        let result = try ExportJSON.export(store: store, bundle: zip, redact: true, warc: warc, json: false) {
            said += $0
        }
        let bundle = try #require(result.bundle)
        let written = try #require(result.warc)
        let lines = ExportText.bundleLines(bundle, path: zip, redact: true) + ExportText.warcLines(written, path: warc)
        #expect(said == lines.map(Utterance.line))
        #expect(FileManager.default.fileExists(atPath: zip) && FileManager.default.fileExists(atPath: warc))
        // With --json nothing is said as it goes: the report says it all, for the files asked for only.
        var quiet: [Utterance] = []
        let json = try ExportJSON.export(
            store: store, bundle: nil, redact: false, warc: dir.file("seul.warc.gz"), json: true
        ) { quiet += $0 }
        #expect(quiet.isEmpty && json.bundle == nil && json.warc != nil)
        let late = dir.file("apres.warc.gz")
        #expect {
            try ExportJSON.export(
                store: store, bundle: dir.file("absent/preuves.zip"), redact: false, warc: late, json: false
            ) { _ in }
        } throws: { ($0 as? TemoinError)?.exitStatus == .outputUnwritable }
        #expect(!FileManager.default.fileExists(atPath: late))
    }
}
