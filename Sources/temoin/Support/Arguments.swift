import ArgumentParser
import Foundation
import TemoinKit

func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}

/// TemoinKit's checks of what was typed, in `validate()`: an error of theirs is a bad argument (exit
/// 64), said with its message.
func validating(_ checks: () throws -> Void) throws {
    do { try checks() } catch let error as TemoinError { throw ValidationError(error.description) }
}

extension Language: ExpressibleByArgument {}

/// Sizes and durations keep the text typed (shown as the default in `--help`) and are read once;
/// a command's `validate()` asks for their value, so a wrong one is said in the person's language.
extension ByteLimit: ExpressibleByArgument {
    package init?(argument: String) { self.init(argument) }
    package var defaultValueDescription: String { description }
}

extension DurationText: ExpressibleByArgument {
    package init?(argument: String) { self.init(argument) }
    package var defaultValueDescription: String { description }
}

/// Kinds recorded as `registered_letter`, typed as `registered-letter` (both are accepted).
package protocol DashedArgument: ExpressibleByArgument, RawRepresentable<String> {
    static var typedCases: [Self] { get }
}

extension DashedArgument {
    package init?(argument: String) {
        let value = argument.replacingOccurrences(of: "-", with: "_").lowercased()
        guard let kind = Self.typedCases.first(where: { $0.rawValue == value }) else { return nil }
        self = kind
    }

    package static var allValueStrings: [String] {
        typedCases.map { $0.rawValue.replacingOccurrences(of: "_", with: "-") }
    }
}

extension StepKind: DashedArgument {
    package static var typedCases: [StepKind] { allCases }
}

extension FollowUpKind: DashedArgument {
    package static var typedCases: [FollowUpKind] { allCases }
}

extension NoteKind: DashedArgument {
    package static var typedCases: [NoteKind] { known }
}

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
