import Foundation

extension Walk {
    /// docs/FORMAT.md §6.5, head counter: with L the last seq read (0 if none) and H = `head_seq`,
    /// H > L is `entries_truncated` at L + 1, H < L is `head_mismatch` at H + 1.
    mutating func checkHeadCounter() {
        guard let recorded = headSeqMeta else { return }
        let last = report.head?.seq ?? 0
        if recorded > last {
            report.record(
                .entriesTruncated, at: last + 1,
                "meta head_seq is \(recorded) but the last entry is #\(last): entries after it are missing")
        } else if recorded < last {
            report.record(
                .headMismatch, at: recorded + 1,
                "meta head_seq is \(recorded) but entries go up to #\(last) (added outside temoin)")
        }
    }
}
