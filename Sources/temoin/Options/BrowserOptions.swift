import ArgumentParser
import TemoinKit

/// `--browser` for `attempt` and `watch`: the person makes the attempt in a real browser, temoin watches.
struct BrowserOptions: ParsableArguments {
    @Flag(name: .customLong("browser"), help: .text("BrowserOptions.enabled")) var enabled = false
    @Option(name: .customLong("browser-path"), help: .text("BrowserOptions.path", value: "path")) var path: String?

    func validate() throws {
        if path != nil, !enabled { throw ValidationError(tr("browser.bad_path_without_browser")) }
    }
}
