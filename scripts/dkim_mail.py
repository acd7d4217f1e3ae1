#!/usr/bin/env python3
"""DKIM for temoin's tests and demo, with other people's code: dkimpy signs, dnslib answers DNS.

temoin verifies DKIM signatures itself (Sources/TemoinKit/Steps/Email/DKIM.swift); this script makes
messages it has never seen, signed by an independent implementation, and serves their keys from a DNS
server on 127.0.0.1 only, so nothing ever asks a real DNS server.

  dkim_mail.py keygen rsa|ed25519 KEYFILE           writes the private key, prints the TXT record
  dkim_mail.py sign KEYFILE ALGORITHM DOMAIN SELECTOR CANON IN OUT [--length] [--headers h1:h2]
  dkim_mail.py serve ZONE.json                      prints the port, answers until stdin closes

ZONE.json maps names to a TXT record (a string), to null (NXDOMAIN) or to "SERVFAIL".
Runs in the tools venv (make tools: dkimpy, dnslib, pynacl).
"""
import base64
import json
import subprocess
import sys


def keygen(kind, keyfile):
    if kind == "rsa":
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                        "-out", keyfile], check=True, capture_output=True)
        der = subprocess.run(["openssl", "pkey", "-in", keyfile, "-pubout", "-outform", "DER"],
                             check=True, capture_output=True).stdout
        print("v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode())
    elif kind == "ed25519":
        import nacl.signing
        key = nacl.signing.SigningKey.generate()
        with open(keyfile, "wb") as f:
            f.write(base64.b64encode(bytes(key)))
        print("v=DKIM1; k=ed25519; p=" + base64.b64encode(bytes(key.verify_key)).decode())
    else:
        sys.exit("unknown key kind " + kind)


def sign(keyfile, algorithm, domain, selector, canon, infile, outfile, options):
    import dkim
    with open(keyfile, "rb") as f:
        key = f.read()
    with open(infile, "rb") as f:
        message = f.read()
    header, body = canon.split("/")
    headers = None
    if "--headers" in options:
        headers = [h.encode() for h in options[options.index("--headers") + 1].split(":")]
    signature = dkim.sign(message, selector.encode(), domain.encode(), key,
                          canonicalize=(header.encode(), body.encode()), include_headers=headers,
                          length="--length" in options, signature_algorithm=algorithm.encode())
    with open(outfile, "wb") as f:
        f.write(signature + message)


def serve(zonefile):
    from dnslib import QTYPE, RCODE, RR, TXT
    from dnslib.server import BaseResolver, DNSServer

    with open(zonefile) as f:
        zone = {k.lower().rstrip("."): v for k, v in json.load(f).items()}

    class Zone(BaseResolver):
        def resolve(self, request, handler):
            reply = request.reply()
            name = str(request.q.qname).lower().rstrip(".")
            if name not in zone or zone[name] is None:
                reply.header.rcode = RCODE.NXDOMAIN
            elif zone[name] == "SERVFAIL":
                reply.header.rcode = RCODE.SERVFAIL
            elif request.q.qtype == QTYPE.TXT:
                text = zone[name].encode()
                pieces = [text[i:i + 255] for i in range(0, len(text), 255)] or [b""]
                reply.add_answer(RR(request.q.qname, QTYPE.TXT, ttl=60, rdata=TXT(pieces)))
            return reply

    class Quiet:
        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    udp = DNSServer(Zone(), address="127.0.0.1", port=0, logger=Quiet())
    port = udp.server.server_address[1]
    tcp = DNSServer(Zone(), address="127.0.0.1", port=port, tcp=True, logger=Quiet())
    udp.start_thread()
    tcp.start_thread()
    print(port, flush=True)
    # Until the parent closes our standard input (or kills us).
    sys.stdin.read()
    udp.stop()
    tcp.stop()


def main(argv):
    if len(argv) >= 3 and argv[0] == "keygen":
        keygen(argv[1], argv[2])
    elif len(argv) >= 8 and argv[0] == "sign":
        sign(*argv[1:8], argv[8:])
    elif len(argv) == 2 and argv[0] == "serve":
        serve(argv[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
