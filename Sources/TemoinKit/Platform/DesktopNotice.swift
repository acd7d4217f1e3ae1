import Foundation

/// A notification on the person's desktop (a slot was seen), through `notify-send` where it is
/// installed; nothing, and no error, where it is not.
package enum DesktopNotice {
    package static func send(_ text: String) {
        let candidates = ["/usr/bin/notify-send", "/usr/local/bin/notify-send"]
        guard let notify = candidates.first(where: FileManager.default.isExecutableFile) else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: notify)
        p.arguments = ["--urgency=critical", "temoin", text]
        try? p.run()
    }
}
