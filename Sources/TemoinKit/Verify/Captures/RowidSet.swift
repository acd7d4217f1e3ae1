import Foundation

/// Rows of captures hashed and found intact, as a bit per rowid: an eighth of a byte per capture where
/// rowids are dense (temoin's own writes), a set entry for any rowid far beyond the row count (a
/// tampered table), so verify's memory stays flat whatever the number of captures.
struct RowidSet {
    private var bits: [UInt64] = []
    private var outliers: Set<Int64> = []
    private let dense: Int64
    private(set) var count = 0

    /// `expectedRows`: the captures table's row count, which bounds the dense part.
    init(expectedRows: Int64) { dense = max(1024, expectedRows.multipliedReportingOverflow(by: 4).partialValue) }

    func contains(_ rowid: Int64) -> Bool {
        guard rowid >= 0 && rowid < dense else { return outliers.contains(rowid) }
        let word = Int(rowid >> 6)
        return word < bits.count && bits[word] & (1 << UInt64(rowid & 63)) != 0
    }

    mutating func insert(_ rowid: Int64) {
        guard rowid >= 0 && rowid < dense else {
            if outliers.insert(rowid).inserted { count += 1 }
            return
        }
        let word = Int(rowid >> 6)
        if word >= bits.count { bits.append(contentsOf: repeatElement(0, count: word + 1 - bits.count)) }
        let bit: UInt64 = 1 << UInt64(rowid & 63)
        if bits[word] & bit == 0 {
            bits[word] |= bit
            count += 1
        }
    }
}
