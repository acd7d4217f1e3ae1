import TemoinKit

/// `watch --browser`: rings and asks before each witnessed attempt, then says what to do in the browser.
final class TerminalPrompt: WatchPrompt {
    let lines: TerminalLines
    let json: Bool

    init(lines: TerminalLines, json: Bool) {
        self.lines = lines
        self.json = json
    }

    func waitForPerson(number: Int, stop: InterruptionFlag) {
        ringBell()
        say(tr("browser.watch_prompt", ["number": String(number)]), json: json)
        lines.waitForEnter(stop: stop)
        if !stop.isRaised { say(tr("browser.instructions"), json: json) }
    }

    func attemptDone() { lines.forget() }
}
