import ArgumentParser
import TemoinKit

/// `--tsa-cert` and the user's trust folder, shared by the commands that check seals.
struct TrustOptions: ParsableArguments {
    @Option(name: .customLong("tsa-cert"), help: .text("TrustOptions.tsaCerts", value: "file.pem"))
    var tsaCerts: [String] = []

    func trust() throws -> TSATrust { try TSATrust.load(files: tsaCerts) }
}
