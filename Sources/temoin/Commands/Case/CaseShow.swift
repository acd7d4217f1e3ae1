import ArgumentParser
import TemoinKit

struct CaseShow: StoreCommand {
    static let configuration = CommandConfiguration.text("show", key: "CaseShow")
    @OptionGroup var options: StoreOutputOptions

    func report(_ store: Store) throws -> Reported<CaseJSON> {
        let record = try store.caseRecord()
        return Reported(CaseJSON(record)) { CaseText.lines(record) }
    }
}
