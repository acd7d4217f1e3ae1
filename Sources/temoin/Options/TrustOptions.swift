import ArgumentParser
import Foundation
import TemoinKit

/// `--tsa-cert` and the user's trust folder, shared by the commands that check seals.
struct TrustOptions: ParsableArguments {
    @Option(
        name: .customLong("tsa-cert"),
        help: ArgumentHelp(
            "A time-stamp authority's certificate (or its CA's) to trust, PEM; repeatable. Also read: the trust folder (temoin seal trust list).",
            valueName: "file.pem"))
    var tsaCerts: [String] = []

    func trust() throws -> TSATrust { try TSATrust.load(files: tsaCerts) }
}
