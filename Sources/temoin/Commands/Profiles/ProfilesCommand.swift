import ArgumentParser
import Foundation
import TemoinKit

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the booking systems temoin knows, or show one's steps and rules.",
        subcommands: [ProfilesList.self, ProfilesShow.self],
        defaultSubcommand: ProfilesList.self)
}
