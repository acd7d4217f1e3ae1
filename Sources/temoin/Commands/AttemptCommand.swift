import ArgumentParser
import TemoinKit

struct AttemptCommand: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("attempt", key: "AttemptCommand")
    @OptionGroup var options: StoreOutputOptions
    @OptionGroup var live: LiveOptions

    func execute() throws {
        let store = try Store.open(at: storeOptions.path)
        try live.run(store, json: output.json) { attempts in
            if live.browser.enabled {
                let url = try live.capture.settings(live.browser).openedURL(store: store)
                say(tr("browser.opening", ["url": url]) + "\n" + tr("browser.instructions"), json: output.json)
            }
            let report = try attempts.attempt()
            attempts.sealing?.after()
            speak(
                report.utterances(store: store, json: output.json, witnessed: live.browser.enabled),
                json: output.json)
            attempts.sayWhatSealsDid()
        }
    }
}
