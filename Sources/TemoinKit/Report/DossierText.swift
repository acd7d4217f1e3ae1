import Foundation

/// What `temoin dossier` prints once written: the pièces to file, then the working files, on standard
/// output; what could not be shown, a stale period and a store that is not intact, apart, for standard
/// error (the order the command has always printed them in).
package enum DossierText {
    package static func lines(_ result: DossierResult) -> (out: [String], errors: [String]) {
        var out = [
            tr(
                "dossier.written",
                ["folder": result.folder, "attempts": String(result.attempts), "head": result.head.display])
        ]
        out += result.files.filter(\.filing).map(fileLine)
        out.append(tr("dossier.working", ["folder": result.workingFolder]))
        out += result.files.filter { !$0.filing }.map(fileLine)
        if let draft = result.files.first(where: { $0.name.hasSuffix(".odt") }) {
            out.append(tr("dossier.draft_written", ["name": draft.name]))
        }
        var errors: [String] = []
        if let why = result.pageImagesUnavailable {
            errors.append(tr("dossier.no_page_images", ["reason": why]))
        }
        for p in result.proofsNotShown {
            let args = ["piece": String(p.piece), "file": p.file, "reason": p.reason]
            if let original = p.original {
                errors.append(tr("dossier.proof_not_shown", args.merging(["original": original]) { $1 }))
            } else {
                errors.append(tr("dossier.proof_missing", args))
            }
        }
        return (out, errors)
    }

    /// After the files, with --json too: a period that ended long ago, a store that is not intact.
    package static func warnings(_ result: DossierResult) -> [String] {
        var lines: [String] = []
        if let days = result.staleDays { lines.append(tr("dossier.stale", ["days": String(days)])) }
        if result.verdict != .intact { lines.append(tr("dossier.not_intact")) }
        return lines
    }

    /// All `dossier` says once written, each where it goes: the result (its JSON with `json`), what could
    /// not be shown (said by the JSON itself with `json`), then the warnings.
    package static func utterances(_ result: DossierResult, json: Bool) -> [Utterance] {
        let (out, errors) = json ? ([JSONOutput.string(result)], []) : lines(result)
        return out.map(Utterance.line) + errors.map(Utterance.problem) + warnings(result).map(Utterance.problem)
    }

    package static func fileLine(_ f: DossierFile) -> String {
        let size = ByteCount.format(Int64(f.bytes))
        if f.pages == 1 { return tr("dossier.file_one_page", ["name": f.name, "size": size]) }
        if let pages = f.pages { return tr("dossier.file", ["name": f.name, "pages": String(pages), "size": size]) }
        return tr("dossier.file_nopages", ["name": f.name, "size": size])
    }
}
