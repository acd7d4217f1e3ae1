import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// Options typed once and checked in TemoinKit: a wrong one is a bad argument (exit 64) said with the
/// catalogue's sentence in the person's language, and what cannot be shown is said on one line.
@Suite struct ArgumentsCLITests {
    @Test func aWrongRetryListIsABadArgumentInFrenchAndEnglish() throws {
        let dir = TempDir()
        let en = try temoin(
            ["notify", "test", "--notify-command", "true", "--notify-retry", "5s", "--lang", "en"],
            store: dir.file("t.sqlite"))
        #expect(en.status == ExitStatus.usage.rawValue)
        #expect(en.stderr.contains("--notify-retry \"5s\" is not a list of waits"), "\(en.stderr)")
        let fr = try temoin(
            ["notify", "test", "--notify-command", "true", "--notify-retry", "30s,bientôt", "--lang", "fr"],
            store: dir.file("t.sqlite"))
        #expect(fr.status == ExitStatus.usage.rawValue)
        #expect(fr.stderr.contains("--notify-retry « 30s,bientôt » n'est pas une liste d'attentes"), "\(fr.stderr)")
        // Nothing was run: the test alert's command would have been delivered.
        #expect(fr.stdout.isEmpty && en.stdout.isEmpty)
    }

    @Test func aMalformedExpectedHeadIsSaidInEnglishToo() throws {
        let (_, store) = try populatedStore()
        let en = try temoin(["verify", "--expect-head", "6:abc", "--lang", "en"], store: store.path)
        #expect(en.status == ExitStatus.usage.rawValue)
        #expect(en.stderr.contains("--expect-head \"6:abc\" is not a head"), "\(en.stderr)")
        #expect(en.stdout.isEmpty)
    }

    @Test func showSaysWhichCaptureItCannotWrite() throws {
        let (_, store) = try populatedStore()
        let missing = try temoin(["show", "2", "--capture", "pdf", "--lang", "fr"], store: store.path)
        #expect(missing.status == ExitStatus.usage.rawValue)
        #expect(missing.stderr.contains("L'entrée n° 2 n'a pas de capture « pdf »."), "\(missing.stderr)")
        #expect(missing.stdoutData.isEmpty)
        let entry = try store.entry(seq: 2)
        let ref = try #require(entry.body?.captures?.first)
        try store.withhold(digest: ref.digest, reason: "private")
        let withheld = try temoin(["show", "2", "--capture", ref.role, "--lang", "en"], store: store.path)
        #expect(withheld.status == ExitStatus.usage.rawValue)
        #expect(withheld.stderr.contains("capture \(ref.digest) were withheld"), "\(withheld.stderr)")
        #expect(withheld.stdoutData.isEmpty)
    }

    @Test func simulateRefusesAWrongOptionBeforeListening() throws {
        let scenario = try temoin(["simulate", "--port", "0", "--scenario", "complet", "--lang", "fr"])
        #expect(scenario.status == ExitStatus.usage.rawValue)
        #expect(scenario.stderr.contains("Scénario inconnu. Scénarios : no-slot, "), "\(scenario.stderr)")
        let skew = try temoin(["simulate", "--port", "0", "--clock-skew", "tard", "--lang", "en"])
        #expect(skew.status == ExitStatus.usage.rawValue)
        #expect(skew.stderr.contains("\"tard\" is not a duration."), "\(skew.stderr)")
        let port = try temoin(["simulate", "--port", "0", "--https-port", "70000", "--lang", "fr"])
        #expect(port.status == ExitStatus.usage.rawValue)
        #expect(port.stderr.contains("Le port 70000 n'est pas entre 0 et 65535."), "\(port.stderr)")
        #expect(scenario.stdout.isEmpty && skew.stdout.isEmpty && port.stdout.isEmpty)
    }
}
