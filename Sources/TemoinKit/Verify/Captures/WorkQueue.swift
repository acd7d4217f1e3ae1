import Foundation

/// Batches of captures waiting to be hashed and the results not yet applied, shared by the reading
/// thread and the workers under one lock (`CaptureHasher`).
final class WorkQueue: @unchecked Sendable {
    struct Result {
        var key: DigestKey
        var digest: String
        var size: Int64
        var ok: Bool
    }

    private let condition = NSCondition()
    private let limit: Int
    private let batchLimit: Int
    private var queue: [(captures: [StoredCapture], bytes: Int)] = []
    private var head = 0
    private var queuedBytes = 0
    private var busy = 0
    private var results: [Result] = []
    private var closed = false

    /// - Parameters:
    ///   - limit: bytes of stored captures queued at most;
    ///   - batchLimit: batches queued at most. Small captures fill a batch by count long before the
    ///     bytes limit: without it, thousands of them (each with its row, its key and its seqs) waited
    ///     whenever the reader ran ahead, and the peak memory moved with the machine's load.
    init(limit: Int, batchLimit: Int) {
        self.limit = limit
        self.batchLimit = batchLimit
    }

    /// Takes the oldest queued batch; the lock is held.
    private func take() -> [StoredCapture] {
        let (captures, bytes) = queue[head]
        queue[head] = ([], 0)
        head += 1
        queuedBytes -= bytes
        busy += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 {
            queue.removeFirst(head)
            head = 0
        }
        return captures
    }

    /// Hashes a batch without the lock, then records its results.
    private func check(_ captures: [StoredCapture], _ checker: CaptureChecker) {
        condition.unlock()
        let checked = captures.map {
            Result(
                key: $0.key, digest: $0.digest, size: $0.size,
                ok: checker.matches($0.data, encoding: $0.encoding, size: $0.size, digest: $0.digest))
        }
        condition.lock()
        busy -= 1
        results.append(contentsOf: checked)
        condition.broadcast()
    }

    /// A worker's loop: until closed, hash whatever is queued.
    func serve(_ checker: CaptureChecker) {
        condition.lock()
        defer { condition.unlock() }
        while true {
            while head == queue.count && !closed { condition.wait() }
            if closed { return }
            check(take(), checker)
        }
    }

    /// Queues a batch; while the queue holds more than its limit, the caller hashes from it.
    func push(_ captures: [StoredCapture], bytes: Int, helping checker: CaptureChecker) {
        condition.lock()
        defer { condition.unlock() }
        queue.append((captures, bytes))
        queuedBytes += bytes
        condition.signal()
        while (queuedBytes > limit || queue.count - head > batchLimit) && head < queue.count {
            check(take(), checker)
        }
    }

    /// Hashes what is left with the workers, then waits for the batches they are still on.
    func drain(helping checker: CaptureChecker) {
        condition.lock()
        defer { condition.unlock() }
        while head < queue.count { check(take(), checker) }
        while busy > 0 { condition.wait() }
    }

    func takeResults() -> [Result] {
        condition.lock()
        defer { condition.unlock() }
        let taken = results
        results = []
        return taken
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
