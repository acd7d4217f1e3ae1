import Foundation

/// What happened to one file of an import.
package struct ImportFileReport: Sendable, Encodable {
    package enum Status: String, Sendable, Encodable {
        /// A new entry.
        case recorded
        /// The same page at the same time was already recorded: not counted twice.
        case duplicate
        /// The file could not be recorded (missing, empty, not a page, no address...).
        case refused
        /// Met under a folder and left out: not a saved page.
        case skipped
    }

    package var file: String
    package var status: Status
    package var seq: Int64?
    package var duplicateOf: Int64?
    package var outcome: Outcome?
    /// The page's own words (quoted when shown).
    package var message: String?
    /// temoin's own description (never quoted).
    package var description: String?
    package var visibility: VisibilityRecord?
    package var setAside: [SetAsideMarker]?
    package var profile: String?
    package var profileBasis: ProfileBasis?
    package var warnings: [ImportWarning]?
    /// Why the file was skipped (`SkipReason`) or refused (the error's text).
    package var skipReason: SkipReason?
    package var error: String?
    package var exitCode: Int32?

    enum CodingKeys: String, CodingKey {
        case file, status, seq, outcome, message, description, visibility, profile, warnings, error
        case duplicateOf = "duplicate_of"
        case setAside = "set_aside"
        case profileBasis = "profile_basis"
        case skipReason = "skip_reason"
        case exitCode = "exit_code"
    }
}

/// The whole import: every file in order, and the exit status the batch ends with.
package struct ImportReport: Sendable {
    package var files: [ImportFileReport] = []
    /// Success, or the highest status of a refused file (4): the other files were recorded.
    package var exitStatus = ExitStatus.success

    package var recorded: Int { files.filter { $0.status == .recorded }.count }
}

extension Importer {
    /// Imports every page the arguments name (folders walked to any depth, see `ImportPlan`): a file
    /// that cannot be recorded is reported and the next one tried; a store that cannot be read or
    /// written stops the batch (its error is thrown: nothing after it is recorded, nothing before
    /// lost). `report` is called for each file as soon as it is done, skipped files first.
    package func importFiles(
        _ arguments: [String], options: ImportOptions, report: (ImportFileReport) -> Void = { _ in },
        now: () -> Date = Date.init
    ) throws -> ImportReport {
        let plan = ImportPlan(arguments)
        var out = ImportReport()
        func add(_ file: ImportFileReport) {
            out.files.append(file)
            report(file)
        }
        for skipped in plan.skipped {
            add(ImportFileReport(file: skipped.path, status: .skipped, skipReason: skipped.reason))
        }
        for folder in plan.emptyFolders {
            let error = TemoinError.folderWithoutPage(
                path: folder, skipped: plan.skipped.count { $0.path.hasPrefix(folder) })
            add(
                ImportFileReport(
                    file: folder, status: .refused, error: error.description, exitCode: error.exitStatus.rawValue))
            out.exitStatus = max(out.exitStatus, error.exitStatus)
        }
        for path in plan.pages {
            do {
                let r = try importFile(path, options: options, now: now())
                let a = r.analysis
                add(
                    ImportFileReport(
                        file: path, status: r.entry == nil ? .duplicate : .recorded, seq: r.entry?.seq,
                        duplicateOf: r.duplicateOf, outcome: a.outcome, message: a.message, description: a.description,
                        visibility: a.visibility, setAside: a.setAside.isEmpty ? nil : a.setAside, profile: r.profile,
                        profileBasis: r.profileBasis, warnings: r.warnings.isEmpty ? nil : r.warnings))
            } catch let error as TemoinError {
                // A store problem stops everything; a bad file is reported and the next one is tried.
                if [.storeUnreadable, .storeNotWritable].contains(error.exitStatus) { throw error }
                out.exitStatus = max(out.exitStatus, error.exitStatus)
                add(
                    ImportFileReport(
                        file: path, status: .refused, error: error.description, exitCode: error.exitStatus.rawValue))
            }
        }
        return out
    }
}
