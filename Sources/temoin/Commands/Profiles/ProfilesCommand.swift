import ArgumentParser

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text(
        "profiles", key: "ProfilesCommand", subcommands: [ProfilesList.self, ProfilesShow.self],
        defaultSubcommand: ProfilesList.self)
}
