import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A user name and password for a time-stamp authority that asks for them (a qualified TSA's
/// subscription). They never enter the store, a bundle, a seal's record or temoin's output, and temoin
/// never puts them on a command line (`ps` shows command lines to every user of the computer).
///
/// Where they come from, first found wins: `TEMOIN_TSA_USER` and `TEMOIN_TSA_PASSWORD` in the
/// environment (sent to every TSA asked in that run); else a credentials file in curl's `.netrc` format
/// (`machine tsa.example.com login USER password PASS`, one TSA host per line; libcurl reads it and
/// answers each host with its own line), `$TEMOIN_TSA_NETRC` or `~/.config/temoin/tsa.netrc`, which must
/// be readable by its owner only (mode 0600) or it is refused. A URL typed with `user:password@` works
/// for that one command, but temoin keeps and shows the URL without them.
package struct TSACredentials: Sendable, Equatable {
    package var user: String
    package var password: String

    package init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// `https://user:pass@tsa.example/tsr` → `https://tsa.example/tsr`; any other text unchanged.
    package static func withoutUserinfo(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + String(rest[rest.index(after: at)...])
    }

    /// The `user:password@` of `url`, percent-decoded; nil when there is none.
    package static func userinfo(in url: String) -> TSACredentials? {
        guard let components = URLComponents(string: url), let user = components.user, !user.isEmpty else {
            return nil
        }
        return TSACredentials(user: user, password: components.password ?? "")
    }

    /// The credentials file's path: `$TEMOIN_TSA_NETRC`, else `tsa.netrc` in temoin's configuration folder.
    package static func netrcPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["TEMOIN_TSA_NETRC"], !path.isEmpty { return path }
        return (TSATrust.configurationFolder(environment: environment) as NSString).appendingPathComponent(
            "tsa.netrc")
    }

    /// The environment's credentials, if both variables are set.
    package static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> TSACredentials?
    {
        guard let user = environment["TEMOIN_TSA_USER"], !user.isEmpty else { return nil }
        return TSACredentials(user: user, password: environment["TEMOIN_TSA_PASSWORD"] ?? "")
    }

    /// The credentials file to hand to libcurl, when there is one: refused unless it is a regular file
    /// that only its owner can read or write, so a password never sits where other users can read it.
    package static func netrcFile(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> String?
    {
        let path = netrcPath(environment: environment)
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if environment["TEMOIN_TSA_NETRC"].map({ !$0.isEmpty }) == true {
                throw TemoinError.fileMissing(path: path)
            }
            return nil
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw TemoinError.trust(.credentialsUnsafe(path: path, detail: tr("trust.credentials.not_a_file")))
        }
        guard info.st_mode & 0o077 == 0, info.st_uid == getuid() else {
            throw TemoinError.trust(
                .credentialsUnsafe(
                    path: path,
                    detail: tr("trust.credentials.mode", ["mode": String(info.st_mode & 0o777, radix: 8)])))
        }
        return path
    }

    /// Removes credentials an older store kept in its TSA URLs (`tsa_config.url`, `seals.tsa_url`:
    /// configuration and metadata outside the chain, FORMAT.md §7), in a copy being exported.
    static func strip(in db: Database) throws {
        if try db.tableExists("tsa_config") {
            for url in try String.fetchAll(
                db, sql: "SELECT url FROM tsa_config WHERE typeof(url) = 'text' AND url LIKE '%@%'")
            {
                let bare = withoutUserinfo(url)
                guard bare != url else { continue }
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM tsa_config WHERE url = ?", arguments: [bare]) == true {
                    try db.execute(sql: "DELETE FROM tsa_config WHERE url = ?", arguments: [url])
                } else {
                    try db.execute(sql: "UPDATE tsa_config SET url = ? WHERE url = ?", arguments: [bare, url])
                }
            }
        }
        if try db.tableExists("seals") {
            for row in try Row.fetchAll(
                db, sql: "SELECT id, tsa_url FROM seals WHERE typeof(tsa_url) = 'text' AND tsa_url LIKE '%@%'")
            {
                let url: String = row["tsa_url"]
                try db.execute(
                    sql: "UPDATE seals SET tsa_url = ? WHERE id = ?", arguments: [withoutUserinfo(url), row["id"]])
            }
        }
    }
}
