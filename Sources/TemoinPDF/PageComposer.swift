import CPangoCairo
import Foundation

/// Something drawn with cairo in a box: the charts. Drawn the same way on a PDF page and in SVG.
package protocol BoxDrawing {
    func draw(on canvas: CairoCanvas, x: Double, y: Double, width: Double, height: Double)
}

/// What a page holds: decided in the layout pass (which measures), drawn in the render pass (which knows
/// the page count for "page X / Y"). Items hold text, not Pango layouts, so a 400-page chronology does
/// not keep 40,000 layouts alive.
package enum DrawItem {
    case text(markup: String, style: TextStyle, x: Double, y: Double, width: Double, lines: Range<Int>?)
    case fill(x: Double, y: Double, width: Double, height: Double, color: RGB)
    case rule(x1: Double, y1: Double, x2: Double, y2: Double, color: RGB, width: Double)
    case box(BoxDrawing, x: Double, y: Double, width: Double, height: Double)
    case image(PNGImage, x: Double, y: Double, width: Double, maxHeight: Double)
    case imageSlice(PNGImage, rows: Range<Int>, x: Double, y: Double, scale: Double)
    case proofImage(ProofImage, x: Double, y: Double, scale: Double)
}

package struct ComposedPage {
    package var items: [DrawItem] = []
    /// Bookmarks that point into this page: level 1 or 2, title, height on the page.
    package var outlines: [(level: Int, title: String, y: Double)] = []
}

/// Lays blocks out on A4 pages: paragraphs split between lines, table rows never cut, the header row
/// repeated on every page a table spans.
package final class PageComposer {
    package let canvas: CairoCanvas
    private(set) var pages: [ComposedPage] = [ComposedPage()]
    private(set) var y = PageGeometry.marginTop
    /// Draws the current table's header row again at the top of a new page.
    private var tableHeader: (cells: [TableCell], widths: [Double], padding: Double)?

    package init(canvas: CairoCanvas) {
        self.canvas = canvas
    }

    private struct ShapedKey: Hashable {
        var markup: String
        var style: TextStyle
        var width: Double
    }
    private var shaped: [ShapedKey: TextLayout] = [:]

    /// A layout already set with this text, shared by the measuring and the drawing pass: a chronology
    /// repeats the same URL, message and outcome thousands of times, and shaping text is most of the
    /// dossier's cost, so each text is shaped once.
    package func shapedLayout(_ markup: String, style: TextStyle, width: Double) -> TextLayout {
        let key = ShapedKey(markup: markup, style: style, width: width)
        if let l = shaped[key] { return l }
        if shaped.count >= 4096 { shaped.removeAll(keepingCapacity: true) }
        let l = TextLayout(canvas: canvas, style: style)
        l.set(markup: markup, width: width)
        shaped[key] = l
        return l
    }

    package var pageNumber: Int { pages.count }
    package var remaining: Double { PageGeometry.contentBottom - y }
    package var atTopOfPage: Bool { y <= PageGeometry.marginTop + 0.5 }

    package func newPage() {
        pages.append(ComposedPage())
        y = PageGeometry.marginTop
        if let header = tableHeader {
            drawRow(header.cells, widths: header.widths, header: true, padding: header.padding)
        }
    }

    /// Starts a new page unless `height` still fits on this one.
    package func ensure(_ height: Double) {
        if height > remaining && !atTopOfPage { newPage() }
    }

    package func space(_ points: Double) {
        if atTopOfPage { return }
        y += points
    }

    private func add(_ item: DrawItem) { pages[pages.count - 1].items.append(item) }

    package func outline(level: Int, title: String) {
        pages[pages.count - 1].outlines.append((level, title, y))
    }

    /// A paragraph of Pango markup; split between lines at a page end. `keepWithNext` keeps that much
    /// room below it (headings never end a page).
    package func paragraph(
        _ markup: String, style: TextStyle, x: Double = PageGeometry.marginLeft,
        width: Double = PageGeometry.contentWidth, keepWithNext: Double = 0, background: RGB? = nil
    ) {
        let l = shapedLayout(markup, style: style, width: width)
        let height = l.height
        if height + keepWithNext <= remaining || atTopOfPage && height <= remaining {
            if let background {
                add(.fill(x: x - 3, y: y - 2, width: width + 6, height: height + 4, color: background))
            }
            add(.text(markup: markup, style: style, x: x, y: y, width: width, lines: nil))
            y += height + style.spaceAfter
            return
        }
        // Too tall for what is left: fill the page line by line, then continue on the next ones.
        let lines = l.lineExtents()
        if keepWithNext > 0 || lines.count < 2 {
            newPage()
            paragraph(markup, style: style, x: x, width: width, keepWithNext: 0, background: background)
            return
        }
        var start = 0
        while start < lines.count {
            var end = start
            let top = lines[start].top
            while end < lines.count && lines[end].bottom - top <= remaining { end += 1 }
            if end == start {
                if atTopOfPage {
                    end = start + 1
                } else {
                    newPage()
                    continue
                }
            }
            let h = lines[end - 1].bottom - top
            if let background { add(.fill(x: x - 3, y: y - 2, width: width + 6, height: h + 4, color: background)) }
            add(.text(markup: markup, style: style, x: x, y: y, width: width, lines: start..<end))
            y += h
            start = end
            if start < lines.count { newPage() }
        }
        y += style.spaceAfter
    }

    /// A horizontal rule across the content width.
    package func rule(color: RGB = RGB(0.75, 0.75, 0.75), width: Double = 0.5) {
        add(
            .rule(
                x1: PageGeometry.marginLeft, y1: y, x2: PageGeometry.width - PageGeometry.marginRight, y2: y,
                color: color, width: width))
        y += 4
    }

    package func box(_ drawing: BoxDrawing, height: Double) {
        ensure(height)
        add(.box(drawing, x: PageGeometry.marginLeft, y: y, width: PageGeometry.contentWidth, height: height))
        y += height
    }

    package func image(_ png: PNGImage, maxHeight: Double) {
        let (_, h) = png.fittedSize(width: PageGeometry.contentWidth, maxHeight: maxHeight)
        ensure(h + 4)
        add(.image(png, x: PageGeometry.marginLeft, y: y, width: PageGeometry.contentWidth, maxHeight: maxHeight))
        y += h + 6
    }

    /// A page image at the content width (never above 0.75 pt per pixel), cut across as many pages as it
    /// needs: a long page is shown whole, not shrunk to an unreadable strip.
    package func slicedImage(_ png: PNGImage) {
        let scale = min(PageGeometry.contentWidth / Double(png.width), 0.75)
        var row = 0
        if remaining < 120 { newPage() }
        while row < png.height {
            let available = remaining - 6
            let fit = max(1, Int(available / scale))
            let end = min(png.height, row + fit)
            add(.imageSlice(png, rows: row..<end, x: PageGeometry.marginLeft, y: y, scale: scale))
            y += Double(end - row) * scale + 8
            row = end
            if row < png.height { newPage() }
        }
    }

    /// A step's photo or scan, whole on one page: below what is above it when it fits at a readable
    /// size, else on a page of its own; never drawn above 96 dpi (0.75 pt per pixel), never cut.
    package func proofImage(_ image: ProofImage) {
        let w = Double(image.displayWidth)
        let h = Double(image.displayHeight)
        func scale(for height: Double) -> Double { min(PageGeometry.contentWidth / w, height / h, 0.75) }
        let fullPage = PageGeometry.contentBottom - PageGeometry.marginTop - 4
        // Below the caption when that keeps at least two thirds of the size a page of its own would give.
        if scale(for: remaining - 4) < scale(for: fullPage) * 2 / 3 { newPage() }
        let s = scale(for: remaining - 4)
        let x = PageGeometry.marginLeft + (PageGeometry.contentWidth - w * s) / 2
        add(.proofImage(image, x: x, y: y, scale: s))
        y += h * s + 6
    }

    // MARK: tables

    package struct TableCell {
        package var markup: String
        package var style: TextStyle

        package init(markup: String, style: TextStyle) {
            self.markup = markup
            self.style = style
        }
    }

    package static let cellPadding = 3.0

    /// Starts a table: its header row now, and again at the top of every page it runs onto. The header
    /// never ends a page alone: it starts where `firstRow` fits below it.
    package func beginTable(
        header: [TableCell], widths: [Double], padding: Double = cellPadding, firstRow: [TableCell]? = nil
    ) {
        let first = firstRow.map { rowHeight($0, widths: widths, padding: padding) } ?? 0
        ensure(max(40, rowHeight(header, widths: widths, padding: padding) + first))
        tableHeader = (header, widths, padding)
        drawRow(header, widths: widths, header: true, padding: padding)
    }

    package func endTable(spaceAfter: Double = 6) {
        tableHeader = nil
        y += spaceAfter
    }

    /// One row, kept whole: a row that does not fit goes to the next page.
    package func row(
        _ cells: [TableCell], widths: [Double], shaded: Bool = false, ruled: Bool = true, padding: Double = cellPadding
    ) {
        let h = rowHeight(cells, widths: widths, padding: padding)
        if h > remaining { newPage() }
        drawRow(cells, widths: widths, header: false, shaded: shaded, ruled: ruled, height: h, padding: padding)
    }

    package func rowHeight(_ cells: [TableCell], widths: [Double], padding: Double = cellPadding) -> Double {
        var h = 0.0
        for (cell, w) in zip(cells, widths) {
            h = max(h, shapedLayout(cell.markup, style: cell.style, width: w - 2 * padding).height)
        }
        return h + 2 * padding
    }

    private func drawRow(
        _ cells: [TableCell], widths: [Double], header: Bool, shaded: Bool = false, ruled: Bool = true,
        height: Double? = nil, padding: Double = cellPadding
    ) {
        let h = height ?? rowHeight(cells, widths: widths, padding: padding)
        let total = widths.reduce(0, +)
        if header {
            add(.fill(x: PageGeometry.marginLeft, y: y, width: total, height: h, color: RGB(0.86, 0.89, 0.94)))
        } else if shaded {
            add(.fill(x: PageGeometry.marginLeft, y: y, width: total, height: h, color: RGB(0.96, 0.96, 0.97)))
        }
        var x = PageGeometry.marginLeft
        for (cell, w) in zip(cells, widths) {
            add(
                .text(
                    markup: cell.markup, style: cell.style, x: x + padding, y: y + padding,
                    width: w - 2 * padding, lines: nil))
            x += w
        }
        if ruled {
            add(
                .rule(
                    x1: PageGeometry.marginLeft, y1: y + h, x2: PageGeometry.marginLeft + total, y2: y + h,
                    color: RGB(0.78, 0.78, 0.8), width: header ? 0.8 : 0.3))
        }
        y += h
    }

    // MARK: render

    /// Draws every page with its running header and footer, then the bookmarks. `decorate` gets the
    /// page number and count and returns the header's and footer's markup.
    package func render(decorate: (Int, Int) -> (headerLeft: String, headerRight: String, footer: String)) {
        // Headers and footers hold one line each: a long name is ended by « … », never wrapped onto the rule.
        let small = TextStyle(font: "DejaVu Sans 8.5", color: RGB(0.35, 0.35, 0.4), singleLine: true)
        let smallRight = TextStyle(
            font: "DejaVu Sans 8.5", color: RGB(0.35, 0.35, 0.4), alignment: .right, singleLine: true)
        let smallCenter = TextStyle(
            font: "DejaVu Sans 8.5", color: RGB(0.35, 0.35, 0.4), alignment: .center, singleLine: true)
        var parents: [Int32] = [0, 0, 0]
        for (index, page) in pages.enumerated() {
            let (left, right, footer) = decorate(index + 1, pages.count)
            let w = PageGeometry.contentWidth
            draw(.text(markup: left, style: small, x: PageGeometry.marginLeft, y: 38, width: w * 0.80, lines: nil))
            draw(
                .text(
                    markup: right, style: smallRight, x: PageGeometry.marginLeft + w * 0.81, y: 38,
                    width: w * 0.19, lines: nil))
            draw(
                .rule(
                    x1: PageGeometry.marginLeft, y1: 52, x2: PageGeometry.width - PageGeometry.marginRight, y2: 52,
                    color: RGB(0.6, 0.6, 0.65), width: 0.5))
            draw(
                .text(
                    markup: footer, style: smallCenter, x: PageGeometry.marginLeft,
                    y: PageGeometry.height - 40, width: w, lines: nil))
            for item in page.items { draw(item) }
            for mark in page.outlines {
                let level = min(max(mark.level, 1), 3)
                let id = canvas.addOutline(parent: parents[level - 1], title: mark.title, page: index + 1, y: mark.y)
                if level < 3 { parents[level] = id }
                if level == 1 { parents[2] = id }
            }
            canvas.showPage()
        }
    }

    private func draw(_ item: DrawItem) {
        switch item {
        case .text(let markup, let style, let x, let y, let width, let lines):
            shapedLayout(markup, style: style, width: width).draw(on: canvas, x: x, y: y, lines: lines)
        case .fill(let x, let y, let w, let h, let color):
            canvas.fillRect(x, y, w, h, color)
        case .rule(let x1, let y1, let x2, let y2, let color, let width):
            canvas.line(x1, y1, x2, y2, color, width: width)
        case .box(let drawing, let x, let y, let w, let h):
            cairo_save(canvas.cr)
            drawing.draw(on: canvas, x: x, y: y, width: w, height: h)
            cairo_restore(canvas.cr)
        case .image(let png, let x, let y, let w, let maxH):
            _ = canvas.drawPNG(png, x: x, y: y, width: w, maxHeight: maxH)
        case .imageSlice(let png, let rows, let x, let y, let scale):
            canvas.drawPNGSlice(png, rows: rows, x: x, y: y, scale: scale)
        case .proofImage(let image, let x, let y, let scale):
            image.draw(on: canvas, x: x, y: y, scale: scale)
        }
    }
}
