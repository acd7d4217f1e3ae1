import Foundation
import TemoinPDF
import ZIPFoundation

/// The draft requête as an OpenDocument text (ODF 1.3, ISO/IEC 26300): what LibreOffice and Word open
/// and the lawyer edits. Built from the format's own XML and zipped with ZIPFoundation: `mimetype`
/// first and stored uncompressed, then the manifest, the content, the styles and the metadata.
///
/// It takes the same blocks as the PDFs (a template's lines): `#`/`##` become real headings (outline
/// levels, so the document has a navigable plan), `- ` list items, `[ ] ` a checklist, `> ` a framed
/// note, `Label :: value` a paragraph with a bold label; « [À COMPLÉTER…] » is highlighted wherever it
/// appears so that nothing the lawyer must write is missed.
enum OpenDocumentText {
    static let mimeType = "application/vnd.oasis.opendocument.text"
    /// Marks the places only the lawyer can fill (highlighted in the document).
    static let placeholderPrefixes = ["[À COMPLÉTER", "[TO COMPLETE"]

    static func write(
        blocks: [Block], title: String, author: String, language: Language, created: Date, to path: String
    )
        throws
    {
        let url = URL(fileURLWithPath: path)
        try? FileManager.default.removeItem(at: url)
        do {
            let archive = try Archive(url: url, accessMode: .create)
            func add(_ name: String, _ data: Data, compressed: Bool = true) throws {
                try archive.addEntry(
                    with: name, type: .file, uncompressedSize: Int64(data.count),
                    compressionMethod: compressed ? .deflate : .none,
                    provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
            }
            try add("mimetype", Data(mimeType.utf8), compressed: false)
            try add("META-INF/manifest.xml", Data(manifest.utf8))
            try add("content.xml", Data(content(blocks).utf8))
            try add("styles.xml", Data(styles(language: language).utf8))
            try add("meta.xml", Data(meta(title: title, author: author, created: created).utf8))
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw TemoinError.outputUnwritable(path: path, detail: "\(error)")
        }
    }

    static let manifest = """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
         <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>
         <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
         <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
         <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
        </manifest:manifest>
        """

    static let namespaces = """
        xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
        xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" \
        xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" \
        xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" \
        xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" \
        xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"
        """

    /// The body: one element per block, in order; consecutive list items share one list.
    static func content(_ blocks: [Block]) -> String {
        var body = ""
        var openList: String?
        func closeList() {
            if openList != nil { body += "</text:list>\n" }
            openList = nil
        }
        func item(_ inline: String, list: String, paragraph: String) {
            if openList != list {
                closeList()
                body += "<text:list text:style-name=\"\(list)\">\n"
                openList = list
            }
            body += "<text:list-item><text:p text:style-name=\"\(paragraph)\">\(inline)</text:p></text:list-item>\n"
        }
        for block in blocks {
            switch block {
            case .bullet(let m):
                item(inlineXML(m), list: "Bullets", paragraph: "List_20_Item")
            case .paragraph(let m) where m.hasPrefix("[ ] "):
                item(inlineXML(String(m.dropFirst(4))), list: "Checklist", paragraph: "List_20_Item")
            default:
                closeList()
                switch block {
                case .title(let m): body += "<text:p text:style-name=\"Title\">\(inlineXML(m))</text:p>\n"
                case .subtitle(let m): body += "<text:p text:style-name=\"Subtitle\">\(inlineXML(m))</text:p>\n"
                case .heading(let level, let m, _, _):
                    let l = min(level, 3)
                    body +=
                        "<text:h text:style-name=\"Heading_20_\(l)\" text:outline-level=\"\(l)\">\(inlineXML(m))</text:h>\n"
                case .labelled(let label, let value):
                    body +=
                        "<text:p text:style-name=\"Text_20_body\"><text:span text:style-name=\"Strong\">\(inlineXML(label))</text:span> \(inlineXML(value))</text:p>\n"
                case .note(let m): body += "<text:p text:style-name=\"Note\">\(inlineXML(m))</text:p>\n"
                case .paragraph(let m): body += "<text:p text:style-name=\"Text_20_body\">\(inlineXML(m))</text:p>\n"
                default: break
                }
            }
        }
        closeList()
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-content \(namespaces)>
            <office:automatic-styles/>
            <office:body><office:text>
            \(body)</office:text></office:body></office:document-content>
            """
    }

    /// Pango markup (escaped text with `<b>`, `<i>`) to ODF inline XML. Entities are the same in both;
    /// other tags are dropped; placeholders are highlighted.
    static func inlineXML(_ markup: String) -> String {
        var out = ""
        var i = markup.startIndex
        while i < markup.endIndex {
            if markup[i] == "<", let close = markup[i...].firstIndex(of: ">") {
                let tag = markup[markup.index(after: i)..<close].lowercased()
                switch tag {
                case "b": out += "<text:span text:style-name=\"Strong\">"
                case "i": out += "<text:span text:style-name=\"Emphasis\">"
                case "/b", "/i": out += "</text:span>"
                default: break
                }
                i = markup.index(after: close)
                continue
            }
            out.append(markup[i])
            i = markup.index(after: i)
        }
        // Nothing but XML character data is left: highlight each placeholder up to its closing bracket.
        for prefix in placeholderPrefixes {
            var result = ""
            var rest = Substring(out)
            while let r = rest.range(of: prefix) {
                result += rest[..<r.lowerBound]
                let end = rest[r.lowerBound...].firstIndex(of: "]").map { rest.index(after: $0) } ?? rest.endIndex
                result += "<text:span text:style-name=\"To_20_complete\">\(rest[r.lowerBound..<end])</text:span>"
                rest = rest[end...]
            }
            out = result + rest
        }
        return out
    }

    static func styles(language: Language) -> String {
        let lang = language == .fr ? "fo:language=\"fr\" fo:country=\"FR\"" : "fo:language=\"en\" fo:country=\"GB\""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-styles \(namespaces)>
            <office:font-face-decls/>
            <office:styles>
             <style:default-style style:family="paragraph">
              <style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/>
              <style:text-properties style:font-name="DejaVu Serif" fo:font-family="'DejaVu Serif'" fo:font-size="11pt" \(lang) fo:hyphenate="false"/>
             </style:default-style>
             <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
             <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
              <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.21cm" fo:text-align="justify"/>
             </style:style>
             <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text">
              <style:paragraph-properties fo:margin-top="0.42cm" fo:margin-bottom="0.21cm" fo:keep-with-next="always"/>
              <style:text-properties fo:font-family="'DejaVu Sans'" fo:font-weight="bold"/>
             </style:style>
             <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1" style:class="text">
              <style:text-properties fo:font-size="14pt"/>
             </style:style>
             <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2" style:class="text">
              <style:text-properties fo:font-size="12pt"/>
             </style:style>
             <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="3" style:class="text">
              <style:text-properties fo:font-size="11pt"/>
             </style:style>
             <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading" style:class="chapter">
              <style:paragraph-properties fo:text-align="center"/>
              <style:text-properties fo:font-size="16pt"/>
             </style:style>
             <style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Standard" style:class="chapter">
              <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.42cm"/>
             </style:style>
             <style:style style:name="Note" style:family="paragraph" style:parent-style-name="Standard">
              <style:paragraph-properties fo:background-color="#faf2d0" fo:padding="0.2cm" fo:margin-bottom="0.3cm" fo:border="0.5pt solid #d9b84a"/>
              <style:text-properties fo:font-family="'DejaVu Sans'" fo:font-size="9.5pt"/>
             </style:style>
             <style:style style:name="List_20_Item" style:display-name="List Item" style:family="paragraph" style:parent-style-name="Text_20_body"/>
             <style:style style:name="Strong" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
             <style:style style:name="Emphasis" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
             <style:style style:name="To_20_complete" style:display-name="To complete" style:family="text">
              <style:text-properties fo:background-color="#ffe680" fo:font-weight="bold"/>
             </style:style>
             <text:list-style style:name="Bullets">
              <text:list-level-style-bullet text:level="1" text:bullet-char="•">
               <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
                <style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.5cm" fo:margin-left="1cm"/>
               </style:list-level-properties>
              </text:list-level-style-bullet>
             </text:list-style>
             <text:list-style style:name="Checklist">
              <text:list-level-style-bullet text:level="1" text:bullet-char="☐">
               <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
                <style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.6cm" fo:margin-left="1.1cm"/>
               </style:list-level-properties>
              </text:list-level-style-bullet>
             </text:list-style>
            </office:styles>
            <office:automatic-styles>
             <style:page-layout style:name="A4">
              <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2cm"/>
             </style:page-layout>
            </office:automatic-styles>
            <office:master-styles>
             <style:master-page style:name="Standard" style:page-layout-name="A4"/>
            </office:master-styles>
            </office:document-styles>
            """
    }

    static func meta(title: String, author: String, created: Date) -> String {
        let stamp = String(TimeFormat.utc(created).prefix(19))
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-meta \(namespaces)>
            <office:meta>
             <meta:generator>temoin/\(Temoin.version)</meta:generator>
             <dc:title>\(Markup.escape(title))</dc:title>
             <meta:initial-creator>\(Markup.escape(author))</meta:initial-creator>
             <meta:creation-date>\(stamp)</meta:creation-date>
            </office:meta>
            </office:document-meta>
            """
    }
}
