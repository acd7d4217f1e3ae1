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
        guard maxFileSize >= 1 else { throw ValidationError(tr("dossier.bad_max_size")) }
        guard (1...999).contains(firstPiece) else { throw ValidationError(tr("dossier.bad_first_piece")) }
    }

    func execute() throws {
        let (start, end) = try DossierOptions.period(from: from, to: to)
        let store = try Store.open(at: storeOptions.path, readOnly: true)
        let options = DossierOptions(
            outputFolder: out, language: storeOptions.lang ?? Messages.shared.language,
            templatesFolder: templates, from: start, to: end, requete: requete,
            maxFileBytes: maxFileSize * 1024 * 1024, firstPiece: firstPiece, journal: journal,
            pageImages: noPageImages ? .off : .auto, browserPath: browserPath)
        let result = try writeDossier(store: store, path: storeOptions.path, options: options, json: output.json)
        output.json ? print(JSONOutput.string(result)) : printLines(DossierText.lines(result))
        for line in DossierText.warnings(result) { printError(line) }
        if result.verdict != .intact { throw ExitCode(.tampered) }
    }
}
