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
        if let missing = Installation.start(arguments: Array(CommandLine.arguments.dropFirst())) {
            printBuiltInError(missing)
            Foundation.exit(Installation.incompleteExitStatus.rawValue)
        }
        InterruptHandler.install()
        await main(nil)
    }
}
