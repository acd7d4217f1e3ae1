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
            if output.json {
                print(JSONOutput.string(sets))
                return
            }
            for s in sets {
                print("\(s.id.padding(toLength: 20, withPad: " ", startingAt: 0)) \(s.name)")
            }
        }
    }
}
