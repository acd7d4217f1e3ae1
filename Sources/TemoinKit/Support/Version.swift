/// Identity of this build, written into every entry so a reader knows which tool produced it.
public enum Temoin {
    /// This build's version, as it names itself in what it writes (an attempt's `tool`, a report's `verifier`).
    public static let version = "0.1.0"
    /// The tool's name, `temoin`.
    public static let name = "temoin"
    /// Honest identification used wherever the tool speaks to a server.
    public static var userAgent: String { "\(name)/\(version) (+evidence of booking attempts; paced)" }
}
