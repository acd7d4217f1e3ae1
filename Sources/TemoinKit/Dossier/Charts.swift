import Foundation
import TemoinPDF

/// One colour per outcome, the same in both charts, the PDF and the HTML.
enum OutcomePalette {
    static let order: [Outcome] = [.noSlot, .siteError, .unreachable, .captcha, .unexpected, .slotAvailable]

    static func color(_ outcome: Outcome) -> RGB {
        switch outcome {
        case .noSlot: return RGB(0.80, 0.32, 0.30)
        case .siteError: return RGB(0.93, 0.60, 0.20)
        case .unreachable: return RGB(0.52, 0.52, 0.55)
        case .captcha: return RGB(0.55, 0.45, 0.76)
        case .unexpected: return RGB(0.42, 0.60, 0.80)
        case .slotAvailable: return RGB(0.22, 0.60, 0.33)
        }
    }
}

/// Small helper: a line of text drawn with Pango at a point (charts' labels); returns its width.
@discardableResult
private func label(
    _ canvas: CairoCanvas, _ text: String, x: Double, y: Double, size: Double = 8.5, align: TextStyle.Alignment = .left,
    width: Double = 200, color: RGB = RGB(0.25, 0.25, 0.3)
) -> Double {
    let layout = TextLayout(
        canvas: canvas, style: TextStyle(font: "DejaVu Sans \(size)", color: color, alignment: align))
    layout.set(markup: Markup.escape(text), width: width)
    let dx: Double
    switch align {
    case .center: dx = -width / 2
    case .right: dx = -width
    default: dx = 0
    }
    layout.draw(on: canvas, x: x + dx, y: y)
    return layout.naturalWidth
}

/// Attempts per day, stacked by outcome; days without attempts stay visible as gaps.
struct PerDayChart: BoxDrawing {
    var days: [(day: String, counts: [Outcome: Int])]
    var labels: (Outcome) -> String
    var title: String
    var dayFormat: (String) -> String

    func draw(on canvas: CairoCanvas, x: Double, y: Double, width: Double, height: Double) {
        label(canvas, title, x: x, y: y, size: 10, width: width, color: RGB(0.1, 0.1, 0.15))
        let left = x + 28
        let plotWidth = width - 32
        // The legend is laid out first: its entries wrap onto as many rows as they need, inside the box.
        let rows = legendRows(canvas, width: plotWidth)
        let legendHeight = 11.0 * Double(rows.count) + 3
        let top = y + 18
        let bottom = y + height - 26 - legendHeight
        let maxCount = max(1, days.map { $0.counts.values.reduce(0, +) }.max() ?? 1)
        let step = niceStep(maxCount)
        let yMax = Double(((maxCount + step - 1) / step) * step)
        // Grid and y axis.
        var v = 0
        while Double(v) <= yMax {
            let yy = bottom - (bottom - top) * Double(v) / yMax
            canvas.line(left, yy, left + plotWidth, yy, RGB(0.88, 0.88, 0.9), width: 0.4)
            label(canvas, String(v), x: left - 4, y: yy - 5, size: 7.5, align: .right, width: 30)
            v += step
        }
        guard !days.isEmpty else { return }
        let slot = plotWidth / Double(days.count)
        let bar = max(0.6, slot * 0.78)
        for (i, d) in days.enumerated() {
            var base = bottom
            for outcome in OutcomePalette.order {
                guard let n = d.counts[outcome], n > 0 else { continue }
                let h = (bottom - top) * Double(n) / yMax
                canvas.fillRect(
                    left + Double(i) * slot + (slot - bar) / 2, base - h, bar, h, OutcomePalette.color(outcome))
                base -= h
            }
        }
        canvas.line(left, bottom, left + plotWidth, bottom, RGB(0.3, 0.3, 0.35), width: 0.6)
        // About eight date labels, whatever the length of the period.
        let every = max(1, Int((Double(days.count) / 8).rounded(.up)))
        for i in stride(from: 0, to: days.count, by: every) {
            let cx = left + (Double(i) + 0.5) * slot
            canvas.line(cx, bottom, cx, bottom + 2.5, RGB(0.3, 0.3, 0.35), width: 0.5)
            // A label centred on the last bar must not run past the right margin.
            let labelX = min(max(cx, left + 14), left + plotWidth - 14)
            label(canvas, dayFormat(days[i].day), x: labelX, y: bottom + 4, size: 7.5, align: .center, width: 60)
        }
        for (r, row) in rows.enumerated() {
            let ly = y + height - legendHeight + 3 + 11 * Double(r)
            for entry in row {
                canvas.fillRect(left + entry.x, ly + 2, 7, 7, OutcomePalette.color(entry.outcome))
                label(canvas, labels(entry.outcome), x: left + entry.x + 10, y: ly, size: 8, width: entry.width + 4)
            }
        }
    }

    /// The legend's entries placed on rows no wider than `width`: (outcome, x from the left, text width).
    private func legendRows(_ canvas: CairoCanvas, width: Double) -> [[(outcome: Outcome, x: Double, width: Double)]] {
        let present = OutcomePalette.order.filter { o in days.contains { ($0.counts[o] ?? 0) > 0 } }
        var rows: [[(outcome: Outcome, x: Double, width: Double)]] = [[]]
        var cx = 0.0
        let measure = TextLayout(canvas: canvas, style: TextStyle(font: "DejaVu Sans 8"))
        for outcome in present {
            measure.set(markup: Markup.escape(labels(outcome)), width: width - 10)
            let w = measure.naturalWidth
            if cx > 0, cx + 10 + w > width {
                rows.append([])
                cx = 0
            }
            rows[rows.count - 1].append((outcome, cx, w))
            cx += 10 + w + 14
        }
        return rows
    }

    private func niceStep(_ maxCount: Int) -> Int {
        for s in [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] where maxCount / s <= 6 { return s }
        return 2000
    }
}

/// Attempts by weekday and hour of the day (Paris): shows that attempts cover the hours and days a court
/// expects, not one habit.
struct HeatMapChart: BoxDrawing {
    var grid: [[Int]]
    var weekdays: [String]
    var title: String
    var legendText: String

    func draw(on canvas: CairoCanvas, x: Double, y: Double, width: Double, height: Double) {
        label(canvas, title, x: x, y: y, size: 10, width: width, color: RGB(0.1, 0.1, 0.15))
        let left = x + 52
        let top = y + 18
        let cell = min((width - 56) / 24, (height - 44) / 7)
        let maxCount = max(1, grid.flatMap { $0 }.max() ?? 1)
        for (d, row) in grid.enumerated() {
            label(
                canvas, weekdays[safe: d] ?? "", x: left - 4, y: top + Double(d) * cell + cell / 2 - 5.5, size: 8,
                align: .right, width: 60)
            for (h, n) in row.enumerated() {
                let cx = left + Double(h) * cell
                let cy = top + Double(d) * cell
                if n == 0 {
                    canvas.fillRect(cx + 0.5, cy + 0.5, cell - 1, cell - 1, RGB(0.95, 0.95, 0.96))
                } else {
                    // Light to dark blue with the count; never white, so a single attempt shows.
                    let t = 0.25 + 0.75 * Double(n) / Double(maxCount)
                    canvas.fillRect(cx + 0.5, cy + 0.5, cell - 1, cell - 1, RGB(1 - 0.8 * t, 1 - 0.6 * t, 1 - 0.25 * t))
                    if cell >= 12 {
                        label(
                            canvas, String(n), x: cx + cell / 2, y: cy + cell / 2 - 4.5, size: 7, align: .center,
                            width: cell, color: t > 0.6 ? RGB(1, 1, 1) : RGB(0.1, 0.1, 0.2))
                    }
                }
            }
        }
        for h in stride(from: 0, to: 24, by: 2) {
            label(
                canvas, "\(h)\u{00A0}h", x: left + (Double(h) + 0.5) * cell, y: top + 7 * cell + 2, size: 7.5,
                align: .center,
                width: 30)
        }
        label(canvas, legendText, x: left, y: top + 7 * cell + 14, size: 8, width: width - 56)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
