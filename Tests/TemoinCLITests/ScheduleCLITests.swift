import Foundation
import TestSupport
import Testing

@testable import TemoinKit

/// `temoin schedule` writes what would run attempts at a humane pace; what it cannot read is a bad
/// argument, said in the person's language, never a pace it made up.
@Suite struct ScheduleCLITests {
    @Test func aJitterThatIsNoDurationIsABadArgumentInFrenchAndEnglish() throws {
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        // It used to be read as no jitter at all, and a unit file was printed.
        let en = try temoin(
            ["schedule", "--every", "2h", "--jitter", "beaucoup", "--systemd", "--lang", "en"], store: store)
        #expect(en.status == ExitStatus.usage.rawValue)
        #expect(en.stdout.isEmpty)
        #expect(
            en.stderr.contains("\"beaucoup\" is not a duration. Write for example 2h, 40m or 1h30m."), "\(en.stderr)")
        let fr = try temoin(["schedule", "--every", "2h", "--jitter", "beaucoup", "--lang", "fr"], store: store)
        #expect(fr.status == ExitStatus.usage.rawValue)
        #expect(fr.stdout.isEmpty)
        #expect(
            fr.stderr.contains("« beaucoup » n'est pas une durée. Écrivez par exemple 2h, 40m ou 1h30m."),
            "\(fr.stderr)")
    }

    @Test func aJitterOfZeroOrOfMinutesIsKept() throws {
        let dir = TempDir()
        let store = dir.file("temoin.sqlite")
        let none = try temoin(["schedule", "--every", "2h", "--jitter", "0", "--systemd"], store: store)
        #expect(none.status == 0)
        #expect(none.stdout.contains("RandomizedDelaySec=0s"))
        let some = try temoin(["schedule", "--every", "3h", "--jitter", "45m", "--systemd"], store: store)
        #expect(some.stdout.contains("OnUnitActiveSec=180min") && some.stdout.contains("RandomizedDelaySec=2700s"))
    }
}
