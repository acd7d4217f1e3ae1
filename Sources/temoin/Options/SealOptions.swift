import ArgumentParser
import TemoinKit

/// `--seal` for `attempt` and `watch`: seals around each attempt, never blocking it.
struct SealOptions: ParsableArguments {
    @Option(help: .text("SealOptions.seal", value: "auto|on|off")) var seal: SealingMode = .auto
}

extension SealingMode: ExpressibleByArgument {}

/// What `attempt` and `watch` share: how each attempt is made, sealed and witnessed.
struct LiveOptions: ParsableArguments {
    @OptionGroup var capture: CaptureOptions
    @OptionGroup var sealOptions: SealOptions
    @OptionGroup var browser: BrowserOptions

    /// Runs `body` with the attempts on `store` as asked (`LiveSession`), said on this terminal.
    func run<T>(_ store: Store, json: Bool, _ body: (LiveSession) throws -> T) throws -> T {
        try LiveSession.run(
            store: store, settings: try capture.settings(browser), sealing: sealOptions.seal, json: json,
            speak: { speak($0, json: json) }, body)
    }
}
