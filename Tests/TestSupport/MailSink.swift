import Foundation
import TemoinKit
import Testing

/// A mail server on 127.0.0.1 for the alert tests: aiosmtpd (PyPI, in `.venv-tools`, `make tools`)
/// with STARTTLS required (a certificate made here with OpenSSL) and a login required after it
/// (amina / s3cret). It keeps each message and what the session was (TLS, login) as files, and
/// answers `451` to the first `failFirst` messages, as a busy server does.
package final class MailSink: @unchecked Sendable {
    package let dir = TempDir()
    package let process = Process()
    package let port: Int
    package var server: String { "smtp://127.0.0.1:\(port)" }
    package var certificate: String { dir.file("cert.pem") }
    package static let user = "amina"
    package static let password = "s3cret"

    package static var python: String { repositoryRoot.appendingPathComponent(".venv-tools/bin/python3").path }

    /// Whether the tools venv has aiosmtpd (`make tools`; `make test` installs it).
    package static var available: Bool {
        FileManager.default.isExecutableFile(
            atPath: repositoryRoot.appendingPathComponent(".venv-tools/bin/aiosmtpd").path)
    }

    package static let script = #"""
        import asyncio, json, os, socket, ssl, sys
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        folder, fail_first = sys.argv[1], int(sys.argv[2])
        mail = os.path.join(folder, "mail")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]

        class Handler:
            def __init__(self):
                self.count = 0

            async def handle_DATA(self, server, session, envelope):
                self.count += 1
                if self.count <= fail_first:
                    return "451 4.3.0 Busy, try again later"
                n = len([f for f in os.listdir(mail) if f.endswith(".eml")])
                with open(os.path.join(mail, "mail-%d.eml" % n), "wb") as f:
                    f.write(envelope.original_content)
                with open(os.path.join(mail, "mail-%d.json" % n), "w") as f:
                    json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                               "tls": session.ssl is not None,
                               "login": (session.auth_data or b"").decode() if session.authenticated else ""}, f)
                return "250 2.0.0 Queued"

        def authenticate(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and data.login == b"amina" and data.password == b"s3cret"
            return AuthResult(success=ok, handled=False, auth_data=data.login if ok else None)

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem"))
        controller = Controller(Handler(), hostname="127.0.0.1", port=port, ready_timeout=60, tls_context=context,
                                require_starttls=True, authenticator=authenticate, auth_required=True,
                                auth_require_tls=True)
        controller.start()
        print(port, flush=True)
        parent = os.getppid()
        import time
        while os.getppid() == parent:
            time.sleep(0.5)
        controller.stop()
        """#

    package init(failFirst: Int = 0) throws {
        let made = try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj",
                "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2", "-keyout",
                dir.file("key.pem"), "-out", dir.file("cert.pem"),
            ])
        guard made.status == 0 else { throw TemoinError.networkUnavailable(detail: "openssl: \(made.stderr)") }
        dir.write("sink.py", Self.script)
        try FileManager.default.createDirectory(atPath: dir.file("mail"), withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [dir.file("sink.py"), dir.path, String(failFirst)]
        process.standardError = FileHandle.nullDevice
        let (started, text) = try startServerReadingPort(process)
        guard let port = started else {
            process.terminate()
            throw TemoinError.networkUnavailable(detail: "mail sink did not start: \(text)")
        }
        self.port = port
    }

    /// The messages received so far: the text (base64 bodies decoded) and the session's facts.
    package func messages() -> [(text: String, session: [String: Any])] {
        let folder = dir.file("mail")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            $0.hasSuffix(".eml")
        }.sorted()
        return names.map { name in
            let raw = (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""
            let json =
                (try? Data(
                    contentsOf: URL(
                        fileURLWithPath: folder + "/" + name.replacingOccurrences(of: ".eml", with: ".json"))))
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
            return (Self.decoded(raw), json)
        }
    }

    /// Headers as sent, and the base64 body decoded.
    package static func decoded(_ raw: String) -> String {
        let parts = raw.components(separatedBy: "\r\n\r\n")
        guard parts.count >= 2 else { return raw }
        let body = parts.dropFirst().joined(separator: "\r\n\r\n").replacingOccurrences(of: "\r\n", with: "")
        let text = Data(base64Encoded: body).map { String(decoding: $0, as: UTF8.self) } ?? body
        return parts[0] + "\n\n" + text
    }

    package func settings() -> SMTPSettings {
        SMTPSettings(
            server: server, user: Self.user, password: Self.password, from: "temoin@example.org", caFile: certificate)
    }

    deinit {
        // SIGKILL: Foundation's Process starts the child with the spawning thread's signal mask, and a
        // Dispatch worker blocks SIGTERM.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
