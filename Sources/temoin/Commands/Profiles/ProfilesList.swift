import ArgumentParser
import Foundation
import TemoinKit

struct ProfilesList: ParsableCommand {
    static let configuration = CommandConfiguration.text("list", key: "ProfilesList")
    @OptionGroup var language: LanguageOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try guarded {
            let sets = try RuleSet.builtInNames.map(RuleSet.loadBuiltIn)
            output.render(sets) { ProfileText.listLines(sets) }
        }
    }
}
