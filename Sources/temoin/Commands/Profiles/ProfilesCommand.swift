import ArgumentParser
import Foundation
import TemoinKit

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: tr("help.ProfilesCommand.abstract"),
        subcommands: [ProfilesList.self, ProfilesShow.self],
        defaultSubcommand: ProfilesList.self)
}
