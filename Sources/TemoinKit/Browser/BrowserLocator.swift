import Foundation

/// Finds a Chromium-based browser (Chrome, Chromium, Edge) the person already has.
package enum BrowserLocator {
    /// Names looked up in `PATH`, in order of preference.
    static let commandNames = [
        "google-chrome", "google-chrome-stable", "chromium", "chromium-browser", "microsoft-edge",
        "microsoft-edge-stable", "chrome",
    ]

    /// Usual install locations outside `PATH` (Linux packages, snaps, macOS applications).
    static func usualLocations(home: String) -> [String] {
        [
            "/opt/google/chrome/chrome", "/usr/lib/chromium/chromium", "/snap/bin/chromium",
            "/opt/microsoft/msedge/msedge",
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            "/Applications/Chromium.app/Contents/MacOS/Chromium",
            "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
            home + "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            home + "/Applications/Chromium.app/Contents/MacOS/Chromium",
        ]
    }

    /// The browser to use: `explicitPath` when given (it must be an executable file), else the first of
    /// ``commandNames`` found in `PATH`, else the first usual location that exists.
    package static func locate(
        explicitPath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        extraLocations: [String]? = nil
    ) throws -> String {
        let fm = FileManager.default
        if let explicitPath {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: explicitPath, isDirectory: &isDirectory), !isDirectory.boolValue,
                fm.isExecutableFile(atPath: explicitPath)
            {
                return explicitPath
            }
            throw TemoinError.browserNotFound(searched: explicitPath)
        }
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        for name in commandNames {
            for dir in directories {
                let candidate = dir + "/" + name
                if fm.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        for candidate in extraLocations ?? usualLocations(home: environment["HOME"] ?? NSHomeDirectory())
        where fm.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw TemoinError.browserNotFound(searched: commandNames.joined(separator: ", "))
    }
}
