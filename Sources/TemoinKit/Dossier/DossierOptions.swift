import Foundation
import Synchronization
import TemoinPDF

/// File names as Télérecours requires them (CJA R.414-3): `PJn_` prefix for pièces, at most 80
/// characters, ASCII letters, digits, `-` and `_`, no dot but the extension's. Pièce names come from
/// their label (``DossierPiece/fileName(part:)``).
package enum TelerecoursName {
    package static let inventory = "Inventaire_detaille_des_pieces.pdf"

    /// Whether `name` follows the rules (the test suite checks every file the dossier writes).
    package static func isValid(_ name: String) -> Bool {
        guard name.count <= 80, name.hasSuffix(".pdf") else { return false }
        let stem = name.dropLast(4)
        return !stem.isEmpty
            && stem.unicodeScalars.allSatisfy {
                ($0.value < 128) && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_")
            }
    }
}

/// Options of one dossier.
package struct DossierOptions: Sendable {
    /// Whether PJ2 shows pages as images drawn by a browser (when one is found) or as text only.
    package enum PageImages: String, Sendable {
        case auto
        case off
    }

    package var outputFolder: String
    package var language: Language
    package var templatesFolder: String?
    package var from: Date?
    package var to: Date?
    /// Also write the draft requête (OpenDocument text, in the working folder).
    package var requete: Bool
    /// Largest pièce file (Télérecours citoyens: 32 MB); PJ2 is split above it.
    package var maxFileBytes: Int
    /// The number of the first pièce (the lawyer's own pièces may come first).
    package var firstPiece: Int
    /// Also write the journal of every attempt, as a pièce of its own.
    package var journal: Bool
    package var pageImages: PageImages
    /// The browser that draws the pages (else the first one found, as for `attempt --browser`).
    package var browserPath: String?

    package init(
        outputFolder: String, language: Language, templatesFolder: String? = nil, from: Date? = nil, to: Date? = nil,
        requete: Bool = false, maxFileBytes: Int = 32 * 1024 * 1024, firstPiece: Int = 1, journal: Bool = false,
        pageImages: PageImages = .auto, browserPath: String? = nil
    ) {
        self.outputFolder = outputFolder
        self.language = language
        self.templatesFolder = templatesFolder
        self.from = from
        self.to = to
        self.requete = requete
        self.maxFileBytes = maxFileBytes
        self.firstPiece = firstPiece
        self.journal = journal
        self.pageImages = pageImages
        self.browserPath = browserPath
    }
}

extension DossierOptions {
    /// The options of `temoin dossier` as typed: the period as a person writes it (``period(from:to:)``),
    /// the largest file in MB and the first pièce's number as ``check(maxFileMB:firstPiece:)`` accepts
    /// them, PJ2's page images unless refused. Throws the error that names what is wrong (a bad argument).
    package init(
        outputFolder: String, language: Language, templatesFolder: String?, from: String?, to: String?,
        requete: Bool, maxFileMB: Int, firstPiece: Int, journal: Bool, pageImages: Bool, browserPath: String?
    ) throws {
        try Self.check(maxFileMB: maxFileMB, firstPiece: firstPiece)
        let (start, end) = try Self.period(from: from, to: to)
        self.init(
            outputFolder: outputFolder, language: language, templatesFolder: templatesFolder, from: start, to: end,
            requete: requete, maxFileBytes: maxFileMB * 1024 * 1024, firstPiece: firstPiece, journal: journal,
            pageImages: pageImages ? .auto : .off, browserPath: browserPath)
    }

    /// Files of at least 1 MB (Télérecours citoyens accepts 32 MB each); pièces numbered from 1 to 999.
    package static func check(maxFileMB: Int, firstPiece: Int) throws {
        guard maxFileMB >= 1 else { throw TemoinError.invalidMaxFileSize }
        guard (1...999).contains(firstPiece) else { throw TemoinError.invalidFirstPiece }
    }
}

/// A file the dossier wrote.
package struct DossierFile: Codable, Sendable, Equatable {
    package var name: String
    package var path: String
    /// Pièce number in the inventory (nil for the inventory and the working files).
    package var piece: Int?
    /// Part number and count when a pièce is split to stay under the size limit.
    package var part: Int?
    package var parts: Int?
    package var pages: Int?
    package var bytes: Int
    package var sha256: String
    /// A file to file with the court (the pièces and the inventory), not a working file.
    package var filing: Bool
}

package struct DossierResult: Codable, Sendable {
    package var folder: String
    /// Where the working files (HTML copy, draft, bordereau) are: never to be uploaded.
    package var workingFolder: String
    package var files: [DossierFile]
    package var attempts: Int
    package var head: ChainHead
    package var verdict: VerificationReport.Verdict
    /// The browser that drew the pages of PJ2, or nil.
    package var pageRenderer: String?
    /// Why no page could be drawn, when a browser was needed and none could be used.
    package var pageImagesUnavailable: String?
    /// Days between the last attempt of the period and today, when more than
    /// ``ConsistencyCheck/staleAfterDays`` (the dossier's first page says so too).
    package var staleDays: Int?
    /// Proof files of steps whose pièce could not show them (a photo format with no decoder here, a
    /// damaged file, bytes withheld): the pièce says why; the original is with the working files.
    package var proofsNotShown: [ProofNotShown] = []

    /// What `dossier` exits with: 1 when the store is not intact (the dossier is written all the same,
    /// and says so).
    package var exitStatus: ExitStatus { verdict.exitStatus }

    enum CodingKeys: String, CodingKey {
        case folder, files, attempts, head, verdict
        case proofsNotShown = "proofs_not_shown"
        case workingFolder = "working_folder"
        case pageRenderer = "page_renderer"
        case pageImagesUnavailable = "page_images_unavailable"
        case staleDays = "stale_days"
    }
}

/// A step's proof file that its pièce could not reproduce, and why.
package struct ProofNotShown: Codable, Sendable, Equatable {
    package var piece: Int
    /// The file's name as recorded.
    package var file: String
    /// Why, in the dossier's language (the pièce says the same).
    package var reason: String
    /// The original's copy in the working folder, when its bytes are in the store.
    package var original: String?
}
