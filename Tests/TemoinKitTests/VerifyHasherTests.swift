import Crypto
import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// The capture hashing of `temoin verify`, driven directly with a queue far smaller than the captures,
/// so the reading thread must hash from the queue itself and the queue must shed taken captures while
/// it never runs empty.
@Suite struct VerifyHasherTests {
    /// Distinct pages, some stored compressed and some as they are, a few of them altered.
    static func captures(count: Int, altered: Set<Int>) -> [StoredCapture] {
        (0..<count).map { i in
            let page = Data(
                String(repeating: "<p>Aucun créneau disponible, page \(i).</p>\n", count: 20 + i % 50).utf8)
            let digest = SHA256.hash(data: page).lowercaseHex
            var (encoding, stored) = i % 7 == 0 ? (CaptureEncoding.identity, page) : CaptureCodec.encode(page)
            if altered.contains(i) { stored[stored.count / 2] ^= 0x20 }
            return StoredCapture(
                key: DigestKey(digest), digest: digest, size: Int64(page.count), encoding: encoding.rawValue,
                data: stored)
        }
    }

    @Test func everyCaptureIsCheckedOnceWhateverTheQueueSize() {
        let altered: Set<Int> = [3, 150, 299]
        let captures = Self.captures(count: 300, altered: altered)
        for limit in [1, 4096, CaptureHasher.queueBytes] {
            var walk = Walk(report: VerificationReport(store: "test"))
            walk.intact = RowidSet(expectedRows: Int64(captures.count))
            for (i, c) in captures.enumerated() {
                walk.known[c.key] = KnownCapture(size: c.size, status: .pending, rowid: Int64(i + 1))
                walk.pendingSeqs[c.key] = [Int64(i + 1)]
            }
            let progress = ProgressLog()
            let hasher = CaptureHasher(progress: { done, _ in progress.append(done) }, total: 0, queueLimit: limit)
            var results: [WorkQueue.Result] = []
            for c in captures {
                let r = hasher.add(c)
                results += r
                walk.apply(r)
            }
            let last = hasher.finish()
            results += last
            walk.apply(last)

            #expect(results.count == captures.count && Set(results.map(\.digest)).count == captures.count)
            #expect(walk.checked == captures.count - altered.count)
            #expect(
                walk.checkedBytes
                    == captures.enumerated().filter { !altered.contains($0.offset) }.reduce(0) { $0 + $1.element.size })
            #expect(walk.pendingSeqs.isEmpty)
            let bad = Set(walk.captureFindings.map(\.seq))
            #expect(bad == Set(altered.map { Int64($0 + 1) }), "queue limit \(limit)")
            #expect(walk.captureFindings.allSatisfy { $0.code == .captureAltered })
            for (i, c) in captures.enumerated() {
                #expect((walk.known[c.key]?.status == .altered) == altered.contains(i))
                #expect(walk.intact.contains(Int64(i + 1)) == !altered.contains(i))
            }
            #expect(walk.intact.count == captures.count - altered.count)
            let reported = progress.values
            #expect(reported == reported.sorted() && reported.last == captures.reduce(0) { $0 + $1.size })
        }
    }
}

extension VerifyHasherTests {
    @Test func rowidSetHoldsDenseAndFarRowids() {
        var set = RowidSet(expectedRows: 10)
        let rowids: [Int64] = [1, 2, 63, 64, 65, 1023, 4000, -5, .max, 1 << 40]
        for r in rowids { set.insert(r) }
        set.insert(64)
        #expect(set.count == rowids.count)
        for r in rowids { #expect(set.contains(r)) }
        for r: Int64 in [0, 3, 62, 66, 1022, 1024, 3999, -4, .max - 1, (1 << 40) + 1] { #expect(!set.contains(r)) }
    }
}

/// Progress values as reported (from the reading thread only).
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [Int64] = []
    func append(_ value: Int64) { lock.withLock { log.append(value) } }
    var values: [Int64] { lock.withLock { log } }
}
