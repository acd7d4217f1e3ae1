import Foundation
import Synchronization

/// Verifies the store and writes the dossier, with a progress bar for each on standard error when it is
/// a terminal (nothing when piped or with --json): what `temoin dossier` does, in one call.
package func writeDossier(store: Store, path: String, options: DossierOptions, json: Bool) throws -> DossierResult {
    let verifying = ProgressReporter.standardError(label: tr("dossier.progress_verify"), unit: .bytes, json: json)
    let data = try DossierData.load(store: store, path: path, from: options.from, to: options.to) { done, total in
        verifying.update(done: done, total: total)
    }
    verifying.finish()
    let writer = try DossierWriter(store: store, data: data, options: options)
    let writing = ProgressReporter.standardError(label: tr("dossier.progress_write"), unit: .items, json: json)
    let total = Int64(writer.progressSteps)
    let done = Mutex<Int64>(0)
    let result = try writer.write { _ in
        writing.update(
            done: done.withLock {
                $0 += 1
                return $0
            }, total: total)
    }
    writing.finish()
    return result
}

extension DossierOptions {
    /// `--from` and `--to` as a person types them (Paris time unless an offset is given); a `to` without a
    /// time means the whole of that day. Throws the error that shows the accepted forms, or
    /// `.periodReversed` for a period that ends before it starts.
    package static func period(from: String?, to: String?) throws -> (from: Date?, to: Date?) {
        let start = try from.map { try TimeFormat.interpret($0) }
        var end = try to.map { try TimeFormat.interpret($0) }
        if let to, !to.contains(":"), let e = end { end = e.addingTimeInterval(86_400 - 0.001) }
        if let start, let end, start > end { throw TemoinError.periodReversed(from: from ?? "", to: to ?? "") }
        return (start, end)
    }
}
