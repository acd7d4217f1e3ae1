#!/usr/bin/env bash
# `make demo`: the applicant's, the lawyer's and the volunteer's jobs on sample pages we wrote,
# in a store in a temporary folder. Nothing leaves this machine.
set -euo pipefail
BIN=${1:-.build/debug/temoin}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/temoin-demo.XXXXXX")
# The sample pages, assembled from their sources and their site's layout (see their README.md).
PAGES="$WORK/pages"
python3 "$ROOT/Tests/TestSupport/Fixtures/assemble_pages.py" "$ROOT/Tests/TestSupport/Fixtures/pages" "$PAGES"
export TEMOIN_STORE="$WORK/temoin.sqlite"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "0. The simulated prefecture starts on 127.0.0.1 (temoin simulate)"
"$BIN" simulate --port 0 > "$WORK/simulator.out" 2>&1 &
SIM_PID=$!
trap 'kill -INT $SIM_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do grep -q "http://127.0.0.1:" "$WORK/simulator.out" 2>/dev/null && break; sleep 0.1; done
SIM=$(grep -o "http://127.0.0.1:[0-9]*" "$WORK/simulator.out" | head -1)
[ -n "$SIM" ] || { echo "the simulator did not start:"; cat "$WORK/simulator.out"; exit 1; }
echo "listening on $SIM"

say "1. The applicant records the case (temoin init)"
"$BIN" init --applicant "Amina Diallo" \
    --prefecture "Préfecture du Val-de-Marne (Créteil)" \
    --procedure "Admission exceptionnelle au séjour" \
    --booking-url "$SIM/booking/create/4963/0" \
    --facts "Récépissé expiré le 1er octobre 2026 ; CDI suspendu faute de titre ; deux enfants scolarisés à Créteil."

say "2. temoin makes attempts itself, through the module's steps, and records every exchange (temoin attempt)"
"$BIN" attempt
"$BIN" attempt --url "$SIM/scenario/overload-502/booking/create/4963/0"
"$BIN" attempt --url "$SIM/scenario/redirects/booking/create/4963/0"
"$BIN" attempt --url "$SIM/rdvpref/reservation/demarche/4567/"
"$BIN" attempt --url "$SIM/scenario/slot-available/booking/create/4963/0"
# A slot appeared (entry 6): the applicant tried to book it and writes down what happened (temoin note).
"$BIN" note 6 "J'ai cliqué sur le créneau aussitôt ; la page suivante disait qu'il n'était plus disponible."

say "2b. On a borrowed laptop whose clock is wrong, the attempt is recorded and temoin says so at once"
# faketime moves temoin's clock (only temoin's) 61 days back, as a laptop with a flat clock battery
# might be; the simulated prefecture keeps the right time, and its Date header shows the difference.
if command -v faketime >/dev/null 2>&1; then
    FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f -61d "$BIN" attempt
else
    # Without libfaketime, the same difference seen from the other side: a server 61 days ahead.
    "$BIN" attempt --url "$SIM/scenario/clock-skew/5270400/booking/create/4963/0"
fi

say "3. Earlier attempts, saved from the browser over several weeks, are imported (temoin import)"
# Times are declared (--observed-at, Paris time), spread over days, weeks and hours of the day.
"$BIN" import "$PAGES/legacy-aucune-plage.html"         --observed-at 2026-10-06T08:31
"$BIN" import "$PAGES/legacy-aucune-plage-latin1.html"  --observed-at 2026-10-09T13:05
"$BIN" import "$PAGES/legacy-motifs-val-de-marne.html"  --observed-at 2026-10-14T17:48
"$BIN" import "$PAGES/surcharge-502.html"               --observed-at 2026-10-20T09:02
"$BIN" import "$PAGES/rdv-cgu-captcha.html"             --observed-at 2026-10-27T07:59
"$BIN" import "$PAGES/rdv-creneau-semaine.html"         --observed-at 2026-11-03T12:15
# This page does not record its address: the person gives it.
"$BIN" import "$PAGES/sans-url.html"                    --observed-at 2026-11-07T19:30 \
    --url https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4567/creneau/
"$BIN" import "$PAGES/rdv-creneau-aucun.html"           --observed-at 2026-11-12T09:01
"$BIN" import "$PAGES/single-file.mhtml"                --observed-at 2026-11-18T09:00
"$BIN" import "$PAGES/complete/Prendre un rendez-vous.html" --observed-at 2026-11-20T21:40

say "3b. The applicant's other steps: a registered letter to the préfet, its avis de réception, an e-mail (temoin step)"
STEPS="$ROOT/Tests/TestSupport/Fixtures/steps"
"$BIN" step add --kind registered-letter --date 2026-11-03 --to "Monsieur le Préfet du Val-de-Marne" \
    --summary "Demande de rendez-vous pour déposer ma demande d'admission exceptionnelle au séjour" \
    --tracking 1A01234567890 --file "$STEPS/lettre-prefet.pdf" --receipt "$STEPS/preuve-de-depot.png"
LETTER=$("$BIN" step list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["seq"])')
"$BIN" step followup "$LETTER" --kind receipt-returned --date 2026-11-05 --file "$STEPS/avis-de-reception.jpg"
# The prefecture's automatic reply, DKIM-signed HERE by dkimpy with a key made on the spot for the
# reserved test domain val-de-marne.test; a DNS server on 127.0.0.1 publishes that key. A real
# e-mail's key comes from its real domain's DNS; nothing here asks a real DNS server.
TOOLS_PY="$ROOT/.venv-tools/bin/python"
"$TOOLS_PY" "$ROOT/scripts/dkim_mail.py" keygen rsa "$WORK/dkim.key" > "$WORK/dkim.txt"
"$TOOLS_PY" "$ROOT/scripts/dkim_mail.py" sign "$WORK/dkim.key" rsa-sha256 val-de-marne.test s2026 relaxed/relaxed \
    "$STEPS/accuse-reception.eml" "$WORK/accuse-reception.eml"
python3 -c 'import json,sys; json.dump({"s2026._domainkey.val-de-marne.test": open(sys.argv[1]).read().strip()}, open(sys.argv[2], "w"))' \
    "$WORK/dkim.txt" "$WORK/zone.json"
mkfifo "$WORK/dns.stdin"
"$TOOLS_PY" "$ROOT/scripts/dkim_mail.py" serve "$WORK/zone.json" < "$WORK/dns.stdin" > "$WORK/dns.port" &
DNS_PID=$!
exec 9> "$WORK/dns.stdin"
trap 'kill -INT $SIM_PID 2>/dev/null || true; kill $DNS_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do [ -s "$WORK/dns.port" ] && break; sleep 0.1; done
echo "(This e-mail was DKIM-signed just now by dkimpy, with a key made for the reserved test domain"
echo " val-de-marne.test, which a DNS server on 127.0.0.1 publishes. A real e-mail's key comes from its"
echo " domain's DNS: temoin asks the system's resolver, or says \"not checked\" when offline.)"
"$BIN" step add --kind email --dns-server "127.0.0.1:$(cat "$WORK/dns.port")" \
    --summary "Accusé de réception automatique de ma demande de rendez-vous" --file "$WORK/accuse-reception.eml"
exec 9>&-
"$BIN" step list

say "4. Anyone reviews the case (temoin status: see the line \"Times\" and the advice), the log (temoin log) and one entry in full (temoin show 2)"
"$BIN" status
"$BIN" log --short
"$BIN" show 2

say "5. A volunteer verifies the chain with temoin (the wrong clock is a time problem, listed, not tampering) ..."
"$BIN" verify
set +e
"$BIN" verify --strict-time > /dev/null
echo "(temoin verify --strict-time: exit code $?; 1 means an attempt's time is contradicted)"
set -e
say "   ... and with the independent reference verifier (Python standard library only)"
python3 "$ROOT/docs/verify_reference.py" "$TEMOIN_STORE"
say "   ... and compares the head with the one read out over the phone (--expect-head): the only check that catches a chain rebuilt whole"
HEAD=$("$BIN" verify --json | python3 -c 'import json, sys; h = json.load(sys.stdin)["head"]; print("%d:%s" % (h["seq"], h["hash"][:8]))')
"$BIN" verify --expect-head "$HEAD"
python3 "$ROOT/docs/verify_reference.py" "$TEMOIN_STORE" --expect-head "$HEAD"

say "   ... and signs what was found: an attestation attached to the store (temoin key new, attest, attestation add)"
"$BIN" key new --out "$WORK/benevole.key"
"$BIN" attest --key "$WORK/benevole.key" --name "Marie Dupont" --organisation "La Cimade" --out "$WORK/attestation.json"
"$BIN" attestation add "$WORK/attestation.json"
"$BIN" attestation list --attester-key "$WORK/benevole.key.pub"
# Seals need a time-stamp authority on the network: temoin seal --tsa https://freetsa.org/tsr (docs/TRUST.md).

say "   ... and the lawyer shares a bundle anyone can verify, pages withheld (temoin export --redact), and a WARC"
"$BIN" export --out "$WORK/dossier-preuves.zip" --redact --warc "$WORK/tentatives.warc.gz"
"$BIN" verify "$WORK/dossier-preuves.zip" --attester-key "$WORK/benevole.key.pub"

say "6. What tampering looks like: a copy where one outcome was edited with sqlite3"
cp "$TEMOIN_STORE" "$WORK/altered.sqlite"
python3 - "$WORK/altered.sqlite" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'no_slot', 'site_error') AS BLOB) WHERE seq = 4")
con.commit()
PY
set +e
"$BIN" verify "$WORK/altered.sqlite"
echo "(exit code $?: 1 means tampering found)"
set -e

say "7. The lawyer exports the court dossier (temoin dossier): pièces named for Télérecours, inventory, working files apart"
"$BIN" dossier --out "$WORK/dossier" --requete --journal --lang fr
if command -v pdftotext >/dev/null 2>&1; then
    say "   Page 1 lists the applicant's other steps with their pièces; each proof file is a pièce of its own"
    pdftotext -enc UTF-8 -f 1 -l 1 "$WORK"/dossier/PJ1_*.pdf - | sed -n '/^Autres démarches/,/^Comment les tentatives/p' | sed '$d'
    say "   Page 1 on the times: the attempt of 2b, whose time is contradicted, listed apart with the server's time and counted in no day or week"
    pdftotext -enc UTF-8 -f 1 -l 1 "$WORK"/dossier/PJ1_*.pdf - | sed -n '/Heures :/,/^Points d.attention/p' | sed -e '$d' -e '/^$/d'
else
    echo "(pdftotext (poppler-utils) is missing: page 1 is not printed here; open $WORK/dossier/PJ1_*.pdf and read its « Autres démarches » and « Heures »)"
fi
ls "$WORK/dossier" "$WORK/dossier/Documents_de_travail_a_ne_pas_deposer"

say "Done. The store is $TEMOIN_STORE"
echo "The dossier is in $WORK/dossier (the PDFs to file; dossier.html and the draft requête in Documents_de_travail_a_ne_pas_deposer/)"
echo "Try: TEMOIN_STORE=$TEMOIN_STORE $BIN log --json"
