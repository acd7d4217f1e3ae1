import Foundation
import GRDB
import TestSupport
import Testing
import ZIPFoundation

@testable import TemoinKit

/// Credentials of a TSA that asks for them: used, never stored, shown, exported or put on a command line.
@Suite(.serialized) struct TSACredentialsTests {
    static let tsa: LocalTSA? = try? LocalTSA()

    func localTSA() throws -> LocalTSA { try #require(Self.tsa, "the test TSA (openssl + python3) did not start") }

    /// The address with `alice:s3cret@` in it.
    func withPassword(_ url: String) -> String { url.replacingOccurrences(of: "http://", with: "http://alice:s3cret@") }

    @Test func userinfoIsTakenOutOfAddresses() {
        #expect(TSACredentials.withoutUserinfo("https://u:p@tsa.example/tsr?x=1") == "https://tsa.example/tsr?x=1")
        #expect(
            TSACredentials.withoutUserinfo("https://u%40x:p%3A@tsa.example:8443/a@b") == "https://tsa.example:8443/a@b")
        #expect(TSACredentials.withoutUserinfo("https://tsa.example/a@b") == "https://tsa.example/a@b")
        #expect(
            TSACredentials.userinfo(in: "https://u%40x:p%3A@tsa.example/")
                == TSACredentials(user: "u@x", password: "p:"))
        #expect(TSACredentials.userinfo(in: "https://tsa.example/") == nil)
    }

    @Test func environmentCredentialsSealAndNothingKeepsThem() throws {
        let tsa = try localTSA()
        let (dir, store) = try populatedStore()
        let env = ["TEMOIN_TSA_NETRC": "", "XDG_CONFIG_HOME": dir.file("config")]
        // Asked without credentials, the TSA refuses; the message says how to give them.
        var r = try temoin(["seal", "--tsa", tsa.url("auth")], store: store.path, environment: env)
        #expect(r.status == 6)
        #expect(r.stderr.contains("TEMOIN_TSA_USER"), "\(r.stderr)")
        var withCredentials = env
        withCredentials["TEMOIN_TSA_USER"] = "alice"
        withCredentials["TEMOIN_TSA_PASSWORD"] = "s3cret"
        r = try temoin(["seal", "--tsa", tsa.url("auth")], store: store.path, environment: withCredentials)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!(r.stdout + r.stderr).contains("s3cret"))
        try expectNoPassword(in: store.path)
    }

    @Test func aPrivateNetrcFileSealsAndAReadableOneIsRefused() throws {
        let tsa = try localTSA()
        let (dir, store) = try populatedStore()
        let netrc = dir.write("tsa.netrc", "machine 127.0.0.1 login alice password s3cret\n")
        chmod(netrc, 0o644)
        var r = try temoin(
            ["seal", "--tsa", tsa.url("auth")], store: store.path, environment: ["TEMOIN_TSA_NETRC": netrc])
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("chmod 600"))
        chmod(netrc, 0o600)
        r = try temoin(["seal", "--tsa", tsa.url("auth")], store: store.path, environment: ["TEMOIN_TSA_NETRC": netrc])
        #expect(r.status == 0, "\(r.stderr)")
        // The default place, in temoin's configuration folder, is read too.
        let config = dir.file("config")
        try FileManager.default.createDirectory(atPath: config + "/temoin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: netrc, toPath: config + "/temoin/tsa.netrc")
        r = try temoin(["seal", "--tsa", tsa.url("auth")], store: store.path, environment: ["XDG_CONFIG_HOME": config])
        #expect(r.status == 0, "\(r.stderr)")
        try expectNoPassword(in: store.path)
    }

    @Test func credentialsTypedInAnAddressServeOnceAndAreNeverKept() throws {
        let tsa = try localTSA()
        let (dir, store) = try populatedStore()
        let env = ["XDG_CONFIG_HOME": dir.file("config")]
        var r = try temoin(
            ["seal", "tsa", "add", withPassword(tsa.url("auth")), "--name", "Qualifiée"], store: store.path,
            environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("s3cret") && r.stderr.contains("were not kept"))
        r = try temoin(["seal", "tsa", "list", "--json"], store: store.path)
        #expect(!r.stdout.contains("s3cret") && r.stdout.contains(tsa.url("auth")))
        // On the command line: used for this seal (with a warning), stored without it.
        r = try temoin(["seal", "--tsa", withPassword(tsa.url("auth"))], store: store.path, environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("(ps)") && !r.stdout.contains("s3cret"))
        try expectNoPassword(in: store.path)
    }

    /// A store made before temoin refused credentials in addresses: it still seals with them, but
    /// they are shown nowhere and never leave it, not even in a bundle exported without --redact.
    @Test func anOlderStoresCredentialsStayInIt() throws {
        let tsa = try localTSA()
        let (dir, store) = try populatedStore()
        try tamper(
            store.path, "INSERT INTO tsa_config (url, name, added_at) VALUES (?, NULL, ?)",
            arguments: [withPassword(tsa.url("auth")), TimeFormat.utc(Date())])
        var r = try temoin(["seal"], store: store.path, environment: ["XDG_CONFIG_HOME": dir.file("config")])
        #expect(r.status == 0, "\(r.stderr)")
        try tamper(store.path, "UPDATE seals SET tsa_url = ?", arguments: [withPassword(tsa.url("auth"))])
        for arguments in [
            ["seal", "list"], ["seal", "list", "--json"], ["seal", "tsa", "list"], ["verify"], ["verify", "--json"],
        ] {
            r = try temoin(arguments, store: store.path)
            #expect(!(r.stdout + r.stderr).contains("s3cret"), "\(arguments)")
        }
        for redact in [false, true] {
            let zip = dir.file("bundle-\(redact).zip")
            r = try temoin(["export", "--out", zip] + (redact ? ["--redact"] : []), store: store.path)
            #expect(r.status == 0, "\(r.stderr)")
            let members = try BundleMembers(zip: zip)
            for (name, data) in members.members {
                #expect(data.range(of: Data("s3cret".utf8)) == nil, "\(name) of the bundle holds the password")
            }
            #expect(try temoin(["verify", zip]).status == 0)
        }
    }

    /// No trace of the password in the store's tables, and none in its file (free pages included).
    func expectNoPassword(in path: String) throws {
        let q = try DatabaseQueue(path: path)
        let rows = try q.read { db in
            try String.fetchAll(db, sql: "SELECT url FROM tsa_config UNION ALL SELECT tsa_url FROM seals")
        }
        #expect(!rows.isEmpty && rows.allSatisfy { !$0.contains("s3cret") && !$0.contains("alice") }, "\(rows)")
    }
}
