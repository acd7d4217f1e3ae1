import Foundation

/// A stored capture handed to the hashing threads (docs/FORMAT.md §6.6).
struct StoredCapture: Sendable {
    var key: DigestKey
    var digest: String
    var size: Int64
    var encoding: String
    var data: Data
}

/// Decodes and hashes captures on worker threads while the reading thread reads on.
///
/// The reading thread hands captures over in batches through a queue bounded in bytes (`queueLimit`
/// bytes of stored data) and in batches (two per worker, at least four), which bounds memory whatever
/// the store size and the size of its captures. When the queue is full the reading thread hashes a
/// queued batch itself instead of waiting: hashing is the larger half of the work, and on a 2-core
/// machine a reader that only waited left the second core half idle. Batches (up
/// to `handOffBytes` or `handOffCount` captures) keep the locking and the thread wake-ups rare when
/// captures are small. Results come back in any order; the caller applies them.
final class CaptureHasher {
    typealias Progress = Verifier.Progress

    static let handOffBytes = 1 << 20
    /// Small enough that the batches in flight hold a few hundred small captures, not thousands; a
    /// hand-off is one lock and one wake-up, rare at this size still.
    static let handOffCount = 64
    /// Bytes of stored captures waiting for the hashing threads at most.
    static let queueBytes = 8 << 20

    private let work: WorkQueue
    private let progress: Progress?
    private let total: Int64
    private var done: Int64 = 0
    private var batch: [StoredCapture] = []
    private var batchBytes = 0
    private let handOffBytes: Int
    /// The reading thread's own decompressor and buffer, for the captures it hashes itself.
    private let checker = CaptureChecker()
    private let exited = DispatchSemaphore(value: 0)
    private let workers: Int

    init(progress: Progress?, total: Int64, queueLimit: Int = CaptureHasher.queueBytes) {
        self.progress = progress
        self.total = total
        handOffBytes = min(Self.handOffBytes, max(1, queueLimit / 4))
        // One core is the reading thread's: it reads, and hashes whenever it is ahead.
        workers = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
        // Two batches waiting per worker keep every worker fed; more only hold memory.
        work = WorkQueue(limit: queueLimit, batchLimit: max(4, 2 * workers))
        for _ in 0..<workers {
            let thread = Thread { [work, exited] in
                work.serve(CaptureChecker())
                exited.signal()
            }
            thread.name = "temoin-verify-hash"
            thread.start()
        }
    }

    /// A walk that ends early (an unreadable table) still lets the workers go.
    deinit { work.close() }

    /// Queues a capture; returns the results that came back meanwhile.
    func add(_ capture: StoredCapture) -> [WorkQueue.Result] {
        batchBytes += capture.data.count
        batch.append(capture)
        guard batchBytes >= handOffBytes || batch.count >= Self.handOffCount else { return [] }
        work.push(batch, bytes: batchBytes, helping: checker)
        batch = []
        batchBytes = 0
        return reported(work.takeResults())
    }

    /// Hashes what is left and stops the workers; returns the last results.
    func finish() -> [WorkQueue.Result] {
        if !batch.isEmpty { work.push(batch, bytes: batchBytes, helping: checker) }
        batch = []
        work.drain(helping: checker)
        let results = reported(work.takeResults())
        work.close()
        for _ in 0..<workers { exited.wait() }
        return results
    }

    private func reported(_ results: [WorkQueue.Result]) -> [WorkQueue.Result] {
        guard !results.isEmpty else { return results }
        for r in results { done += r.size }
        progress?(done, total)
        return results
    }
}
