import ArgumentParser
import Foundation
import TemoinKit

struct ProfilesShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a profile's steps and rules (a built-in name or a file).")
    @OptionGroup var language: LanguageOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "A built-in profile name, or a path to a profile file.") var profile: String

    func run() throws {
        try guarded {
            let set =
                FileManager.default.fileExists(atPath: profile)
                ? try RuleSet.load(url: URL(fileURLWithPath: profile)) : try RuleSet.loadBuiltIn(profile)
            if output.json {
                print(JSONOutput.string(set))
                return
            }
            print("\(TerminalText.line(set.id)): \(TerminalText.line(set.name))")
            if let d = set.description { print(TerminalText.block(d, continuation: "")) }
            if !set.urlPatterns.isEmpty {
                print(tr("profiles.urls", ["patterns": TerminalText.line(set.urlPatterns.joined(separator: ", "))]))
            }
            print(tr("profiles.steps"))
            for (i, step) in (set.steps ?? [ProfileStep(action: .get, url: "{booking_url}")]).enumerated() {
                print("  \(i + 1). \(TerminalText.line(step.description ?? step.summary))")
            }
            print(tr("profiles.rules"))
            for rule in set.rules + RuleSet.common.rules {
                let condition =
                    rule.text?.map { "« \($0) »" }.joined(separator: " | ") ?? rule.xpath ?? rule.status.map {
                        "HTTP \($0.map(String.init).joined(separator: ","))"
                    } ?? ""
                print(
                    "  \(tr("outcome.\(rule.outcome.rawValue)").padding(toLength: 18, withPad: " ", startingAt: 0)) \(TerminalText.line(rule.id)): \(TerminalText.line(condition))"
                )
            }
        }
    }
}
