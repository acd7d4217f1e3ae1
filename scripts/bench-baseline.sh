#!/usr/bin/env bash
# Builds an earlier commit's release (temoin and temoin-bench) for `make bench BASELINE_DIR=…`, which then
# measures it in the same run as ours (scripts/bench.sh, goals 7 and 8).
#
#   scripts/bench-baseline.sh [REF]     (make bench-baseline; REF defaults to 76822b7)
#
# 76822b7 is the build the speed and memory goals of issues 13, 14 and 19 refer to ("within 5 % of
# today's", "under its current time"). The sources are exported with `git archive` into
# .build/baseline/REF and built there as `make release` builds (a clean release build: about 20 minutes
# on 2 cores). Prints the folder to pass as BASELINE_DIR.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REF="${1:-76822b7}"
DIR="$ROOT/.build/baseline/$REF"
if [ ! -f "$DIR/Package.swift" ]; then
    mkdir -p "$DIR"
    git -C "$ROOT" archive --format=tar "$REF" | tar -x -C "$DIR"
fi
cd "$DIR"
# Built as `make release` builds ours (the Swift runtime linked in on Linux), so both sides load alike.
FLAGS=()
if [ "$(uname -s)" = Linux ]; then FLAGS=(--static-swift-stdlib); fi
swift build -c release "${FLAGS[@]}" --product temoin >&2
swift build -c release "${FLAGS[@]}" --product temoin-bench >&2
swift build -c release "${FLAGS[@]}" --show-bin-path
