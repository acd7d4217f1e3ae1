import ArgumentParser
import Foundation
import TemoinKit

/// What `verify` prints about times (docs/FORMAT.md §8): the summary, then every time problem with
/// its seq, code and figures, in the person's language.
func verifyTimeLines(_ time: TimeSummary?) -> [String] {
    guard let time else { return [] }
    var lines = [tr("verify.time", ["summary": time.sentence])]
    for p in time.problems {
        lines.append("  #\(p.seq)  \(p.code.rawValue): \(p.text())")
    }
    if !time.problems.isEmpty { lines.append(tr("verify.time.not_verdict")) }
    return lines
}
