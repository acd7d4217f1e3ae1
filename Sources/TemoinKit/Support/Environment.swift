import Foundation

enum EnvironmentProbe {
    /// Operating system and kernel, e.g. "Debian GNU/Linux 12 (bookworm); Linux 6.1.0": no host or user name.
    static var operatingSystem: String {
        var name = "unknown"
        if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
            for line in release.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
                name = String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(
                    in: CharacterSet(charactersIn: "\""))
            }
        }
        var info = utsname()
        uname(&info)
        let kernel = withUnsafeBytes(of: &info.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let version = withUnsafeBytes(of: &info.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return "\(name); \(kernel) \(version)"
    }

    /// The proxy libcurl will use for `url`, from the usual variables, without credentials.
    static func proxy(for url: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let https = url.lowercased().hasPrefix("https")
        let names =
            https
            ? ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] : ["http_proxy", "all_proxy", "ALL_PROXY"]
        guard let value = names.compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) else { return "none" }
        if let host = URL(string: url)?.host, let noProxy = environment["no_proxy"] ?? environment["NO_PROXY"] {
            let excluded = noProxy.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if excluded.contains("*") || excluded.contains(where: { !$0.isEmpty && host.hasSuffix($0) }) {
                return "none"
            }
        }
        guard var c = URLComponents(string: value.contains("://") ? value : "http://" + value) else { return "set" }
        c.user = nil
        c.password = nil
        return c.string ?? "set"
    }
}
