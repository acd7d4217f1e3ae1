import CCurl
import Foundation

/// How to reach the mail server that sends alerts.
///
/// The password never comes from the command line (where `ps` and the shell's history show it): it is
/// read from `TEMOIN_SMTP_PASSWORD` or from a file only its owner can read (mode 0600 or 0400).
package struct SMTPSettings: Sendable {
    /// `smtp://host[:port]` (STARTTLS, port 587 by default) or `smtps://host[:port]` (TLS, port 465).
    package var server: String
    package var user: String?
    package var password: String?
    /// The sender's address (default: the user name when it is an address, else the first recipient).
    package var from: String?
    /// Extra authorities to trust for the server's certificate (PEM), e.g. a test server's.
    package var caFile: String?
    package var timeout: Int = 60

    package init(
        server: String, user: String? = nil, password: String? = nil, from: String? = nil, caFile: String? = nil
    ) {
        self.server = server
        self.user = user
        self.password = password
        self.from = from
        self.caFile = caFile
    }

    /// The environment variable the password may come from.
    package static let passwordVariable = "TEMOIN_SMTP_PASSWORD"

    /// Checks `server` and returns it with its default port: refuses other schemes, paths and embedded
    /// credentials.
    package static func validatedServer(_ text: String) throws -> String {
        guard var c = URLComponents(string: text), let scheme = c.scheme?.lowercased(),
            scheme == "smtp" || scheme == "smtps", let host = c.host, !host.isEmpty
        else { throw TemoinError.notify(.badServer(value: text)) }
        if c.user != nil || c.password != nil { throw TemoinError.notify(.credentialsInServer) }
        if !(c.path.isEmpty || c.path == "/") || c.query != nil { throw TemoinError.notify(.badServer(value: text)) }
        c.path = ""
        if c.port == nil { c.port = scheme == "smtps" ? 465 : 587 }
        return c.string ?? text
    }

    /// The password: `TEMOIN_SMTP_PASSWORD`, else the file given, which must belong to the person running
    /// temoin and be unreadable by anyone else. Trailing newlines are not part of it.
    package static func password(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> String?
    {
        if let file {
            var info = stat()
            guard stat(file, &info) == 0 else { throw TemoinError.fileMissing(path: file) }
            if info.st_mode & 0o077 != 0 {
                throw TemoinError.notify(
                    .passwordFileOpen(path: file, mode: String(info.st_mode & 0o777, radix: 8)))
            }
            if info.st_uid != geteuid() { throw TemoinError.notify(.passwordFileNotOwned(path: file)) }
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else { throw TemoinError.fileUnreadable(path: file, detail: "") }
            let password = String(text.reversed().drop { $0 == "\n" || $0 == "\r" }.reversed())
            if password.isEmpty { throw TemoinError.fileEmpty(path: file) }
            return password
        }
        if let value = environment[passwordVariable], !value.isEmpty { return value }
        return nil
    }

    /// Checks an e-mail address given for alerts: one `local@domain`, nothing that could start another
    /// header or recipient.
    package static func validatedAddress(_ text: String) throws -> String {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden = CharacterSet(charactersIn: "<>,;\"()[]\\").union(.whitespacesAndNewlines).union(
            .controlCharacters)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), t.unicodeScalars.allSatisfy({ !forbidden.contains($0) })
        else { throw TemoinError.notify(.badAddress(value: text)) }
        return t
    }

    /// True for a server on this machine (a local relay often has no TLS).
    var isLoopback: Bool {
        guard let host = URLComponents(string: server)?.host?.lowercased() else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}

/// An alert by e-mail, sent with libcurl's SMTP.
///
/// TLS is required (STARTTLS on `smtp://`, TLS from the start on `smtps://`), except with a server on
/// loopback, where STARTTLS is used when offered: a login never crosses a network in clear.
package struct MailAlert: AlertChannel {
    package let settings: SMTPSettings
    package let to: String

    package init(to: String, settings: SMTPSettings) {
        self.to = to
        self.settings = settings
    }

    package var recipient: String { tr("notify.recipient.email", ["address": to]) }

    /// The sender: `from`, else the login when it is an address, else the recipient.
    var from: String {
        if let from = settings.from, !from.isEmpty { return from }
        if let user = settings.user, user.contains("@") { return user }
        return to
    }

    package func deliver(_ alert: SlotAlert) throws {
        let message = MailMessage(
            from: from, to: to, subject: alert.subject, text: alert.text, date: Date(),
            host: URLComponents(string: settings.server)?.host ?? "localhost")
        try send(message.rendered)
    }

    /// Sends `data` (a whole RFC 5322 message) to `to`.
    func send(_ data: Data) throws {
        guard let session = CurlEasy() else { throw AlertFailure(tr("notify.failure.curl")) }
        let h = session.handle
        let source = MailSource(data: data)
        let opaque = Unmanaged.passUnretained(source).toOpaque()
        let recipients = curl_slist_append(nil, "<\(to)>")
        defer { curl_slist_free_all(recipients) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        temoin_curl_setopt_string(h, CURLOPT_URL, settings.server)
        temoin_curl_setopt_string(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        temoin_curl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        temoin_curl_setopt_long(h, CURLOPT_CONNECTTIMEOUT, 15)
        temoin_curl_setopt_long(h, CURLOPT_TIMEOUT, settings.timeout)
        let tls = settings.isLoopback ? CURLUSESSL_TRY : CURLUSESSL_ALL
        temoin_curl_setopt_long(h, CURLOPT_USE_SSL, Int(tls.rawValue))
        if let ca = settings.caFile ?? CertificateAuthorities.system {
            temoin_curl_setopt_string(h, CURLOPT_CAINFO, ca)
        }
        if let user = settings.user { temoin_curl_setopt_string(h, CURLOPT_USERNAME, user) }
        if let password = settings.password { temoin_curl_setopt_string(h, CURLOPT_PASSWORD, password) }
        temoin_curl_setopt_string(h, CURLOPT_MAIL_FROM, "<\(from)>")
        temoin_curl_setopt_slist(h, CURLOPT_MAIL_RCPT, recipients)
        temoin_curl_setopt_long(h, CURLOPT_UPLOAD, 1)
        temoin_curl_setopt_off(h, CURLOPT_INFILESIZE_LARGE, curl_off_t(data.count))
        _ = temoin_curl_setopt_pointer(h, CURLOPT_READDATA, opaque)
        temoin_curl_setopt_write(h, CURLOPT_READFUNCTION) { buffer, size, count, user in
            let source = Unmanaged<MailSource>.fromOpaque(user!).takeUnretainedValue()
            return source.read(into: buffer, capacity: size * count)
        }
        let code = errorBuffer.withUnsafeMutableBufferPointer { buffer -> CURLcode in
            _ = temoin_curl_setopt_pointer(h, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            return curl_easy_perform(h)
        }
        guard code == CURLE_OK else {
            var response = 0
            temoin_curl_getinfo_long(h, CURLINFO_RESPONSE_CODE, &response)
            let detail = String(cString: errorBuffer)
            let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw AlertFailure(
                tr(
                    "notify.failure.smtp",
                    ["server": settings.server, "detail": text, "code": response > 0 ? " (\(response))" : ""]))
        }
    }
}

/// The bytes of a message handed to libcurl's read callback.
private final class MailSource {
    let data: Data
    var offset = 0

    init(data: Data) { self.data = data }

    func read(into buffer: UnsafeMutablePointer<CChar>?, capacity: Int) -> Int {
        guard let buffer else { return 0 }
        let n = min(capacity, data.count - offset)
        guard n > 0 else { return 0 }
        data.withUnsafeBytes { raw in
            UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// One libcurl easy handle, freed with its owner.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    init?() {
        _ = Self.globalInit
        guard let h = curl_easy_init() else { return nil }
        handle = h
    }

    deinit { curl_easy_cleanup(handle) }
}

/// An RFC 5322 message: UTF-8 text, base64 (no 8BITMIME needed), the subject as an RFC 2047 word.
struct MailMessage {
    var from: String
    var to: String
    var subject: String
    var text: String
    var date: Date
    /// For the Message-ID's right-hand side.
    var host: String

    var rendered: Data {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let encodedSubject = "=?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?="
        let body = Data(
            text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8
        )
        .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let lines = [
            "Date: \(formatter.string(from: date))",
            "From: <\(from)>",
            "To: <\(to)>",
            "Subject: \(encodedSubject)",
            "Message-ID: <\(UUID().uuidString.lowercased())@\(host)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
            "X-Mailer: \(Temoin.name)/\(Temoin.version)",
            "",
            body,
        ]
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }
}
