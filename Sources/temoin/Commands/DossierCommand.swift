import ArgumentParser
import TemoinKit

struct DossierCommand: GuardedCommand, StoreReporting {
    static let configuration = CommandConfiguration.text("dossier", key: "DossierCommand")
    @OptionGroup var options: StoreOutputOptions
    @Option(name: .long, help: .text("DossierCommand.out", value: "dir")) var out: String
    @Option(name: .long, help: .text("DossierCommand.from", value: "date")) var from: String?
    @Option(name: .long, help: .text("DossierCommand.to", value: "date")) var to: String?
    @Option(name: .long, help: .text("DossierCommand.templates", value: "dir")) var templates: String?
    @Flag(name: .long, help: .text("DossierCommand.requete")) var requete = false
    @Flag(name: .long, help: .text("DossierCommand.journal")) var journal = false
    @Option(name: .customLong("first-piece"), help: .text("DossierCommand.firstPiece", value: "n"))
    var firstPiece: Int = 1
    @Flag(name: .customLong("no-page-images"), help: .text("DossierCommand.noPageImages")) var noPageImages = false
    @Option(name: .customLong("browser-path"), help: .text("DossierCommand.browserPath", value: "path"))
    var browserPath: String?
    @Option(name: .customLong("max-file-size"), help: .text("DossierCommand.maxFileSize", value: "mb"))
    var maxFileSize: Int = 32

    func validate() throws {
        try storeOptions.validate()
        try validating { try DossierOptions.check(maxFileMB: maxFileSize, firstPiece: firstPiece) }
    }

    func execute() throws {
        let options = try DossierOptions(
            outputFolder: out, language: storeOptions.lang ?? Messages.shared.language, templatesFolder: templates,
            from: from, to: to, requete: requete, maxFileMB: maxFileSize, firstPiece: firstPiece, journal: journal,
            pageImages: !noPageImages, browserPath: browserPath)
        let store = try Store.open(at: storeOptions.path, readOnly: true)
        let result = try writeDossier(store: store, path: storeOptions.path, options: options, json: output.json)
        speak(DossierText.utterances(result, json: output.json), json: output.json)
        if result.exitStatus != .success { throw ExitCode(result.exitStatus) }
    }
}
