import Foundation
import Synchronization
import TemoinPDF

/// File names as Télérecours requires them (CJA R.414-3): `PJn_` prefix for pièces, at most 80
/// characters, ASCII letters, digits, `-` and `_`, no dot but the extension's. Pièce names come from
/// their label (``DossierPiece/fileName(part:)``).
public enum TelerecoursName {
    public static let inventory = "Inventaire_detaille_des_pieces.pdf"

    /// Whether `name` follows the rules (the test suite checks every file the dossier writes).
    public static func isValid(_ name: String) -> Bool {
        guard name.count <= 80, name.hasSuffix(".pdf") else { return false }
        let stem = name.dropLast(4)
        return !stem.isEmpty
            && stem.unicodeScalars.allSatisfy {
                ($0.value < 128) && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_")
            }
    }
}

/// Options of one dossier.
public struct DossierOptions: Sendable {
    /// Whether PJ2 shows pages as images drawn by a browser (when one is found) or as text only.
    public enum PageImages: String, Sendable {
        case auto
        case off
    }

    public var outputFolder: String
    public var language: Language
    public var templatesFolder: String?
    public var from: Date?
    public var to: Date?
    /// Also write the draft requête (OpenDocument text, in the working folder).
    public var requete: Bool
    /// Largest pièce file (Télérecours citoyens: 32 MB); PJ2 is split above it.
    public var maxFileBytes: Int
    /// The number of the first pièce (the lawyer's own pièces may come first).
    public var firstPiece: Int
    /// Also write the journal of every attempt, as a pièce of its own.
    public var journal: Bool
    public var pageImages: PageImages
    /// The browser that draws the pages (else the first one found, as for `attempt --browser`).
    public var browserPath: String?

    public init(
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

/// A file the dossier wrote.
public struct DossierFile: Codable, Sendable, Equatable {
    public var name: String
    public var path: String
    /// Pièce number in the inventory (nil for the inventory and the working files).
    public var piece: Int?
    /// Part number and count when a pièce is split to stay under the size limit.
    public var part: Int?
    public var parts: Int?
    public var pages: Int?
    public var bytes: Int
    public var sha256: String
    /// A file to file with the court (the pièces and the inventory), not a working file.
    public var filing: Bool
}

public struct DossierResult: Codable, Sendable {
    public var folder: String
    /// Where the working files (HTML copy, draft, bordereau) are: never to be uploaded.
    public var workingFolder: String
    public var files: [DossierFile]
    public var attempts: Int
    public var head: ChainHead
    public var verdict: VerificationReport.Verdict
    /// The browser that drew the pages of PJ2, or nil.
    public var pageRenderer: String?
    /// Why no page could be drawn, when a browser was needed and none could be used.
    public var pageImagesUnavailable: String?
    /// Days between the last attempt of the period and today, when more than
    /// ``ConsistencyCheck/staleAfterDays`` (the dossier's first page says so too).
    public var staleDays: Int?
    /// Proof files of steps whose pièce could not show them (a photo format with no decoder here, a
    /// damaged file, bytes withheld): the pièce says why; the original is with the working files.
    public var proofsNotShown: [ProofNotShown] = []

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
public struct ProofNotShown: Codable, Sendable, Equatable {
    public var piece: Int
    /// The file's name as recorded.
    public var file: String
    /// Why, in the dossier's language (the pièce says the same).
    public var reason: String
    /// The original's copy in the working folder, when its bytes are in the store.
    public var original: String?
}
