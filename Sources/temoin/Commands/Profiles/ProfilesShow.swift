import ArgumentParser
import TemoinKit

struct ProfilesShow: ReportingCommand {
    static let configuration = CommandConfiguration.text("show", key: "ProfilesShow")
    @OptionGroup var language: LanguageOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: .text("ProfilesShow.profile")) var profile: String

    func report() throws -> Reported<RuleSet> {
        let set = try RuleSet.load(fileOrName: profile)
        return Reported(set) { ProfileText.lines(set) }
    }
}
