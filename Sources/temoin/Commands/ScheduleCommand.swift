import ArgumentParser
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
        let entry = try ScheduleText.entry(
            program: CommandLine.arguments[0], store: storeOptions.path, pace: try Pace(every: every, jitter: jitter),
            systemd: systemd)
        print(entry)
    }
}
