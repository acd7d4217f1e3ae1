import ArgumentParser
import TemoinKit

struct ProfilesList: ReportingCommand {
    static let configuration = CommandConfiguration.text("list", key: "ProfilesList")
    @OptionGroup var language: LanguageOptions
    @OptionGroup var output: OutputOptions

    func report() throws -> Reported<[RuleSet]> {
        let sets = try RuleSet.builtInNames.map(RuleSet.loadBuiltIn)
        return Reported(sets) { ProfileText.listLines(sets) }
    }
}
