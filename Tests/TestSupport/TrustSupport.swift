import Foundation
import TemoinKit
import Testing

/// A time-stamp authority made for the test with OpenSSL: a CA, a TSA certificate (extended key usage
/// timeStamping, critical), an expired TSA certificate, and `openssl ts -reply` behind a loopback HTTP
/// server (Python's http.server) whose path chooses the behaviour: /good, /rsa, /garbage, /wrong-imprint,
/// /wrong-nonce, /expired, /refused, /auth (HTTP basic authentication as alice, password s3cret), and
/// /hold (a good answer once the test calls `release()`: a TSA that takes as long as the test wants).
package final class LocalTSA: @unchecked Sendable {
    package let dir = TempDir()
    package let process = Process()
    package let baseURL: String
    package var caPEM: String { dir.file("ca.pem") }
    package var otherCAPEM: String { dir.file("other-ca.pem") }
    package var tsaPEM: String { dir.file("tsa.pem") }

    package static let setupScript = #"""
        set -e
        openssl ecparam -name prime256v1 -genkey -noout -out ca.key
        openssl req -x509 -new -key ca.key -subj "/CN=Test Root CA" -days 3650 -out ca.pem \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
        openssl ecparam -name prime256v1 -genkey -noout -out other-ca.key
        openssl req -x509 -new -key other-ca.key -subj "/CN=Unrelated CA" -days 3650 -out other-ca.pem \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
        openssl ecparam -name prime256v1 -genkey -noout -out tsa.key
        openssl req -new -key tsa.key -subj "/CN=Test TSA" -out tsa.csr
        cat > ca.cnf <<'EOF'
        [ ca ]
        default_ca = testca
        [ testca ]
        database = ./index.txt
        new_certs_dir = .
        serial = ./caserial
        default_md = sha256
        policy = anything
        copy_extensions = none
        unique_subject = no
        [ anything ]
        commonName = supplied
        [ tsa_ext ]
        basicConstraints = CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = critical,timeStamping
        EOF
        touch index.txt
        echo 1000 > caserial
        openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in tsa.csr -days 365 \
            -extensions tsa_ext -out tsa.pem -notext 2>/dev/null
        openssl genrsa -out rsa.key 2048 2>/dev/null
        openssl req -new -key rsa.key -subj "/CN=Test RSA TSA" -out rsa.csr
        openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in rsa.csr -days 365 \
            -extensions tsa_ext -out rsa.pem -notext 2>/dev/null
        openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in tsa.csr \
            -startdate 20200101000000Z -enddate 20210101000000Z -extensions tsa_ext -out expired.pem -notext 2>/dev/null
        cat > tsa.cnf <<'EOF'
        [ tsa ]
        default_tsa = tsa_config
        [ tsa_config ]
        serial = ./tsaserial
        crypto_device = builtin
        signer_digest = sha256
        default_policy = 1.2.3.4.1
        other_policies = 1.2.3.4.2
        digests = sha256
        accuracy = secs:1
        ordering = no
        tsa_name = no
        ess_cert_id_chain = no
        ess_cert_id_alg = sha256
        EOF
        echo 01 > tsaserial
        """#

    package static let serverScript = #"""
        import base64, hashlib, http.server, subprocess, sys, tempfile, os, time
        HERE = sys.argv[1]

        def reply(query, signer, key="tsa.key"):
            with tempfile.TemporaryDirectory() as t:
                q = os.path.join(t, "q.tsq"); r = os.path.join(t, "r.tsr")
                open(q, "wb").write(query)
                subprocess.run(["openssl", "ts", "-reply", "-config", "tsa.cnf", "-queryfile", q,
                                "-signer", signer, "-inkey", key, "-out", r],
                               cwd=HERE, check=True, capture_output=True)
                return open(r, "rb").read()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                query = self.rfile.read(int(self.headers["Content-Length"]))
                path = self.path
                if path == "/auth" and self.headers.get("Authorization") != "Basic " + base64.b64encode(b"alice:s3cret").decode():
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="tsa"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if path == "/garbage":
                    body = b"<html>Service indisponible</html>"
                elif path == "/wrong-imprint":
                    i = query.index(b"\x04\x20")
                    body = reply(query[:i + 2] + hashlib.sha256(b"another store").digest() + query[i + 34:], "tsa.pem")
                elif path == "/wrong-nonce":
                    assert query.endswith(b"\x01\x01\xff")
                    q = bytearray(query); q[-4] ^= 1
                    body = reply(bytes(q), "tsa.pem")
                elif path == "/rsa":
                    body = reply(query, "rsa.pem", "rsa.key")
                elif path == "/expired":
                    body = reply(query, "expired.pem")
                elif path == "/refused":
                    body = bytes.fromhex("3010300e02010230090c0762616420646179")
                elif path == "/hold":
                    waited = 0
                    while not os.path.exists(os.path.join(HERE, "release")) and waited < 600:
                        time.sleep(0.05)
                        waited += 1
                    body = reply(query, "tsa.pem")
                else:
                    body = reply(query, "tsa.pem")
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        # Ends with the test process, however that ends.
        parent = os.getppid()
        server.timeout = 1
        while os.getppid() == parent:
            server.handle_request()
        """#

    package init() throws {
        let setup = try run("/bin/sh", ["-c", Self.setupScript], currentDirectory: dir.path)
        guard setup.status == 0 else { throw TemoinError.networkUnavailable(detail: "openssl: \(setup.stderr)") }
        dir.write("server.py", Self.serverScript)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", dir.file("server.py"), dir.path]
        process.standardError = FileHandle.nullDevice
        let (started, text) = try startServerReadingPort(process)
        guard let port = started else {
            process.terminate()
            throw TemoinError.networkUnavailable(detail: "TSA server did not start: \(text)")
        }
        baseURL = "http://127.0.0.1:\(port)"
    }

    package func url(_ behaviour: String) -> String { "\(baseURL)/\(behaviour)" }

    /// Lets the answers held by /hold go (and every later one).
    package func release() { dir.write("release", "") }

    package func stop() {
        // SIGKILL: Foundation's Process starts the child with the spawning thread's signal mask, and a
        // Dispatch worker (an async test) blocks SIGTERM, so terminate() could wait forever.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            // Not waitUntilExit: on a thread of Swift's cooperative pool it can spin for ever waiting
            // for a run loop notification that goes elsewhere.
            for _ in 0..<100 where process.isRunning { usleep(50_000) }
        }
    }

    deinit { stop() }
}

/// Runs synchronous trust code (which waits on swift-certificates' async verifier) on a thread of its
/// own, never on the test's cooperative pool.
package func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
