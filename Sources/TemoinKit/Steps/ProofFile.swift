import Foundation

/// What a proof file's bytes are, read from their first bytes ("magic numbers"), never from the name.
package enum ProofFormat: String, Sendable, CaseIterable {
    case pdf, png, jpeg, gif, webp, tiff, heic, avif, email

    /// The media type recorded in the capture.
    package var mediaType: String {
        switch self {
        case .pdf: return "application/pdf"
        case .png: return "image/png"
        case .jpeg: return "image/jpeg"
        case .gif: return "image/gif"
        case .webp: return "image/webp"
        case .tiff: return "image/tiff"
        case .heic: return "image/heic"
        case .avif: return "image/avif"
        case .email: return "message/rfc822"
        }
    }

    package var isImage: Bool { ![.pdf, .email].contains(self) }

    /// The format the first bytes announce; nil for anything else (e-mails are recognised by parsing).
    package static func sniff(_ data: Data) -> ProofFormat? {
        let b = [UInt8](data.prefix(1024))
        func at(_ offset: Int, _ bytes: [UInt8]) -> Bool {
            b.count >= offset + bytes.count && Array(b[offset..<offset + bytes.count]) == bytes
        }
        if at(0, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if at(0, [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if at(0, Array("GIF87a".utf8)) || at(0, Array("GIF89a".utf8)) { return .gif }
        if at(0, Array("RIFF".utf8)), at(8, Array("WEBP".utf8)) { return .webp }
        if at(0, [0x49, 0x49, 0x2A, 0x00]) || at(0, [0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if at(4, Array("ftyp".utf8)), b.count >= 12 {
            let brand = String(decoding: b[8..<12], as: UTF8.self)
            if ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"].contains(brand) { return .heic }
            if ["avif", "avis"].contains(brand) { return .avif }
        }
        // PDF readers accept the header anywhere in the first 1024 bytes.
        if let s = String(bytes: b, encoding: .isoLatin1), s.contains("%PDF-") { return .pdf }
        return nil
    }

    /// A few words on what unrecognised bytes look like, for the refusal message (catalogue key).
    static func lookalike(_ data: Data) -> String {
        let head = [UInt8](data.prefix(512))
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return "step.looks_like.outlook" }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "step.looks_like.zip" }
        let text = String(decoding: head, as: UTF8.self).lowercased()
        if text.contains("<html") || text.contains("<!doctype html") { return "step.looks_like.html" }
        if !head.contains(0), String(validating: head, as: UTF8.self) != nil { return "step.looks_like.text" }
        return "step.looks_like.unknown"
    }
}

/// A proof file read and checked, ready to be stored as a capture.
package struct ProofFile: Sendable {
    package let path: String
    package let bytes: Data
    package let format: ProofFormat
    /// Parsed when the file is an e-mail.
    package let email: EmailMessage?

    /// Largest proof file: Télérecours citoyens takes files up to 32 MB; a scan or an e-mail is far below.
    package static let defaultMaxSize: Int64 = 20_000_000

    static let imageExtensions: Set<String> = [
        "png", "jpg", "jpeg", "jpe", "gif", "webp", "tif", "tiff", "heic", "heif", "avif",
    ]

    /// Reads `path` and refuses, with the reason, what cannot be a proof: no file, an empty or too large
    /// one, an image that is not an image, a PDF that is not a PDF, an `.eml` that is not an e-mail, or
    /// bytes that are none of these.
    package static func read(path: String, maxSize: Int64 = defaultMaxSize) throws -> ProofFile {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw TemoinError.fileMissing(path: path) }
        if isDir.boolValue { throw TemoinError.step(.unsupportedFile(path: path, looksLike: "step.looks_like.folder")) }
        let size = ((try? fm.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        if size == 0 { throw TemoinError.step(.fileEmpty(path: path)) }
        if size > maxSize { throw TemoinError.step(.fileTooLarge(path: path, size: size, limit: maxSize)) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TemoinError.fileUnreadable(path: path, detail: error.localizedDescription)
        }
        if data.isEmpty { throw TemoinError.step(.fileEmpty(path: path)) }
        if data.count > maxSize {
            throw TemoinError.step(.fileTooLarge(path: path, size: Int64(data.count), limit: maxSize))
        }

        let ext = (path as NSString).pathExtension.lowercased()
        let sniffed = ProofFormat.sniff(data)
        if ext == "msg" { throw TemoinError.step(.outlookMessage(path: path)) }
        if ext == "eml" || (sniffed == nil && ext != "pdf" && !imageExtensions.contains(ext)) {
            do {
                let message = try EmailMessage(data)
                return ProofFile(path: path, bytes: data, format: .email, email: message)
            } catch let problem as EmailMessage.Problem {
                if ext == "eml" {
                    throw TemoinError.step(.notAnEmail(path: path, problem: problem, looksLike: sniffed?.rawValue))
                }
            }
        }
        guard let format = sniffed else {
            let looksLike = ProofFormat.lookalike(data)
            if imageExtensions.contains(ext) { throw TemoinError.step(.notAnImage(path: path, looksLike: looksLike)) }
            if ext == "pdf" { throw TemoinError.step(.notAPDF(path: path, looksLike: looksLike)) }
            throw TemoinError.step(.unsupportedFile(path: path, looksLike: looksLike))
        }
        // A photo saved as .jpg that is really a PNG is still a photo; a .pdf that holds an image, or an
        // image name on a PDF, is a mistake worth stopping for.
        if imageExtensions.contains(ext), !format.isImage {
            throw TemoinError.step(.notAnImage(path: path, looksLike: "step.looks_like.\(format.rawValue)"))
        }
        if ext == "pdf", format != .pdf {
            throw TemoinError.step(.notAPDF(path: path, looksLike: "step.looks_like.\(format.rawValue)"))
        }
        return ProofFile(path: path, bytes: data, format: format, email: nil)
    }

    /// The capture to store: the bytes exactly as read, under `role` (an e-mail is always `email`).
    func capture(role: ProofRole) -> PendingCapture {
        PendingCapture(
            bytes: bytes, role: format == .email ? ProofRole.email.rawValue : role.rawValue,
            mediaType: format.mediaType, name: (path as NSString).lastPathComponent)
    }
}
