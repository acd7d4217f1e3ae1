import ArgumentParser
import TemoinKit

func printSealOutcomes(_ outcomes: [Sealer.Outcome], json: Bool) throws {
    if json {
        print(
            JSONOutput.string(
                outcomes.map(SealOutcomeJSON.init)))
        return
    }
    for o in outcomes {
        if let s = o.seal {
            print(TrustText.sealLine(s))
        } else if let e = o.error {
            printError(e.description)
        }
    }
}
