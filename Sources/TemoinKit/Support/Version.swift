/// Identity of this build, written into every entry so a reader knows which tool produced it.
public enum Temoin {
    public static let version = "0.1.0"
    public static let name = "temoin"
    /// Honest identification used wherever the tool speaks to a server.
    public static var userAgent: String { "\(name)/\(version) (+evidence of booking attempts; paced)" }
}
