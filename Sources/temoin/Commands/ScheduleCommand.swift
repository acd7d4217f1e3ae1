import ArgumentParser
import Foundation
import TemoinKit

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration.text("schedule", key: "ScheduleCommand")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: .text("ScheduleCommand.every")) var every: String = "2h"
    @Option(help: .text("ScheduleCommand.jitter")) var jitter: String = "30m"
    @Flag(help: .text("ScheduleCommand.systemd")) var systemd = false

    func validate() throws {
        guard let e = Pace.parseDuration(every) else {
            throw ValidationError(TemoinError.invalidDuration(value: every).description)
        }
        do { _ = try Pace(every: e, jitter: Pace.parseDuration(jitter) ?? 0) } catch let error as TemoinError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        try guarded {
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
            let store = absolute(storeOptions.path)
            // A line break cannot be written in a crontab line or a unit file.
            try FieldText.checkLine(store, field: "--store")
            try FieldText.checkLine(binary, field: "temoin")
            let minutes = Int(Pace.parseDuration(every)! / 60)
            let jitterSeconds = Int(Pace.parseDuration(jitter) ?? 0)
            print(
                systemd
                    ? ScheduleText.systemd(
                        binary: binary, store: store, everyMinutes: minutes, jitterSeconds: jitterSeconds)
                    : ScheduleText.cron(binary: binary, store: store, everyMinutes: minutes))
        }
    }
}
