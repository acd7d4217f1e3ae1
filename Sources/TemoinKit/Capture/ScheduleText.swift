import Foundation

/// Ready-to-paste schedules for a machine that stays on. Nothing is installed by temoin itself.
///
/// Paths are quoted for the program that reads each line: cron hands its command to `/bin/sh` after
/// turning every unescaped `%` into a line break (crontab(5)), so `%` is written `\%`; systemd reads
/// `%` as a specifier and `$` as a variable, so they are written `%%` and `$$`, inside double quotes.
/// Paths with line breaks or other controls are refused before (`temoin schedule`).
package enum ScheduleText {
    /// A POSIX shell word in single quotes, for a crontab line.
    static func quote(_ s: String) -> String {
        ("'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'").replacingOccurrences(of: "%", with: "\\%")
    }

    /// A word of a systemd `ExecStart=` line (systemd.service(5), "Command lines").
    static func systemdQuote(_ s: String) -> String {
        let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "%", with: "%%").replacingOccurrences(of: "$", with: "$$")
        return "\"" + escaped + "\""
    }

    /// A crontab line: every N minutes (or hours), starting at a minute chosen from the store path so
    /// that many users of the tool do not all hit the site at :00.
    package static func cron(binary: String, store: String, everyMinutes: Int) -> String {
        let offset = Int(sha256Hex(Data(store.utf8)).prefix(4), radix: 16)! % 60
        let spec: String
        if everyMinutes % 60 == 0 {
            let hours = everyMinutes / 60
            spec = hours >= 24 ? "\(offset) \(offset % 24) * * *" : "\(offset) */\(hours) * * *"
        } else {
            spec = "*/\(max(5, everyMinutes)) * * * *"
        }
        return """
            # \(tr("schedule.cron_comment", ["every": everyMinutes >= 60 ? "\(everyMinutes / 60) h" : "\(everyMinutes) min"]))
            \(spec) \(quote(binary)) attempt --store \(quote(store)) >> "$HOME/.temoin-attempts.log" 2>&1
            """
    }

    /// A systemd user service and timer (`~/.config/systemd/user/`), with a randomized delay.
    package static func systemd(binary: String, store: String, everyMinutes: Int, jitterSeconds: Int) -> String {
        """
        # ~/.config/systemd/user/temoin-attempt.service
        [Unit]
        Description=temoin: one attempt to book a prefecture appointment (evidence)

        [Service]
        Type=oneshot
        ExecStart=\(systemdQuote(binary)) attempt --store \(systemdQuote(store))

        # ~/.config/systemd/user/temoin-attempt.timer
        [Unit]
        Description=temoin attempts at a humane pace

        [Timer]
        OnBootSec=10min
        OnUnitActiveSec=\(everyMinutes)min
        RandomizedDelaySec=\(jitterSeconds)s
        Persistent=true

        [Install]
        WantedBy=timers.target

        # \(tr("schedule.systemd_then")) systemctl --user daemon-reload && systemctl --user enable --now temoin-attempt.timer
        """
    }

    /// The line for the program run as `program` (its `argv[0]`; links resolved, so that the line still
    /// works from another folder) recording into `store` (made absolute: cron and systemd do not start
    /// in the person's folder).
    package static func entry(program: String, store: String, pace: Pace, systemd: Bool) throws -> String {
        let binary = URL(fileURLWithPath: program).resolvingSymlinksInPath().path
        let absolute = URL(fileURLWithPath: store).standardizedFileURL.path
        return try entry(binary: binary, store: absolute, pace: pace, systemd: systemd)
    }

    /// What `temoin schedule` prints for `binary` and `store` (absolute paths) at `pace`: a crontab line,
    /// or (`systemd`) a user service and timer. A line break cannot be written in either: a path that
    /// holds one is refused.
    package static func entry(binary: String, store: String, pace: Pace, systemd: Bool) throws -> String {
        try FieldText.checkLine(store, field: "--store")
        try FieldText.checkLine(binary, field: "temoin")
        let minutes = Int(pace.every / 60)
        return systemd
            ? Self.systemd(binary: binary, store: store, everyMinutes: minutes, jitterSeconds: Int(pace.jitter))
            : cron(binary: binary, store: store, everyMinutes: minutes)
    }
}
