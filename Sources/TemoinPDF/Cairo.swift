// The dossier's drawing layer: cairo, pango and gdk-pixbuf behind a small Swift API, so TemoinKit never
// touches a C drawing pointer and another renderer (another platform) can take this module's place.
import CPangoCairo
import Foundation

/// A surface cairo could not create or write (a full disk, a folder that is not writable).
package struct PDFSurfaceError: Error, Sendable, Equatable {
    /// The file (or "svg" for an in-memory chart).
    package let path: String
    /// cairo's own words for the failure.
    package let detail: String
}

/// A cairo drawing context on some surface (PDF page, SVG chart). Owns both C pointers.
package final class CairoCanvas {
    fileprivate let surface: OpaquePointer
    let cr: OpaquePointer
    /// Bytes written by a stream surface (SVG), collected here.
    fileprivate let sink: ByteSink?

    /// A PDF file at `path`, A4 portrait.
    package init(pdfAt path: String) throws {
        surface = cairo_pdf_surface_create(path, PageGeometry.width, PageGeometry.height)
        sink = nil
        cr = cairo_create(surface)
        try check(path: path)
    }

    /// An SVG document of `width` x `height` points, kept in memory (charts of dossier.html).
    package init(svgWidth width: Double, height: Double) throws {
        let sink = ByteSink()
        self.sink = sink
        surface = cairo_svg_surface_create_for_stream(
            { context, data, length in
                guard let context, let data else { return CAIRO_STATUS_WRITE_ERROR }
                Unmanaged<ByteSink>.fromOpaque(context).takeUnretainedValue().bytes.append(data, count: Int(length))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque(), width, height)
        cr = cairo_create(surface)
        try check(path: "svg")
    }

    private func check(path: String) throws {
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS, cairo_status(cr) == CAIRO_STATUS_SUCCESS else {
            throw PDFSurfaceError(path: path, detail: String(cString: cairo_status_to_string(status)))
        }
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// `creator` names the program; `created` is the PDF creation date as "YYYY-MM-DDTHH:MM:SSZ".
    package func setMetadata(
        title: String, author: String, subject: String, keywords: String, creator: String, created: String
    ) {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, author)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, subject)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, keywords)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, creator)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, created)
    }

    /// A bookmark to `page` (1-based) at height `y`; returns its id for children.
    @discardableResult
    package func addOutline(parent: Int32, title: String, page: Int, y: Double) -> Int32 {
        let link = String(format: "page=%d pos=[%.1f %.1f]", page, PageGeometry.marginLeft, max(0, y - 6))
        let flags = parent == 0 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : cairo_pdf_outline_flags_t(rawValue: 0)
        return cairo_pdf_surface_add_outline(surface, parent, title, link, flags)
    }

    package func showPage() { cairo_show_page(cr) }

    /// Writes everything out; a full disk or a closed file shows here.
    package func finish(path: String) throws {
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PDFSurfaceError(path: path, detail: String(cString: cairo_status_to_string(status)))
        }
    }

    /// The SVG text (stream surfaces only), after `finish`.
    package func svgText() -> String {
        cairo_surface_finish(surface)
        return String(decoding: sink?.bytes ?? Data(), as: UTF8.self)
    }

    // MARK: drawing

    package func setColor(_ c: RGB, alpha: Double = 1) { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha) }

    package func fillRect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ color: RGB) {
        setColor(color)
        cairo_rectangle(cr, x, y, w, h)
        cairo_fill(cr)
    }

    package func strokeRect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ color: RGB, width: Double = 0.5) {
        setColor(color)
        cairo_set_line_width(cr, width)
        cairo_rectangle(cr, x, y, w, h)
        cairo_stroke(cr)
    }

    package func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ color: RGB, width: Double = 0.5) {
        setColor(color)
        cairo_set_line_width(cr, width)
        cairo_move_to(cr, x1, y1)
        cairo_line_to(cr, x2, y2)
        cairo_stroke(cr)
    }

    /// Draws a PNG scaled into the box, keeping its proportions; returns the height used.
    package func drawPNG(_ image: PNGImage, x: Double, y: Double, width: Double, maxHeight: Double) -> Double {
        let (w, h) = image.fittedSize(width: width, maxHeight: maxHeight)
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, w / Double(image.width), h / Double(image.height))
        cairo_set_source_surface(cr, image.surface, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)
        strokeRect(x, y, w, h, RGB(0.6, 0.6, 0.6))
        return h
    }

    /// Draws the rows `rows` (image pixels) of a PNG at `scale` points per pixel, its top at x, y: one
    /// slice of a page image too tall for one PDF page.
    package func drawPNGSlice(_ image: PNGImage, rows: Range<Int>, x: Double, y: Double, scale: Double) {
        let w = Double(image.width) * scale
        let h = Double(rows.count) * scale
        cairo_save(cr)
        cairo_rectangle(cr, x, y, w, h)
        cairo_clip(cr)
        cairo_translate(cr, x, y - Double(rows.lowerBound) * scale)
        cairo_scale(cr, scale, scale)
        cairo_set_source_surface(cr, image.surface, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)
        strokeRect(x, y, w, h, RGB(0.6, 0.6, 0.6))
    }
}

/// Collects a stream surface's output.
package final class ByteSink {
    package var bytes = Data()
}

/// A PNG decoded by cairo (screenshots of witnessed attempts).
package final class PNGImage {
    fileprivate let surface: OpaquePointer
    package let width: Int
    package let height: Int

    /// Nil when the bytes are not a PNG cairo can read.
    package init?(data: Data) {
        final class Reader {
            package let data: Data
            package var offset = 0
            package init(_ data: Data) { self.data = data }
        }
        let reader = Reader(data)
        let s = withExtendedLifetime(reader) {
            cairo_image_surface_create_from_png_stream(
                { context, buffer, length in
                    guard let context, let buffer else { return CAIRO_STATUS_READ_ERROR }
                    let r = Unmanaged<Reader>.fromOpaque(context).takeUnretainedValue()
                    let n = Int(length)
                    guard r.offset + n <= r.data.count else { return CAIRO_STATUS_READ_ERROR }
                    r.data.copyBytes(to: buffer, from: r.offset..<(r.offset + n))
                    r.offset += n
                    return CAIRO_STATUS_SUCCESS
                }, Unmanaged.passUnretained(reader).toOpaque())
        }
        guard let s, cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
            if let s { cairo_surface_destroy(s) }
            return nil
        }
        surface = s
        width = Int(cairo_image_surface_get_width(s))
        height = Int(cairo_image_surface_get_height(s))
        guard width > 0, height > 0 else { return nil }
    }

    deinit { cairo_surface_destroy(surface) }

    package func fittedSize(width maxWidth: Double, maxHeight: Double) -> (Double, Double) {
        // Screenshots are in CSS pixels (96 per inch): never drawn larger than 0.75 pt per pixel.
        let scale = min(maxWidth / Double(width), maxHeight / Double(height), 0.75)
        return (Double(width) * scale, Double(height) * scale)
    }
}

package struct RGB: Sendable, Equatable {
    package var r: Double
    package var g: Double
    package var b: Double
    package init(_ r: Double, _ g: Double, _ b: Double) {
        self.r = r
        self.g = g
        self.b = b
    }
    package var hex: String { String(format: "#%02x%02x%02x", Int(r * 255), Int(g * 255), Int(b * 255)) }
}

/// A4 portrait in PostScript points, with the margins every page shares.
package enum PageGeometry {
    package static let width = 595.2756
    package static let height = 841.8898
    package static let marginLeft = 56.7
    package static let marginRight = 56.7
    package static let marginTop = 72.0
    package static let marginBottom = 62.0
    package static var contentWidth: Double { width - marginLeft - marginRight }
    package static var contentBottom: Double { height - marginBottom }
}

/// How a piece of text is set: a Pango font description plus colour and alignment.
package struct TextStyle: Sendable, Hashable {
    package var font: String
    package var color: RGB = RGB(0, 0, 0)
    package var alignment: Alignment = .left
    /// Extra space after a paragraph, in points.
    package var spaceAfter: Double = 0
    /// One line only, ended by « … » when too long (running headers and footers).
    package var singleLine = false
    /// Baseline-to-baseline distance as a factor of the font's own line height (0: the font's, about
    /// 1.16 em for DejaVu). Below 1 sets lines closer: a page that must hold on one page.
    package var lineSpacing = 0.0

    package enum Alignment: Sendable, Hashable { case left, center, right, justify }

    package init(
        font: String, color: RGB = RGB(0, 0, 0), alignment: Alignment = .left, spaceAfter: Double = 0,
        singleLine: Bool = false, lineSpacing: Double = 0
    ) {
        self.font = font
        self.color = color
        self.alignment = alignment
        self.spaceAfter = spaceAfter
        self.singleLine = singleLine
        self.lineSpacing = lineSpacing
    }
}

extension RGB: Hashable {}

/// One Pango layout, reused for every text of one style (setting new text is far cheaper than a new
/// layout, and the dossier sets tens of thousands of table cells).
package final class TextLayout {
    private let layout: OpaquePointer
    private let fontDescription: OpaquePointer
    package let style: TextStyle

    package init(canvas: CairoCanvas, style: TextStyle) {
        layout = pango_cairo_create_layout(canvas.cr)
        // Points are points: Pango's default of 96 dpi would set « 10 » as 13.3 pt on a PDF page.
        pango_cairo_context_set_resolution(pango_layout_get_context(layout), 72)
        pango_layout_context_changed(layout)
        fontDescription = pango_font_description_from_string(style.font)
        self.style = style
        pango_layout_set_font_description(layout, fontDescription)
        // Words are broken only when one alone is wider than the line (a URL, a hash in a cell).
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        if style.singleLine { pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END) }
        if style.lineSpacing > 0 { pango_layout_set_line_spacing(layout, Float(style.lineSpacing)) }
        switch style.alignment {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        case .justify:
            pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
            pango_layout_set_justify(layout, 1)
        }
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(layout))
        pango_font_description_free(fontDescription)
    }

    /// Sets Pango markup (already validated) wrapped at `width` points. No hyphen is ever added where a
    /// line breaks inside a word: a hash, a URL, a number or a code must read exactly as it is (Pango
    /// otherwise inserts one, « f1ac-eca5 »).
    package func set(markup: String, width: Double) {
        pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
        pango_layout_set_markup(layout, markup, -1)
        let list = pango_layout_get_attributes(layout).map { pango_attr_list_copy($0) } ?? pango_attr_list_new()
        pango_attr_list_insert(list, pango_attr_insert_hyphens_new(0))
        if let text = pango_layout_get_text(layout) {
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: strlen(text))
            for range in Self.unbreakableHyphens(bytes) {
                let attribute = pango_attr_allow_breaks_new(0)!
                attribute.pointee.start_index = guint(range.lowerBound)
                attribute.pointee.end_index = guint(range.upperBound)
                pango_attr_list_insert(list, attribute)
            }
        }
        pango_layout_set_attributes(layout, list)
        pango_attr_list_unref(list)
    }

    /// The byte ranges (UTF-8) of each `-` inside an address (a word holding `.` or `/` between two
    /// characters, as a host or URL does) together with the character after it. Pango may break a line
    /// after a hyphen; inside « val-de-marne.test » a reader (and pdftotext) would take that hyphen for
    /// one added at the break and drop it, so no line breaks there; elsewhere in a long address it may.
    package static func unbreakableHyphens(_ text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
        while start < text.count {
            var end = start
            while end < text.count, !isSpace(text[end]) { end += 1 }
            let word = start..<end
            let isAddress = word.dropFirst().dropLast().contains {
                text[$0] == UInt8(ascii: ".") || text[$0] == UInt8(ascii: "/")
            }
            if isAddress {
                for i in word where text[i] == UInt8(ascii: "-") && i + 1 < end {
                    var next = i + 2  // past the character after the hyphen, whole (UTF-8 continuation bytes)
                    while next < end, text[next] & 0xC0 == 0x80 { next += 1 }
                    ranges.append(i..<next)
                }
            }
            start = end + 1
        }
        return ranges
    }

    /// The text of each line as Pango broke it (for tests of where lines break).
    package var lines: [String] {
        guard let text = pango_layout_get_text(layout) else { return [] }
        let bytes = UnsafeBufferPointer(
            start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: strlen(text))
        return (0..<pango_layout_get_line_count(layout)).compactMap { i in
            guard let line = pango_layout_get_line_readonly(layout, i)?.pointee else { return nil }
            let start = Int(line.start_index)
            return String(decoding: bytes[start..<min(bytes.count, start + Int(line.length))], as: UTF8.self)
        }
    }

    package var height: Double {
        var w: Int32 = 0
        var h: Int32 = 0
        pango_layout_get_size(layout, &w, &h)
        return Double(h) / Double(PANGO_SCALE)
    }

    package var naturalWidth: Double {
        var w: Int32 = 0
        var h: Int32 = 0
        pango_layout_get_size(layout, &w, &h)
        return Double(w) / Double(PANGO_SCALE)
    }

    /// The top and bottom of each line, from the layout's top, in points.
    package func lineExtents() -> [(top: Double, bottom: Double)] {
        var out: [(Double, Double)] = []
        guard let iter = pango_layout_get_iter(layout) else { return out }
        defer { pango_layout_iter_free(iter) }
        repeat {
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(iter, nil, &logical)
            let top = Double(logical.y) / Double(PANGO_SCALE)
            out.append((top, top + Double(logical.height) / Double(PANGO_SCALE)))
        } while pango_layout_iter_next_line(iter) != 0
        return out
    }

    /// Draws the whole layout, or only `lines`, with its top-left corner (of the first drawn line) at x, y.
    package func draw(on canvas: CairoCanvas, x: Double, y: Double, lines: Range<Int>? = nil) {
        canvas.setColor(style.color)
        guard let lines else {
            cairo_move_to(canvas.cr, x, y)
            pango_cairo_show_layout(canvas.cr, layout)
            return
        }
        guard let iter = pango_layout_get_iter(layout) else { return }
        defer { pango_layout_iter_free(iter) }
        var index = 0
        var firstTop: Double?
        repeat {
            if lines.contains(index) {
                var logical = PangoRectangle()
                pango_layout_iter_get_line_extents(iter, nil, &logical)
                let top = Double(logical.y) / Double(PANGO_SCALE)
                if firstTop == nil { firstTop = top }
                let baseline = Double(pango_layout_iter_get_baseline(iter)) / Double(PANGO_SCALE)
                let lineX = Double(logical.x) / Double(PANGO_SCALE)
                cairo_move_to(canvas.cr, x + lineX, y + baseline - (firstTop ?? 0))
                pango_cairo_show_layout_line(canvas.cr, pango_layout_iter_get_line_readonly(iter))
            }
            index += 1
        } while index < lines.upperBound && pango_layout_iter_next_line(iter) != 0
    }
}

/// Pango markup coming from templates is checked before use, so a typo in an association's template
/// gives a message naming it instead of an empty paragraph.
package enum Markup {
    package static func isValid(_ markup: String) -> Bool {
        var error: UnsafeMutablePointer<GError>?
        let ok = pango_parse_markup(markup, -1, 0, nil, nil, nil, &error)
        if let error { g_error_free(error) }
        return ok != 0
    }

    /// Escapes text for Pango markup (and HTML and XML: the same five entities), one Unicode scalar at a
    /// time: a `<` or `&` followed by a combining mark is escaped like any other (Swift and Mustache
    /// see one grapheme there). Scalars XML forbids (controls, U+FFFE, U+FFFF) become spaces or U+FFFD.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline are not allowed in markup.
                if ch.value < 0x20 && ch != "\n" && ch != "\t" || ch.value == 0x7F {
                    out += " "
                } else if ch.value == 0xFFFE || ch.value == 0xFFFF || (0xFDD0...0xFDEF).contains(ch.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }
}
