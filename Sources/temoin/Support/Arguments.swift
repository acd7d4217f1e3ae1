import ArgumentParser
import Foundation
import TemoinKit

func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}

extension Language: ExpressibleByArgument {}

extension ArgumentHelp {
    /// The catalogue's help text `help.<key>` (help.json), in the language of the messages, which is set
    /// before the parser reads any help; `value` names the option's value in the usage line.
    static func text(_ key: String, value: String? = nil) -> ArgumentHelp {
        ArgumentHelp(tr("help." + key), valueName: value)
    }
}

extension CommandConfiguration {
    /// A command whose abstract and discussion are the catalogue's `help.<key>.abstract` and
    /// `help.<key>.discussion` (help.json; a command without the second has no discussion).
    static func text(
        _ name: String, key: String, subcommands: [any ParsableCommand.Type] = [],
        defaultSubcommand: (any ParsableCommand.Type)? = nil
    ) -> CommandConfiguration {
        // Keys made of the command's name, not an enum's values: HelpSnapshotTests renders every
        // command's help in both languages and fails on a key that shows instead of its text.
        let discussion = "help." + key + ".discussion"
        return CommandConfiguration(
            commandName: name, abstract: tr("help." + key + ".abstract"),
            discussion: !Messages.shared.has(discussion) ? "" : tr(discussion), subcommands: subcommands,
            defaultSubcommand: defaultSubcommand)
    }
}
