#!/usr/bin/env bash
# The dossier benchmark (issue "Court dossier"): prints a Markdown section for docs/BENCHMARKS.md and
# renders the first page of PJ1 to docs/dossier-PJ1-page1.png, the picture of what a lawyer receives.
#
#   scripts/bench-dossier.sh BIN_DIR [OUT_PNG]      (called by scripts/bench.sh; BIN_DIR holds temoin and
#                                                    temoin-bench, release builds)
# Knobs: DOSSIER_ATTEMPTS (5000), DOSSIER_DISTINCT (200 distinct pages), RUNS (3).
set -euo pipefail
BIN_DIR=${1:?BIN_DIR}
PNG=${2:-docs/dossier-PJ1-page1.png}
ATTEMPTS=${DOSSIER_ATTEMPTS:-5000}
DISTINCT=${DOSSIER_DISTINCT:-200}
RUNS=${RUNS:-3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/temoin-bench-dossier.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

"$BIN_DIR/temoin-bench" make-dossier-store "$TMP/case.sqlite" --attempts "$ATTEMPTS" --distinct "$DISTINCT" \
    > "$TMP/store.json"
best_wall=""; best_cpu=""; max_rss=0
for _ in $(seq "$RUNS"); do
    rm -rf "$TMP/out"
    "$BIN_DIR/temoin-bench" run -- "$BIN_DIR/temoin" dossier --store "$TMP/case.sqlite" --out "$TMP/out" \
        --lang fr --journal --json > "$TMP/run.json" 2>/dev/null
    wall=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["wall_s"])' "$TMP/run.json")
    rss=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["max_rss_kb"])' "$TMP/run.json")
    code=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit"])' "$TMP/run.json")
    [ "$code" = 0 ] || { echo "dossier failed (exit $code)" >&2; exit 1; }
    if [ -z "$best_wall" ] || awk -v a="$wall" -v b="$best_wall" 'BEGIN{exit !(a<b)}'; then best_wall=$wall; fi
    [ "$rss" -gt "$max_rss" ] && max_rss=$rss
done
pj1=$(ls "$TMP"/out/PJ1_*.pdf)
pj1_bytes=$(stat -c %s "$pj1" 2>/dev/null || stat -f %z "$pj1")
pj1_pages=$(pdfinfo "$pj1" | awk '/^Pages:/ {print $2}')
pj2_bytes=$(cat "$TMP"/out/PJ2*.pdf | wc -c)
pj2_pages=$(for f in "$TMP"/out/PJ2*.pdf; do pdfinfo "$f" | awk '/^Pages:/ {print $2}'; done | awk '{s+=$1} END {print s}')
pj2_images=$(for f in "$TMP"/out/PJ2*.pdf; do pdfimages -list "$f" | tail -n +3; done | wc -l)
journal=$(ls "$TMP"/out/PJ3_*.pdf)
journal_pages=$(pdfinfo "$journal" | awk '/^Pages:/ {print $2}')
html="$TMP/out/Documents_de_travail_a_ne_pas_deposer/dossier.html"
html_bytes=$(stat -c %s "$html" 2>/dev/null || stat -f %z "$html")
pdftoppm -r 80 -png -f 1 -l 1 -singlefile "$pj1" "${PNG%.png}"

ok() { if awk "BEGIN{exit !($1)}"; then echo "**PASS**"; else echo "**FAIL**"; fi; }
rss_mb=$(awk -v k="$max_rss" 'BEGIN{printf "%.0f", k/1024}')
pj1_mb=$(awk -v b="$pj1_bytes" 'BEGIN{printf "%.2f", b/1e6}')
cat <<MD

## Court dossier (\`temoin dossier\`)

A store of $ATTEMPTS attempts over three months (every hour of the day, $DISTINCT distinct pages, outcomes
mostly "no slot" with overload, unreachable site, CAPTCHA pages and a few slots), built by
\`temoin-bench make-dossier-store\`; the whole dossier (verification, PJ1, PJ2 with its page images, the
journal, inventory, dossier.html, bordereau)
written $RUNS times with \`--journal\`, best wall time, largest peak memory.

| Goal | Measured | Verdict |
|---|---|---|
| whole dossier in under 10 s | $(awk -v w="$best_wall" 'BEGIN{printf "%.2f s", w}') | $(ok "$best_wall < 10") |
| PJ1 under 120 pages | $pj1_pages pages | $(ok "$pj1_pages < 120") |
| PJ1 under 5 MB | $pj1_mb MB | $(ok "$pj1_bytes < 5000000") |
| peak memory under 300 MB | $rss_mb MB | $(ok "$max_rss < 300*1024") |

PJ2: $(awk -v b="$pj2_bytes" 'BEGIN{printf "%.2f", b/1e6}') MB, $pj2_pages pages, $pj2_images page images drawn by the browser (0 when
none is installed: the pages are then shown as text); the journal (\`--journal\`, one line per attempt):
$journal_pages pages; dossier.html: $(awk -v b="$html_bytes" 'BEGIN{printf "%.2f", b/1e6}') MB.
The first page of PJ1, as the court receives it: [dossier-PJ1-page1.png](dossier-PJ1-page1.png).
MD
