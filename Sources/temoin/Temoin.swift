import ArgumentParser
import Foundation
import TemoinKit

@main
struct TemoinCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "temoin",
        abstract: tr("help.TemoinCLI.abstract"),
        discussion: tr("help.TemoinCLI.discussion") + "\n" + ExitStatus.helpTable(),
        version: Temoin.version,
        subcommands: [
            InitCommand.self, CaseCommand.self, AttemptCommand.self, WatchCommand.self, ScheduleCommand.self,
            ImportCommand.self, NoteCommand.self, StepCommand.self, StatusCommand.self, LogCommand.self,
            ShowCommand.self,
            VerifyCommand.self,
            WithholdCommand.self, DossierCommand.self, ProfilesCommand.self, SimulateCommand.self, SealCommand.self,
            KeyCommand.self, AttestCommand.self, AttestationCommand.self, ExportCommand.self, NotifyCommand.self,
            DoctorCommand.self,
        ]
    )

    @OptionGroup var language: LanguageOptions

    static func main() async {
        let installation = Installation.current
        guard installation.resources != nil else {
            // Without its files temoin has no messages to speak with: this one is built in.
            printBuiltInError(installation.missingResourcesMessage)
            Foundation.exit(Installation.incompleteExitStatus.rawValue)
        }
        installation.prepareEnvironment()
        if let lang = Language.scan(Array(CommandLine.arguments.dropFirst())) {
            Messages.shared.language = lang
        }
        InterruptHandler.install()
        await main(nil)
    }
}
