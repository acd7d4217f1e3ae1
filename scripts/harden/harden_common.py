"""Shared helpers of the hardening scripts (scripts/harden): running the real binary, building
realistic stores with it, and running both verifiers on a file.

Python 3 standard library only, like docs/verify_reference.py.
"""

import atexit
import importlib.util
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "TestSupport", "Fixtures")
sys.path.insert(0, FIXTURES)
sys.dont_write_bytecode = True  # no __pycache__ among the fixtures, which SwiftPM copies whole
import assemble_pages  # noqa: E402  (the one assembler of the sample pages, beside them)
sys.dont_write_bytecode = False

# The sample pages, assembled from their sources and their site's layout (see their README.md), in a
# temporary folder the process that made it removes when it ends (not a forked worker).
PAGES = tempfile.mkdtemp(prefix="temoin-harden-pages-")
assemble_pages.assemble(os.path.join(FIXTURES, "pages"), PAGES)
atexit.register(lambda maker=os.getpid(): os.getpid() == maker and shutil.rmtree(PAGES, True))
REFERENCE = os.path.join(ROOT, "docs", "verify_reference.py")

INIT = ["init", "--applicant", "Amina Diallo", "--prefecture", "Préfecture du Val-de-Marne",
        "--procedure", "Admission exceptionnelle au séjour",
        "--booking-url", "https://www.val-de-marne.gouv.fr/booking/create/4963/0",
        "--facts", "Récépissé expiré le 2026-10-01 ; CDI suspendu ; deux enfants scolarisés"]

# Pages of the fixtures that import (each decides an outcome), and the refused ones.
GOOD_PAGES = ["rdv-creneau-aucun.html", "legacy-aucune-plage.html", "legacy-aucune-plage-latin1.html",
              "rdv-cgu-captcha.html", "legacy-motifs-val-de-marne.html", "rdv-creneau-semaine.html",
              "rdv-creneaux-disponibles.html", "maintenance.html", "surcharge-502.html", "legacy-accueil.html",
              "single-file.mhtml"]


def load_reference():
    """docs/verify_reference.py as a module: the fuzzer reads stores through its own functions."""
    spec = importlib.util.spec_from_file_location("verify_reference", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def env_for(store=None, lang="C.UTF-8"):
    env = dict(os.environ)
    env["LANG"] = lang
    for k in ("LC_ALL", "LC_MESSAGES", "TEMOIN_STORE"):
        env.pop(k, None)
    if store:
        env["TEMOIN_STORE"] = store
    return env


def temoin(binary, args, store=None, check=True, timeout=120, cwd=None):
    r = subprocess.run([binary] + args, env=env_for(store), capture_output=True, timeout=timeout, cwd=cwd)
    if check and r.returncode != 0:
        raise RuntimeError("temoin {} exited {}: {}".format(" ".join(args), r.returncode,
                                                             r.stderr.decode("utf-8", "replace")))
    return r


def paris(day, hour, minute=0):
    """A Paris wall time in June to October 2026 (never in the future)."""
    return "2026-{:02d}-{:02d}T{:02d}:{:02d}".format(6 + (day // 28) % 5, 1 + day % 28, hour % 24, minute % 60)


def build_store(binary, path, seed, anchors=True, tsa=None, work=None):
    """A realistic store made by the real binary: the case, an amendment, imports of every fixture page
    (saved pages, a 'complete' folder, an MHTML file) at distinct declared times, a withheld capture,
    a volunteer's attestation and, when a TSA is given, a seal."""
    temoin(binary, INIT, store=path)
    temoin(binary, ["case", "set", "facts", "Titre expiré ; employeur menace de licencier",
                    "--reason", "lettre de l'employeur"], store=path)
    n = 0
    for i, page in enumerate(GOOD_PAGES):
        temoin(binary, ["import", "--observed-at", paris(seed + i, 7 + i % 12, 5 * (i % 12)),
                        os.path.join(PAGES, page)], store=path)
        n += 1
    temoin(binary, ["import", "--observed-at", paris(seed + 20, 19, 40), os.path.join(PAGES, "complete")],
           store=path)
    # The same page at another time: one capture, two entries.
    temoin(binary, ["import", "--observed-at", paris(seed + 21, 8, 15),
                    os.path.join(PAGES, "rdv-creneau-aucun.html")], store=path)
    temoin(binary, ["withhold", "5", "--reason", "données personnelles"], store=path)
    if anchors:
        work = work or os.path.dirname(path)
        key = os.path.join(work, "volunteer-{}.key".format(seed))
        if not os.path.exists(key):
            temoin(binary, ["key", "new", "--out", key])
        out = os.path.join(work, "attestation-{}.json".format(seed))
        temoin(binary, ["attest", path, "--key", key, "--name", "Marie Dupont", "--organisation", "La Cimade",
                        "--out", out])
        temoin(binary, ["attestation", "add", out], store=path)
        if tsa:
            temoin(binary, ["seal", "--tsa", tsa], store=path)
        # Attempts after the anchors: a rewrite of these is not covered by them.
        temoin(binary, ["import", "--observed-at", paris(seed + 22, 10, 0),
                        os.path.join(PAGES, "legacy-aucune-plage.html")], store=path)
        temoin(binary, ["import", "--observed-at", paris(seed + 23, 16, 30),
                        os.path.join(PAGES, "rdv-creneau-semaine.html")], store=path)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            raise RuntimeError("the store was left with a {} file".format(suffix))
    return path


def run_temoin_verify(binary, path, extra=()):
    """(exit status, parsed JSON or None, stderr) of `temoin verify --json`."""
    r = subprocess.run([binary, "verify", "--json", path] + list(extra), env=env_for(), capture_output=True,
                       timeout=300)
    try:
        report = json.loads(r.stdout.decode("utf-8"))
    except ValueError:
        report = None
    return r.returncode, report, r.stderr.decode("utf-8", "replace")


def run_reference_subprocess(path):
    r = subprocess.run([sys.executable, REFERENCE, path, "--json"], env=env_for(), capture_output=True,
                       timeout=300)
    try:
        report = json.loads(r.stdout.decode("utf-8"))
    except ValueError:
        report = None
    return r.returncode, report, r.stderr.decode("utf-8", "replace")


def run_reference_inprocess(vr, path):
    """The reference verifier's own main logic (open_store, verify), with its exit codes, in this
    process: the same code as `python3 docs/verify_reference.py --json`, without a Python start-up."""
    try:
        con = vr.open_store(path)
        try:
            report = vr.verify(con)
        finally:
            con.close()
    except vr.Unreadable as e:
        return 2, {"verdict": "unreadable", "reason": str(e)}, str(e)
    except Exception as e:  # the script's own `except BaseException` gives 3
        return 3, None, repr(e)
    return (0 if report["verdict"] == "intact" else 1), report, ""


def ed25519_seed(key_path):
    """The 32-byte seed of a volunteer's key file (PKCS #8 PEM, as `temoin key new` writes it)."""
    import base64
    with open(key_path) as f:
        der = base64.b64decode("".join(line for line in f.read().splitlines() if not line.startswith("-----")))
    if len(der) != 48 or not der.startswith(bytes.fromhex("302e020100300506032b657004220420")):
        raise ValueError("not an Ed25519 PKCS #8 key")
    return der[16:]


def ed25519_sign(vr, seed, message):
    """RFC 8032 5.1.6 signing, with the reference verifier's point arithmetic (the harness re-signs
    attestation statements it edits, as a volunteer who made a mistake, or a forger with the key, would)."""
    import hashlib
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    public = vr.ed_encode(vr.ed_mul(a, vr.ED_B))
    r = int.from_bytes(hashlib.sha512(h[32:] + message).digest(), "little") % vr.ED_L
    R = vr.ed_encode(vr.ed_mul(r, vr.ED_B))
    k = int.from_bytes(hashlib.sha512(R + public + message).digest(), "little") % vr.ED_L
    return public, R + ((r + k * a) % vr.ED_L).to_bytes(32, "little")


def codes(report):
    if not report:
        return []
    return ["{}:{}".format("-" if p.get("seq") is None else p["seq"], p.get("code")) for p in
            report.get("problems", [])]


def tsa_up(work):
    """A local RFC 3161 TSA (OpenSSL's `ts -reply` behind http.server on 127.0.0.1), as in the tests'
    TrustSupport.swift. Returns (url, ca.pem, process)."""
    os.makedirs(work, exist_ok=True)
    setup = r"""
set -e
openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -x509 -new -key ca.key -subj "/CN=Harden Root CA" -days 3650 -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl ecparam -name prime256v1 -genkey -noout -out tsa.key
openssl req -new -key tsa.key -subj "/CN=Harden TSA" -out tsa.csr
cat > ext.cnf <<'EOF'
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
EOF
openssl x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -extfile ext.cnf -out tsa.pem
cat > tsa.cnf <<'EOF'
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = ./tsaserial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
EOF
echo 01 > tsaserial
"""
    subprocess.run(["/bin/sh", "-c", setup], cwd=work, check=True, capture_output=True)
    server = r"""
import http.server, subprocess, sys, tempfile, os
HERE = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        q = self.rfile.read(int(self.headers["Content-Length"]))
        with tempfile.TemporaryDirectory() as t:
            open(os.path.join(t, "q"), "wb").write(q)
            subprocess.run(["openssl", "ts", "-reply", "-config", "tsa.cnf", "-queryfile", os.path.join(t, "q"),
                            "-signer", "tsa.pem", "-inkey", "tsa.key", "-out", os.path.join(t, "r")],
                           cwd=HERE, check=True, capture_output=True)
            body = open(os.path.join(t, "r"), "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
# Ends with the script that started it, however that ends.
parent = os.getppid()
s.timeout = 1
while os.getppid() == parent:
    s.handle_request()
"""
    with open(os.path.join(work, "tsa_server.py"), "w") as f:
        f.write(server)
    p = subprocess.Popen([sys.executable, os.path.join(work, "tsa_server.py"), work], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    port = int(p.stdout.readline().decode().strip())
    return "http://127.0.0.1:{}/tsr".format(port), os.path.join(work, "ca.pem"), p


def stop(process):
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def peak_rss_children_mb():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0


def copy_store(src, dst):
    shutil.copyfile(src, dst)
    os.chmod(dst, 0o600)


def now():
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())


__all__ = ["ROOT", "PAGES", "REFERENCE", "INIT", "GOOD_PAGES", "load_reference", "env_for", "temoin", "paris",
           "build_store", "run_temoin_verify", "run_reference_subprocess", "run_reference_inprocess", "codes",
           "tsa_up", "stop", "peak_rss_children_mb", "copy_store", "now", "signal", "ed25519_seed", "ed25519_sign"]
