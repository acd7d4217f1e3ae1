import ArgumentParser
import Foundation
import TemoinKit

struct ScheduleCommand: GuardedCommand {
    static let configuration = CommandConfiguration.text("schedule", key: "ScheduleCommand")
    @OptionGroup var storeOptions: StoreOptions
    @Option(help: .text("ScheduleCommand.every")) var every = DurationText("2h")
    @Option(help: .text("ScheduleCommand.jitter")) var jitter = DurationText("30m")
    @Flag(help: .text("ScheduleCommand.systemd")) var systemd = false

    func validate() throws {
        try validating { _ = try Pace(every: every, jitter: jitter) }
    }

    func execute() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        let pace = try Pace(every: every, jitter: jitter)
        print(
            try ScheduleText.entry(binary: binary, store: absolute(storeOptions.path), pace: pace, systemd: systemd)
        )
    }
}
