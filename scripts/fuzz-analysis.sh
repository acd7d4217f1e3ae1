#!/usr/bin/env bash
# `make fuzz`: libFuzzer on the page analysis (charset detection, libxml2 parsing, visible text,
# outcome rules, publication facts). docs/HARDENING.md gives the last run's figures.
#
#   scripts/fuzz-analysis.sh [SECONDS] [RSS_LIMIT_MB]
#
# TEMOIN_FUZZ=1 makes Package.swift instrument TemoinKit (-sanitize=fuzzer) and add the driver
# Fuzz/AnalysisFuzz; the next plain `swift build` compiles TemoinKit again without it. The seed corpus
# is every fixture page (assembled, see its README.md), each behind a few selector bytes (the driver's first byte picks the rule set
# and the Content-Type). Crashes, timeouts and out-of-memory inputs are written to .build/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
rss="${2:-2048}"
out=.build/fuzz
mkdir -p "$out/corpus" "$out/seeds" "$out/artifacts"
rm -rf "$out/pages"
python3 Tests/TestSupport/Fixtures/assemble_pages.py Tests/TestSupport/Fixtures/pages "$out/pages"
for page in "$out"/pages/*; do
    [ -f "$page" ] || continue
    for s in 0 1 2 3 4 9 14 19 24 29; do
        { printf "\\$(printf '%03o' "$s")"; cat "$page"; } > "$out/seeds/$s-$(basename "$page")"
    done
done
TEMOIN_FUZZ=1 swift build --manifest-cache none --product temoin-fuzz-analysis
bin="$(TEMOIN_FUZZ=1 swift build --manifest-cache none --product temoin-fuzz-analysis --show-bin-path)/temoin-fuzz-analysis"
# New inputs go to corpus/ (kept between runs); seeds/ is read only.
exec "$bin" "$out/corpus" "$out/seeds" -max_total_time="$seconds" -rss_limit_mb="$rss" -max_len=65536 \
    -timeout=30 -artifact_prefix="$out/artifacts/" -print_final_stats=1
