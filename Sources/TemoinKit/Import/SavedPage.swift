import Foundation

/// A page a person saved from a browser, read and checked before anything is recorded.
struct SavedPage {
    /// The HTML of the page itself.
    var html: Data
    /// The file as saved, when it is not the HTML itself (an `.mhtml` archive).
    var archive: Data?
    var url: String?
    var urlSource: String?
    var modifiedAt: Date?
    var resources: [(name: String, bytes: Data)] = []
    var resourcesSkipped = 0
    /// The page decoded once, for the URL search and the analysis alike.
    var charset = DetectedCharset(label: "UTF-8", source: .fallback)
    var text = ""
    /// The whole page parsed while its canonical link was looked for; the analysis reuses it.
    var document: HTMLDocument?

    static let resourceCountLimit = 300

    /// Reads `path`, refusing with a clear reason what cannot be a saved page.
    static func read(path: String, maxSize: Int64) throws -> SavedPage {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw TemoinError.fileMissing(path: path) }
        if isDir.boolValue { throw TemoinError.notHTML(path: path, looksLike: tr("kind.directory")) }
        let attributes = try? fm.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        if size == 0 { throw TemoinError.fileEmpty(path: path) }
        if size > maxSize { throw TemoinError.fileTooLarge(path: path, size: size, limit: maxSize) }
        guard fm.isReadableFile(atPath: path) else {
            throw TemoinError.fileUnreadable(path: path, detail: tr("detail.permission"))
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TemoinError.fileUnreadable(path: path, detail: error.localizedDescription)
        }
        if data.isEmpty { throw TemoinError.fileEmpty(path: path) }
        if data.count > maxSize { throw TemoinError.fileTooLarge(path: path, size: Int64(data.count), limit: maxSize) }

        var page: SavedPage
        if let mhtml = MHTML.parse(data) {
            page = SavedPage(
                html: mhtml.html, archive: data, url: mhtml.location,
                urlSource: mhtml.location == nil ? nil : "mhtml_header")
        } else {
            if let kind = binaryKind(data) { throw TemoinError.notHTML(path: path, looksLike: kind) }
            page = SavedPage(html: data)
        }
        guard looksLikeHTML(page.html) else { throw TemoinError.notHTML(path: path, looksLike: tr("kind.plain_text")) }
        page.modifiedAt = attributes?[.modificationDate] as? Date
        page.charset = Charset.detect(page.html)
        page.text = Charset.decode(page.html, as: page.charset)
        if page.url == nil {
            let found = embeddedURL(text: page.text, wholePage: page.html.count <= embeddedURLParseLimit)
            page.document = found.document
            if let (url, source) = found.url {
                page.url = url
                page.urlSource = source
            }
        }
        page.collectResources(besides: path, budget: maxSize)
        return page
    }

    /// Names well-known binary formats so the message says what the file is.
    static func binaryKind(_ data: Data) -> String? {
        let magic: [([UInt8], String)] = [
            ([0x25, 0x50, 0x44, 0x46], "PDF"), ([0x89, 0x50, 0x4E, 0x47], "PNG"), ([0xFF, 0xD8, 0xFF], "JPEG"),
            ([0x47, 0x49, 0x46, 0x38], "GIF"), ([0x50, 0x4B, 0x03, 0x04], "ZIP/DOCX"), ([0x1F, 0x8B], "gzip"),
            (Array("SQLite format 3".utf8), "SQLite"), ([0x7F, 0x45, 0x4C, 0x46], "ELF"),
        ]
        for (bytes, name) in magic where data.starts(with: bytes) { return name }
        let head = data.prefix(8192)
        let utf16 = data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF])
        if !utf16, head.contains(0) { return tr("kind.binary") }
        return nil
    }

    /// Whether the bytes hold HTML markup: one of the usual tags in the first 64 KB (ASCII
    /// case-insensitive; the tags are ASCII in every charset we read but UTF-16, decoded first).
    static func looksLikeHTML(_ data: Data) -> Bool {
        var head = [UInt8](data.prefix(65536))
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            head = Array(Charset.decode(data.prefix(65536), as: Charset.detect(data.prefix(65536))).utf8)
        }
        for i in head.indices where head[i] >= 0x41 && head[i] <= 0x5A { head[i] += 0x20 }
        let tags = [
            "<!doctype html", "<html", "<head", "<body", "<div", "<p>", "<p ", "<form", "<title", "<meta", "<table",
            "<h1", "<h2", "<main", "<section",
        ]
        return head.withUnsafeBufferPointer { buffer in
            tags.contains { tag in
                Array(tag.utf8).withUnsafeBufferPointer { TextNormalizer.containsBytes(buffer, $0) }
            }
        }
    }

    /// The page's own record of where it came from: the comment browsers write when saving
    /// (`<!-- saved from url=(0058)https://... -->`), else `<link rel="canonical">`, else `og:url`.
    static func embeddedURL(_ data: Data) -> (String, String)? {
        let text = Charset.decode(data, as: Charset.detect(data))
        return embeddedURL(text: text, wholePage: data.count <= embeddedURLParseLimit).url
    }

    static let savedFromPattern = try! NSRegularExpression(
        pattern: #"<!--\s*saved from url=\(\d+\)([^\s>]+)\s*-->"#, options: [.caseInsensitive])

    /// Bytes of a page parsed to find its canonical link (the head comes first).
    static let embeddedURLParseLimit = 262_144

    /// `embeddedURL` on the decoded page. When the links had to be looked for in the whole page, its
    /// parsed document comes back too, so the analysis does not parse it again.
    static func embeddedURL(text: String, wholePage: Bool) -> (url: (String, String)?, document: HTMLDocument?) {
        // Browsers write the comment at the very top of the file (before or just after the doctype).
        let top = String(decoding: text.utf8.prefix(8192), as: UTF8.self)
        var probe = top
        let mentioned = probe.withUTF8 {
            TextNormalizer.containsBytesIgnoringASCIICase($0, Array("saved from url".utf8))
        }
        if mentioned, let m = savedFromPattern.firstMatch(in: top, range: NSRange(top.startIndex..., in: top)),
            let r = Range(m.range, in: top)
        {
            let comment = String(top[r])
            if let start = comment.range(of: ")"), let end = comment.range(of: "-->") {
                let url = comment[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespaces)
                if (try? URLCheck.validate(url)) != nil { return (url: (url, "saved_from_comment"), document: nil) }
            }
        }
        let parsed = wholePage ? text : String(decoding: text.utf8.prefix(embeddedURLParseLimit), as: UTF8.self)
        guard let document = HTMLDocument(text: parsed) else { return (url: nil, document: nil) }
        let queries = [
            ("string(//link[translate(@rel,'CANOIL','canoil')='canonical']/@href)", "canonical_link"),
            ("string(//meta[@property='og:url']/@content)", "og_url"),
        ]
        for (xpath, source) in queries {
            if let url = document.string(xpath), (try? URLCheck.validate(url)) != nil {
                return (url: (url, source), document: wholePage ? document : nil)
            }
        }
        return (url: nil, document: wholePage ? document : nil)
    }

    /// "Save page as, complete" puts images and styles in `<name>_files/` beside the page: keep them
    /// with the entry, within the same size budget as the page.
    mutating func collectResources(besides path: String, budget: Int64) {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        let folder = url.deletingLastPathComponent().appendingPathComponent(stem + "_files")
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue,
            let walker = FileManager.default.enumerator(
                at: folder, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey])
        else { return }
        var files: [URL] = []
        for case let file as URL in walker {
            let values = try? file.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            if values?.isRegularFile == true { files.append(file) }
        }
        files.sort { $0.path < $1.path }
        var used = Int64(html.count + (archive?.count ?? 0))
        for file in files {
            let size = Int64((try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
            guard resources.count < Self.resourceCountLimit, used + size <= budget,
                let bytes = try? Data(contentsOf: file)
            else {
                resourcesSkipped += 1
                continue
            }
            used += size
            let relative = stem + "_files/" + String(file.path.dropFirst(folder.path.count + 1))
            resources.append((relative, bytes))
        }
    }
}

/// The HTML part of an MHTML archive ("Save page as, single file" in Chromium browsers).
enum MHTML {
    struct Parsed {
        var html: Data
        var location: String?
    }

    static func parse(_ data: Data) -> Parsed? {
        // An HTML page is not an archive: a byte search rules it out before any string work.
        let isArchive = [UInt8](data.prefix(4096)).withUnsafeBufferPointer {
            TextNormalizer.containsBytesIgnoringASCIICase($0, Array("multipart/related".utf8))
        }
        guard isArchive else { return nil }
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        guard head.range(of: "multipart/related", options: .caseInsensitive) != nil,
            head.range(of: "MIME-Version", options: .caseInsensitive) != nil,
            let boundary = headerParameter("boundary", in: head)
        else { return nil }
        let location = headerValue("Snapshot-Content-Location", in: head)
        let text = String(decoding: data, as: UTF8.self)
        for part in text.components(separatedBy: "--" + boundary).dropFirst() {
            guard let split = part.range(of: "\r\n\r\n") ?? part.range(of: "\n\n") else { continue }
            let headers = String(part[..<split.lowerBound])
            guard let type = headerValue("Content-Type", in: headers), type.lowercased().hasPrefix("text/html") else {
                continue
            }
            let body = String(part[split.upperBound...])
            let encoding = headerValue("Content-Transfer-Encoding", in: headers)?.lowercased() ?? "8bit"
            let bytes: Data
            switch encoding {
            case "quoted-printable": bytes = quotedPrintable(body)
            case "base64": bytes = Data(base64Encoded: body, options: .ignoreUnknownCharacters) ?? Data()
            default: bytes = Data(body.utf8)
            }
            let partLocation = headerValue("Content-Location", in: headers)
            return Parsed(html: bytes, location: location ?? partLocation)
        }
        return nil
    }

    static func headerValue(_ name: String, in headers: String) -> String? {
        // Unfold continuation lines first (RFC 5322).
        let unfolded = headers.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
            of: #"\n[ \t]+"#, with: " ", options: .regularExpression)
        for line in unfolded.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == name.lowercased() {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    static func headerParameter(_ name: String, in headers: String) -> String? {
        guard let ct = headerValue("Content-Type", in: headers) else { return nil }
        return Charset.parameter(name, in: ct)
    }

    static func quotedPrintable(_ text: String) -> Data {
        var out = Data()
        let bytes = Array(text.utf8)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 48...57: return b - 48
            case 65...70: return b - 55
            case 97...102: return b - 87
            default: return nil
            }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "=") {
                if i + 1 < bytes.count, bytes[i + 1] == 10 {
                    i += 2
                    continue
                }
                if i + 2 < bytes.count, bytes[i + 1] == 13, bytes[i + 2] == 10 {
                    i += 3
                    continue
                }
                if i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                    out.append(h << 4 | l)
                    i += 3
                    continue
                }
            }
            out.append(b)
            i += 1
        }
        return out
    }
}
