import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress bar on standard error for long work (verifying a large store, waiting in `watch`,
/// writing a dossier). It draws only when standard error is a terminal and the command is not
/// printing JSON, so scripts, pipes and log files never see it. Named `ProgressReporter`, not
/// `Progress`, so that it never shadows `Foundation.Progress` in files importing both.
///
/// Thread-safe: `update` may be called from any thread (the verifier calls it from its reading thread).
package final class ProgressReporter: Sendable {
    /// How `done` and `total` are shown after the bar.
    package enum Unit: Sendable, Equatable {
        /// "12.3 MB / 27.0 MB"
        case bytes
        /// "1 204 / 5 000"
        case items
        /// Seconds of a wait: shows the time left, "1 h 12 min".
        case countdown
    }

    package let label: String
    package let unit: Unit
    /// False when standard error is not a terminal or the output is JSON: every call is then a no-op.
    package let isEnabled: Bool
    private let write: @Sendable (String) -> Void
    private let columns: Int

    private struct State {
        var lastLine = ""
        var lastDraw: ContinuousClock.Instant?
        var shown = false
    }
    private let state = Mutex(State())

    /// - Parameters:
    ///   - enabled: whether to draw at all; see `shouldShow(json:)`.
    ///   - columns: the terminal's width (default: asked of standard error, else 80).
    ///   - write: where the text goes (default: standard error, unbuffered).
    package init(
        label: String, unit: Unit = .items, enabled: Bool, columns: Int? = nil,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.label = label
        self.unit = unit
        self.isEnabled = enabled
        self.columns = columns ?? ProgressReporter.terminalColumns() ?? 80
        self.write = write
    }

    /// A reporter that draws on standard error when `shouldShow(json:)` says so.
    package static func standardError(label: String, unit: Unit = .items, json: Bool) -> ProgressReporter {
        ProgressReporter(label: label, unit: unit, enabled: shouldShow(json: json))
    }

    /// Bars are for people: only when standard error is a terminal (not piped, not a file), the
    /// terminal is not "dumb", and the command is not printing JSON.
    package static func shouldShow(
        json: Bool, stderrIsTerminal: Bool = isatty(STDERR_FILENO) == 1,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Bool {
        !json && stderrIsTerminal && environment["TERM"] != "dumb"
    }

    /// Reports `done` out of `total`. Redraws at most ten times a second, and only when the line changes.
    package func update(done: Int64, total: Int64) {
        guard isEnabled else { return }
        let line = Self.render(label: label, done: done, total: total, unit: unit, columns: columns)
        let now = ContinuousClock.now
        let text: String? = state.withLock { s in
            if line == s.lastLine { return nil }
            if done < total, let last = s.lastDraw, now - last < .milliseconds(100) { return nil }
            s.lastLine = line
            s.lastDraw = now
            s.shown = true
            return "\r" + line + "\u{1B}[K"
        }
        if let text { write(text) }
    }

    /// Erases the bar, leaving the terminal as it was for what the command prints next.
    package func finish() {
        guard isEnabled else { return }
        let erase = state.withLock { s in
            defer { s = State() }
            return s.shown
        }
        if erase { write("\r\u{1B}[K") }
    }

    /// The bar as drawn, without control characters: `label  [█████░░░░░]  45 %  12.3 MB / 27.0 MB`.
    /// The bar takes what is left of `columns` (between 10 and 40 cells).
    package static func render(label: String, done: Int64, total: Int64, unit: Unit, columns: Int) -> String {
        let fraction = total > 0 ? min(1, max(0, Double(done) / Double(total))) : 0
        let percent = "\(Int((fraction * 100).rounded(.down))) %"
        let detail: String
        switch unit {
        case .bytes: detail = "\(ByteCount.format(max(0, done))) / \(ByteCount.format(max(0, total)))"
        case .items: detail = "\(grouped(done)) / \(grouped(total))"
        case .countdown: detail = duration(max(0, total - done))
        }
        let fixed = label.count + 2 + 2 + 2 + percent.count + 2 + detail.count
        let cells = max(10, min(40, columns - 1 - fixed))
        let filled = Int((fraction * Double(cells)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled)
        return "\(label)  [\(bar)]  \(percent)  \(detail)"
    }

    /// "1 h 05 min", "4 min 30 s", "12 s".
    package static func duration(_ seconds: Int64) -> String {
        let h = seconds / 3600
        let m = (seconds % 3600) / 60
        let s = seconds % 60
        if h > 0 { return String(format: "%lld h %02lld min", h, m) }
        if m > 0 { return String(format: "%lld min %02lld s", m, s) }
        return "\(s) s"
    }

    /// 1234567 as "1 234 567": a thin grouping both languages read.
    static func grouped(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(" ") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Width of the terminal on standard error, if it is one.
    static func terminalColumns() -> Int? {
        var size = winsize()
        let status = withUnsafeMutablePointer(to: &size) { ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), $0) }
        guard status == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
