import ArgumentParser
import TemoinKit

/// TemoinKit's checks of what was typed, in `validate()`: an error of theirs is a bad argument (exit
/// 64), said with its message.
func validating<T>(_ checks: () throws -> T) throws -> T {
    do { return try checks() } catch let error as TemoinError { throw ValidationError(error.description) }
}

extension Language: ExpressibleByArgument {}

/// Sizes, durations, dates and heads keep the text typed (shown as the default in `--help`: their
/// description) and are read once; a command's `validate()` asks for their value, so a wrong one is
/// said in the person's language.
package protocol TextArgument: ExpressibleByArgument, CustomStringConvertible {
    init(_ text: String)
}

extension TextArgument {
    package init?(argument: String) { self.init(argument) }
}

extension ByteLimit: TextArgument {}

extension DurationText: TextArgument {}

extension DateText: TextArgument {}

extension ExpectedHeadText: TextArgument {}

extension AlertRetries: TextArgument {}

/// A `TypedName` on the command line: `registered-letter` or `registered_letter`, shown with dashes.
package protocol DashedArgument: ExpressibleByArgument, TypedName {}

extension DashedArgument {
    package init?(argument: String) { self.init(typed: argument) }

    package static var allValueStrings: [String] { typedNames }
}

extension StepKind: DashedArgument {}

extension FollowUpKind: DashedArgument {}

extension NoteKind: DashedArgument {}

extension ArgumentHelp {
    /// The catalogue's help text `help.<key>` (help.json) with its `arguments`, in the language of the
    /// messages, which is set before the parser reads any help; `value` names the option's value in the
    /// usage line.
    static func text(_ key: String, value: String? = nil, _ arguments: [String: String] = [:]) -> ArgumentHelp {
        ArgumentHelp(tr("help." + key, arguments), valueName: value)
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
