#!/usr/bin/env bash
# Measures temoin against its performance goals and regenerates docs/BENCHMARKS.md.
#
#   scripts/bench.sh [PATH/TO/temoin]        (make bench: scripts/bench.sh .build/release/temoin)
#
# temoin-bench must sit next to temoin (both are built by `make release`); BIN_DIR overrides
# the folder of both. Everything happens in a temporary folder removed on exit; nothing touches the
# network. A benchmark is a report, not a test: a goal missed is marked FAIL in the table and the
# script still exits 0 (it exits non-zero only when it cannot measure at all).
#
# Knobs (environment): ENTRIES (10000), SMALL_ENTRIES (1000), MANY_ENTRIES (100000, 0 to skip the store
# of many small pages), BYTES_PER_ENTRY (50000), SEED (20261122), PAGE_BYTES (60000), APPEND_COUNT (200),
# RUNS (3), OUT (docs/BENCHMARKS.md), TMPDIR, BENCH_NO_GNU_TIME=1 (measure with temoin-bench run even where
# GNU time is installed), BASELINE_DIR (the release folder of an earlier build, its temoin and temoin-bench:
# compared in the same run, see "against an earlier build" below; `make bench-baseline` builds 76822b7's),
# BASELINE_NAME (how the report names it, e.g. 76822b7), BASE_RUNS (7), PROFILE_RUNS (21: goal 8).
set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMOIN_ARG="${1:-$ROOT/.build/release/temoin}"
BIN_DIR="${BIN_DIR:-$(dirname "$TEMOIN_ARG")}"
BIN_DIR="$(cd "$BIN_DIR" && pwd)"
TEMOIN="$BIN_DIR/temoin"
BENCH="$BIN_DIR/temoin-bench"

ENTRIES="${ENTRIES:-10000}"
SMALL_ENTRIES="${SMALL_ENTRIES:-1000}"
MANY_ENTRIES="${MANY_ENTRIES:-100000}"
BYTES_PER_ENTRY="${BYTES_PER_ENTRY:-50000}"
SEED="${SEED:-20261122}"
PAGE_BYTES="${PAGE_BYTES:-60000}"
APPEND_COUNT="${APPEND_COUNT:-200}"
RUNS="${RUNS:-3}"
OUT="${OUT:-$ROOT/docs/BENCHMARKS.md}"

for b in "$TEMOIN" "$BENCH"; do
    [ -x "$b" ] || { echo "bench: $b is missing; run: make release" >&2; exit 2; }
done
command -v openssl >/dev/null || { echo "bench: openssl is missing (make deps installs it)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench: python3 is missing (make deps installs it)" >&2; exit 2; }

# GNU time gives the peak resident set size; without it, temoin-bench run measures the same
# (getrusage of the child).
GNU_TIME=""
if [ "${BENCH_NO_GNU_TIME:-0}" != 1 ] && [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
    GNU_TIME=/usr/bin/time
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/temoin-bench.XXXXXX")"
cleanup() {
    # The simulated prefecture of goals 4-5, if a failure left it running.
    if [ -n "${SIM_PID:-}" ]; then kill "$SIM_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
# The sample page, assembled from its source and its site's layout (see the fixtures' README.md).
python3 "$ROOT/Tests/TestSupport/Fixtures/assemble_pages.py" "$ROOT/Tests/TestSupport/Fixtures/pages" "$TMP/pages"
FIXTURE="$TMP/pages/rdv-creneau-aucun.html"

BENCH_START=$(date +%s)
say() { printf '[bench %4ss] %s\n' "$(($(date +%s) - BENCH_START))" "$*"; }

# jvars FILE PREFIX: the members of a JSON object as shell assignments PREFIX_member[_submember]=value.
jvars() {
    python3 - "$1" "$2" <<'PY'
import json, sys
def walk(prefix, value):
    if isinstance(value, dict):
        for k, v in value.items():
            walk(prefix + "_" + k, v)
    else:
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        print("%s=%s" % (prefix, "'" + text.replace("'", "") + "'"))
walk(sys.argv[2], json.load(open(sys.argv[1])))
PY
}
# calc EXPR: floating-point arithmetic; fmt FORMAT VALUE: printf through awk.
calc() { awk "BEGIN { printf \"%s\", $1 }"; }
fmt() { awk -v v="$2" "BEGIN { printf \"$1\", v }"; }
r0() { fmt %.0f "$1"; }
r1() { fmt %.1f "$1"; }
r2() { fmt %.2f "$1"; }
r3() { fmt %.3f "$1"; }
mb() { calc "$1 / 1e6"; }
rssmb() { r1 "$(calc "$1 / 1024")"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
verdict() { if [ "$1" = 1 ]; then echo "**PASS**"; else echo "**FAIL**"; fi; }

# measure CMD...: sets WALL (seconds), RSS_KB, CPU_S (user+sys), EXIT.
measure() {
    local t0 t1
    if [ -n "$GNU_TIME" ]; then
        t0=$(date +%s%N)
        set +e
        "$GNU_TIME" -v -o "$TMP/time.txt" "$@" >"$TMP/measure.out" 2>&1
        EXIT=$?
        set -e
        t1=$(date +%s%N)
        WALL=$(calc "($t1 - $t0) / 1e9")
        RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMP/time.txt")
        CPU_S=$(awk -F': ' '/User time \(seconds\)/ { u = $2 } /System time \(seconds\)/ { s = $2 } END { print u + s }' \
            "$TMP/time.txt")
    else
        "$BENCH" run -- "$@" >"$TMP/run.json"
        eval "$(jvars "$TMP/run.json" RUN)"
        WALL=$RUN_wall_s
        RSS_KB=$RUN_max_rss_kb
        EXIT=$RUN_exit
        CPU_S="n/a"
    fi
}

# best_of N CMD...: runs CMD N times; BEST_WALL is the fastest, MAX_RSS_KB the largest peak, BEST_CPU the
# CPU time of the fastest run; BAD_EXIT is set when any run did not exit 0.
best_of() {
    local n=$1
    shift
    BEST_WALL=""
    MAX_RSS_KB=0
    BAD_EXIT=""
    BEST_CPU=""
    for _ in $(seq "$n"); do
        measure "$@"
        [ "$EXIT" = 0 ] || BAD_EXIT="exit $EXIT"
        if [ -z "$BEST_WALL" ] || awk "BEGIN { exit !($WALL < $BEST_WALL) }"; then
            BEST_WALL=$WALL
            BEST_CPU=$CPU_S
        fi
        if [ "$RSS_KB" -gt "$MAX_RSS_KB" ]; then MAX_RSS_KB=$RSS_KB; fi
        say "    $(basename "$1") $(basename "${*: -1}"): $(r3 "$WALL") s, peak RSS $(rssmb "$RSS_KB") MB, exit $EXIT"
    done
}

size_on_disk() {
    local s=0 f
    for f in "$1" "$1-wal" "$1-shm"; do
        if [ -f "$f" ]; then s=$((s + $(stat -c %s "$f"))); fi
    done
    echo "$s"
}

say "temoin: $TEMOIN"
say "work folder: $TMP (removed on exit)"

# ---------------------------------------------------------------- machine
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
[ -n "$CPU_MODEL" ] || CPU_MODEL=$(uname -m)
NPROC=$(nproc 2>/dev/null || echo "?")
RAM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo "?")
KERNEL=$(uname -sr)
SWIFT_VERSION=$(swift --version 2>/dev/null | head -n1 || echo "?")
OPENSSL_VERSION=$(openssl version)
SHA_EXT=$(grep -m1 -ow 'sha_ni' /proc/cpuinfo 2>/dev/null || echo "no sha_ni")
DATE=$(date -u +"%Y-%m-%d %H:%M UTC")
LOAD_START=$(loadavg)
say "machine: $NPROC CPU, $CPU_MODEL ($SHA_EXT), $RAM, $KERNEL; load average $LOAD_START"

# ---------------------------------------------------------------- stores
# make_store NAME ENTRIES BYTES SEED: builds $TMP/NAME.sqlite and $TMP/NAME.raw; sets NAME_* variables.
make_store() {
    local name=$1 entries=$2 bytes=$3 seed=$4
    say "creating the $name store: $entries attempts of ~$bytes bytes, one durable append each"
    "$BENCH" make-store "$TMP/$name.sqlite" --entries "$entries" --bytes-per-entry "$bytes" --seed "$seed" \
        --raw-out "$TMP/$name.raw" >"$TMP/make-$name.json"
    eval "$(jvars "$TMP/make-$name.json" "MAKE_$name")"
    eval "DISK_$name=$(size_on_disk "$TMP/$name.sqlite")"
    local raw="MAKE_${name}_raw_bytes" disk="DISK_$name" secs="MAKE_${name}_seconds"
    say "  $(r0 "$(mb "${!raw}")") MB raw in $(r0 "$(mb "${!disk}")") MB on disk, built in $(r1 "${!secs}") s"
}
make_store small "$SMALL_ENTRIES" "$BYTES_PER_ENTRY" "$((SEED + 1))"
make_store big "$ENTRIES" "$BYTES_PER_ENTRY" "$SEED"
if [ "$MANY_ENTRIES" -gt 0 ]; then make_store many "$MANY_ENTRIES" 100 "$((SEED + 2))"; fi

# Both sides read from the page cache: the comparison is of computation, not of the disk.
cat "$TMP"/*.sqlite "$TMP"/*.raw >/dev/null

# verify_store NAME: best of RUNS for temoin verify and for openssl over the same raw bytes.
verify_store() {
    local name=$1
    say "temoin verify on the $name store, best of $RUNS"
    best_of "$RUNS" "$TEMOIN" verify "$TMP/$name.sqlite"
    eval "VWALL_$name=$BEST_WALL VRSS_$name=$MAX_RSS_KB VCPU_$name=$BEST_CPU VBAD_$name='$BAD_EXIT'"
    say "openssl dgst -sha256 over the same raw bytes, best of $RUNS"
    best_of "$RUNS" openssl dgst -sha256 "$TMP/$name.raw"
    eval "SWALL_$name=$BEST_WALL SRSS_$name=$MAX_RSS_KB"
}

# ---------------------------------------------------------------- goal 1: verify throughput
LOAD_GOAL1=$(loadavg)
verify_store big
BIG_RAW=$MAKE_big_raw_bytes
OURS_MBS=$(calc "$BIG_RAW / $VWALL_big / 1e6")
SSL_MBS=$(calc "$BIG_RAW / $SWALL_big / 1e6")
RATIO=$(calc "$SWALL_big / $VWALL_big")
G1=$(awk "BEGIN { print ($RATIO >= 0.5 && \"$VBAD_big\" == \"\") ? 1 : 0 }")
say "goal 1: verify $(r0 "$OURS_MBS") MB/s, openssl $(r0 "$SSL_MBS") MB/s, ratio $(r2 "$RATIO")"

verify_store small
if [ "$MANY_ENTRIES" -gt 0 ]; then verify_store many; fi

# ---------------------------------------------------------------- goal 3: memory
# Peak memory must not depend on the store. The small store does not fill the batches of captures verify
# keeps in flight, so the slope is taken between the two largest entry counts (both fill them): the memory
# per entry, and the entry count at which 100 MB would be reached.
if [ "$MANY_ENTRIES" -gt 0 ]; then
    LO_N=$ENTRIES LO_RSS=$VRSS_big FAR_N=$MANY_ENTRIES FAR_RSS=$VRSS_many
else
    LO_N=$SMALL_ENTRIES LO_RSS=$VRSS_small FAR_N=$ENTRIES FAR_RSS=$VRSS_big
fi
RSS_SLOPE_KB=$(calc "($FAR_RSS - $LO_RSS) / ($FAR_N - $LO_N)")
RSS_AT_100K=$(calc "($FAR_RSS + $RSS_SLOPE_KB * (100000 - $FAR_N)) / 1024")
RSS_100MB_AT=$(awk "BEGIN { s = $RSS_SLOPE_KB; if (s <= 0.001) print \"never\"; else printf \"%.0f\", $FAR_N + (102400 - $FAR_RSS) / s }")
MAX_RSS_ALL=$(printf '%s\n' "$VRSS_small" "$VRSS_big" "${VRSS_many:-0}" | sort -n | tail -n1)
G3=$(awk "BEGIN { print ($MAX_RSS_ALL < 102400 && $RSS_AT_100K < 100) ? 1 : 0 }")
if [ -n "$VBAD_big$VBAD_small${VBAD_many:-}" ]; then G3=0; fi

# ---------------------------------------------------------------- goal 2: append latency
PAGE="$TMP/creneau.html"
"$BENCH" make-page "$PAGE" --bytes "$PAGE_BYTES" --seed "$SEED" >/dev/null
PAGE_SIZE=$(stat -c %s "$PAGE")
# Like the verify timings, the goal's run is the best of RUNS processes (here by p50; each a whole
# distribution of APPEND_COUNT imports): the speed of one process varies on a shared machine.
say "goal 2: $APPEND_COUNT imports of a $PAGE_SIZE-byte saved page into a new store, best p50 of $RUNS runs"
A1_ALL=""
BEST_P50=""
for r in $(seq "$RUNS"); do
    "$BENCH" append-latency --page "$PAGE" --count "$APPEND_COUNT" >"$TMP/append-run$r.json"
    eval "$(jvars "$TMP/append-run$r.json" T)"
    A1_ALL="$A1_ALL${A1_ALL:+, }$(r2 "$T_latency_p50_ms")"
    say "    run $r: p50 $(r2 "$T_latency_p50_ms") ms"
    if [ -z "$BEST_P50" ] || awk "BEGIN { exit !($T_latency_p50_ms < $BEST_P50) }"; then
        BEST_P50=$T_latency_p50_ms
        cp "$TMP/append-run$r.json" "$TMP/append.json"
    fi
done
eval "$(jvars "$TMP/append.json" A1)"
say "        the same with a distinct page each time (a new capture blob per append)"
"$BENCH" append-latency --page "$PAGE" --count "$APPEND_COUNT" --vary >"$TMP/append-vary.json"
eval "$(jvars "$TMP/append-vary.json" A2)"
say "        the same into the $ENTRIES-entry store (after the verify runs)"
"$BENCH" append-latency --page "$PAGE" --count "$APPEND_COUNT" --vary --store "$TMP/big.sqlite" >"$TMP/append-big.json"
eval "$(jvars "$TMP/append-big.json" A3)"
HAVE_FIXTURE=0
if [ -f "$FIXTURE" ]; then
    HAVE_FIXTURE=1
    say "        a real $(stat -c %s "$FIXTURE")-byte RDV Préfecture page (test fixture), distinct each time, new store"
    "$BENCH" append-latency --page "$FIXTURE" --count "$APPEND_COUNT" --vary >"$TMP/append-fixture.json"
    eval "$(jvars "$TMP/append-fixture.json" A4)"
fi
G2=$(awk "BEGIN { print ($A1_latency_p50_ms < 5) ? 1 : 0 }")
say "goal 2: p50 $(r2 "$A1_latency_p50_ms") ms, p90 $(r2 "$A1_latency_p90_ms") ms, p99 $(r2 "$A1_latency_p99_ms") ms"

say "where the time goes: one import, piece by piece; verify's per-capture work on one core"
"$BENCH" profile-import --page "$PAGE" --count 20 >"$TMP/profile.json"
eval "$(jvars "$TMP/profile.json" P)"
if [ "$HAVE_FIXTURE" = 1 ]; then
    "$BENCH" profile-import --page "$FIXTURE" --count 50 >"$TMP/profile-fixture.json"
    eval "$(jvars "$TMP/profile-fixture.json" PF)"
fi
"$BENCH" codec-speed --pages 1000 --bytes-per-entry "$BYTES_PER_ENTRY" --seed "$SEED" >"$TMP/codec.json"
eval "$(jvars "$TMP/codec.json" C)"
LOAD_END=$(loadavg)

# ---------------------------------------------------------------- against an earlier build (optional)
# BASELINE_DIR: an earlier release build (its temoin and temoin-bench), e.g. 76822b7's, the reference of
# the speed and memory goals of issues 13, 14 and 19 ("within 5 % of today's", "under its current time").
# Its verify and its import profile run on the same stores and pages as ours, in turn (ours, then its),
# BASE_RUNS times, and medians are compared: verify by CPU time (user+sys) rather than wall time, which on
# a shared machine measures the neighbours; the import profile by its own in-process timings. A ratio
# above 1 is slower or larger than the earlier build.
# Each verify of goal 7 starts with its program's file dropped from the page cache (`uncache`): peak RSS
# depends on which of the file's pages are cached, so both programs start from the same state (the
# report says why, with the figures).
HAVE_BASE=0
# (GNU dd; elsewhere the file stays as it is.)
uncache() { dd if="$1" iflag=nocache count=0 status=none 2>/dev/null || true; }
if [ -n "${BASELINE_DIR:-}" ]; then
    BASE_TEMOIN="$BASELINE_DIR/temoin"
    BASE_BENCH="$BASELINE_DIR/temoin-bench"
    if [ -x "$BASE_TEMOIN" ] && [ -x "$BASE_BENCH" ] && [ -n "$GNU_TIME" ]; then
        HAVE_BASE=1
    else
        say "BASELINE_DIR: needs temoin and temoin-bench in $BASELINE_DIR and GNU time; the comparison is skipped"
    fi
fi
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
if [ "$HAVE_BASE" = 1 ]; then
    BASE_RUNS=${BASE_RUNS:-7}
    # An import profile lasts a fraction of a second, and this machine has slow spells of a few seconds:
    # more turns, so that a spell falling on one side's turns does not decide goal 8.
    PROFILE_RUNS=${PROFILE_RUNS:-21}
    # Both builds may print the same version: the comparison is named by BASELINE_NAME (a commit).
    BASE_VERSION="${BASELINE_NAME:-the build in $BASELINE_DIR}"
    BASE_STORES="small big"
    if [ "$MANY_ENTRIES" -gt 0 ]; then BASE_STORES="$BASE_STORES many"; fi
    G7=1
    BV_MAX=0
    for name in $BASE_STORES; do
        say "against $BASE_VERSION: verify of the $name store, ours and its in turn, $BASE_RUNS times each"
        : >"$TMP/bv-ours"
        : >"$TMP/bv-base"
        for _ in $(seq "$BASE_RUNS"); do
            uncache "$TEMOIN"
            measure "$TEMOIN" verify "$TMP/$name.sqlite"
            echo "$CPU_S $RSS_KB" >>"$TMP/bv-ours"
            uncache "$BASE_TEMOIN"
            measure "$BASE_TEMOIN" verify "$TMP/$name.sqlite"
            echo "$CPU_S $RSS_KB" >>"$TMP/bv-base"
        done
        for side in ours base; do
            printf -v "BV_${side}_${name}_cpu" '%s' "$(cut -d' ' -f1 "$TMP/bv-$side" | median)"
            printf -v "BV_${side}_${name}_rss" '%s' "$(cut -d' ' -f2 "$TMP/bv-$side" | median)"
        done
        cpu_o="BV_ours_${name}_cpu" cpu_b="BV_base_${name}_cpu" rss_o="BV_ours_${name}_rss" rss_b="BV_base_${name}_rss"
        printf -v "BV_${name}_cpu_ratio" '%s' "$(calc "${!cpu_o} / ${!cpu_b}")"
        printf -v "BV_${name}_rss_ratio" '%s' "$(calc "${!rss_o} / ${!rss_b}")"
        r_cpu="BV_${name}_cpu_ratio" r_rss="BV_${name}_rss_ratio"
        if awk "BEGIN { exit !(${!r_cpu} > 1.05 || ${!r_rss} > 1.05) }"; then G7=0; fi
        BV_MAX=$(printf '%s\n' "$BV_MAX" "${!r_cpu}" "${!r_rss}" | sort -g | tail -n1)
        say "    CPU $(r3 "${!cpu_o}") s vs $(r3 "${!cpu_b}") s ($(r2 "${!r_cpu}")), peak RSS $(rssmb "${!rss_o}") vs $(rssmb "${!rss_b}") MB ($(r2 "${!r_rss}"))"
    done
    # The import profile times each piece in the process (thread CPU is not available to it): its p50s,
    # over PROFILE_RUNS processes in turn, compared by their median (the best of each side said beside).
    G8=1
    BP_MAX=0
    # profile_turns PREFIX COUNT FILE: PROFILE_RUNS import profiles of FILE (COUNT imports each), ours and
    # its in turn; their p50s into $TMP/PREFIX-{ours,base}-{page_analyze,importer_import_file}.
    profile_turns() {
        local prefix=$1 count=$2 file=$3 side bin key
        for key in page_analyze importer_import_file; do : >"$TMP/$prefix-ours-$key" && : >"$TMP/$prefix-base-$key"; done
        for _ in $(seq "$PROFILE_RUNS"); do
            for side in ours base; do
                bin=$BENCH
                if [ "$side" = base ]; then bin=$BASE_BENCH; fi
                "$bin" profile-import --page "$file" --count "$count" >"$TMP/bp.json"
                eval "$(jvars "$TMP/bp.json" BP)"
                echo "$BP_page_analyze_p50_ms" >>"$TMP/$prefix-$side-page_analyze"
                echo "$BP_importer_import_file_p50_ms" >>"$TMP/$prefix-$side-importer_import_file"
            done
        done
    }
    for page in page fixture; do
        file=$PAGE
        if [ "$page" = fixture ]; then
            [ "$HAVE_FIXTURE" = 1 ] || continue
            file=$FIXTURE
        fi
        say "against $BASE_VERSION: the import profile of the $page, ours and its in turn, $PROFILE_RUNS times each"
        profile_turns bp 20 "$file"
        for key in page_analyze importer_import_file; do
            o=$(median <"$TMP/bp-ours-$key")
            b=$(median <"$TMP/bp-base-$key")
            printf -v "BP_${page}_${key}_ours" '%s' "$o"
            printf -v "BP_${page}_${key}_base" '%s' "$b"
            printf -v "BP_${page}_${key}_ratio" '%s' "$(calc "$o / $b")"
            if [ "$key" = page_analyze ]; then
                printf -v "BP_${page}_best_ours" '%s' "$(sort -g "$TMP/bp-ours-$key" | head -n1)"
                printf -v "BP_${page}_best_base" '%s' "$(sort -g "$TMP/bp-base-$key" | head -n1)"
                if awk "BEGIN { exit !($o > $b) }"; then G8=0; fi
                BP_MAX=$(printf '%s\n' "$BP_MAX" "$(calc "$o / $b")" | sort -g | tail -n1)
            fi
            say "    $key p50 $(r2 "$o") ms vs $(r2 "$b") ms ($(r2 "$(calc "$o / $b")"))"
        done
        # The first analysis in a process (a one-page import), which the repeated profile above hides:
        # what is kept across the pages of a process is then still empty.
        profile_turns bf 1 "$file"
        printf -v "BF_${page}_ours" '%s' "$(median <"$TMP/bf-ours-page_analyze")"
        printf -v "BF_${page}_base" '%s' "$(median <"$TMP/bf-base-page_analyze")"
        o="BF_${page}_ours" b="BF_${page}_base"
        say "    first analysis in a process $(r2 "${!o}") ms vs $(r2 "${!b}") ms ($(r2 "$(calc "${!o} / ${!b}")"))"
    done
fi

# ---------------------------------------------------------------- goals 4 and 5: a live attempt vs wget
# The same simulated page, fetched by `temoin attempt` (one GET: the generic profile) and by
# `wget --warc-file` (Debian's wget), each as a whole command, ATTEMPTS times, one after the other.
ATTEMPTS=${ATTEMPTS:-30}
say "goals 4-5: $ATTEMPTS live attempts by temoin and by wget --warc-file on the simulated prefecture"
"$TEMOIN" simulate --port 0 >"$TMP/sim.out" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 100); do grep -q "http://127.0.0.1:" "$TMP/sim.out" 2>/dev/null && break; sleep 0.1; done
SIM=$(grep -o "http://127.0.0.1:[0-9]*" "$TMP/sim.out" | head -1)
LIVE_URL="$SIM/booking/create/4963/0"
"$TEMOIN" init --store "$TMP/live.sqlite" --applicant Bench --prefecture Bench --procedure Bench \
    --booking-url "$LIVE_URL" --profile generic >/dev/null
mkdir -p "$TMP/warc"
live_run() {  # live_run LABEL CMD...: the median wall time per run, in ms, into LIVE_<LABEL>_MS
    local label=$1 i t0 t1
    shift
    : >"$TMP/live-$label.times"
    for i in $(seq 1 "$ATTEMPTS"); do
        t0=$(date +%s%N)
        "$@" "$i" >/dev/null 2>&1
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000)) >>"$TMP/live-$label.times"
    done
    printf -v "LIVE_${label}_MS" '%s' "$(sort -n "$TMP/live-$label.times" | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] / 1000 }')"
}
temoin_once() { "$TEMOIN" attempt --store "$TMP/live.sqlite"; }
wget_once() { wget -q --no-proxy --warc-file="$TMP/warc/attempt-$1" -O /dev/null "$LIVE_URL"; }
live_run temoin temoin_once
live_run wget wget_once
# Where the time goes, in the same run: starting temoin at all (`--version`), and the floor of any
# program that loads the shared libraries an attempt needs (libcurl, libxml2, libsqlite3, libdeflate):
# an empty C program linked to them. Built with the toolchain's clang (or cc) when there is one.
version_once() { "$TEMOIN" --version; }
live_run version version_once
FLOOR_CC=$(command -v clang || command -v cc || command -v gcc || true)
HAVE_FLOOR=0
if [ -n "$FLOOR_CC" ] && printf 'int main(void) { return 0; }\n' >"$TMP/floor.c" &&
    "$FLOOR_CC" -O2 "$TMP/floor.c" -o "$TMP/floor-libs" -Wl,--no-as-needed -lcurl -lxml2 -lsqlite3 -ldeflate \
        2>/dev/null; then
    HAVE_FLOOR=1
    floor_once() { "$TMP/floor-libs"; }
    live_run floor floor_once
    FLOOR_LIBS=$(ldd "$TMP/floor-libs" | grep -c '=>')
fi
TEMOIN_LIBS=$(ldd "$TEMOIN" | grep -c '=>')
WGET_LIBS=$(ldd "$(command -v wget)" | grep -c '=>')
kill -INT "$SIM_PID" 2>/dev/null || true
wait "$SIM_PID" 2>/dev/null || true
LIVE_STORE_BYTES=$(size_on_disk "$TMP/live.sqlite")
LIVE_WARC_BYTES=$(cat "$TMP"/warc/*.warc.gz | wc -c)
LIVE_ENTRIES=$("$TEMOIN" log --json --attempts-only --store "$TMP/live.sqlite" | grep -c '"seq"')
LIVE_STORE_PER=$(calc "$LIVE_STORE_BYTES / $LIVE_ENTRIES")
LIVE_WARC_PER=$(calc "$LIVE_WARC_BYTES / $ATTEMPTS")
LIVE_RATIO=$(calc "$LIVE_temoin_MS / $LIVE_wget_MS")
SIZE_RATIO=$(calc "$LIVE_STORE_PER / $LIVE_WARC_PER")
G4=$(awk "BEGIN { print ($LIVE_RATIO <= 1.0) ? 1 : 0 }")
G5=$(awk "BEGIN { print ($SIZE_RATIO <= 1.0) ? 1 : 0 }")
say "goal 4: temoin attempt $(r2 "$LIVE_temoin_MS") ms, wget $(r2 "$LIVE_wget_MS") ms; goal 5: $(r0 "$LIVE_STORE_PER") vs $(r0 "$LIVE_WARC_PER") bytes per attempt"

# ---------------------------------------------------------------- report
TOTAL_S=$(($(date +%s) - BENCH_START))
if [ -n "$GNU_TIME" ]; then
    MEASURE_TOOL="GNU \`/usr/bin/time -v\` (Maximum resident set size)"
else
    "$BENCH" run -- true >"$TMP/floor.json"
    eval "$(jvars "$TMP/floor.json" FLOOR)"
    MEASURE_TOOL="\`temoin-bench run\` (getrusage of the child; GNU /usr/bin/time was not available or not wanted; this
way a peak never reads below the runner's own $(rssmb "$FLOOR_max_rss_kb") MB, which the spawned child shares until it execs)"
fi
latrow() {
    local p=$1 label=$2 v n row
    row="| $label |"
    for v in latency_p50_ms latency_p90_ms latency_p99_ms latency_max_ms importer_init_p50_ms import_file_p50_ms; do
        n="${p}_$v"
        row="$row $(r2 "${!n}") |"
    done
    echo "$row"
}
storerow() {
    local name=$1 label=$2
    local entries="MAKE_${name}_entries" raw="MAKE_${name}_raw_bytes" disk="DISK_$name" vw="VWALL_$name"
    local vc="VCPU_$name" sw="SWALL_$name" rss="VRSS_$name" bad="VBAD_$name"
    echo "| $label | ${!entries} | $(r0 "$(mb "${!raw}")") MB | $(r1 "$(mb "${!disk}")") MB | $(r3 "${!vw}") s | ${!vc} s | $(r0 "$(calc "${!raw} / ${!vw} / 1e6")") MB/s | $(r2 "$(calc "${!vw} / ${!entries} * 1e6")") µs | $(r3 "${!sw}") s | $(r2 "$(calc "${!sw} / ${!vw}")") | $(rssmb "${!rss}") MB${!bad:+ (${!bad})} |"
}
sizerow() {
    local name=$1 label=$2
    local raw="MAKE_${name}_raw_bytes" disk="DISK_$name"
    echo "| $label | ${!raw} | ${!disk} | $(r2 "$(calc "${!raw} / ${!disk}")")× |"
}
makerow() {
    local name=$1 label=$2 k
    local -a c=()
    for k in seconds generate_s encode_s append_s; do
        local n="MAKE_${name}_$k"
        c+=("$(r1 "${!n}")")
    done
    local each="MAKE_${name}_append_ms_mean" entries="MAKE_${name}_entries"
    echo "| $label | ${!entries} | ${c[0]} s | ${c[1]} s | ${c[2]} s | ${c[3]} s ($(r2 "${!each}") ms each) |"
}
profrow() {
    local key=$1 label=$2
    local a="P_${key}_p50_ms" b="PF_${key}_p50_ms"
    echo "| $label | $(r2 "${!a}") |$([ "$HAVE_FIXTURE" = 1 ] && echo " $(r2 "${!b}") |")"
}
ONE_CORE=$C_inflate_and_sha256_mb_s
IDEAL=$(calc "$ONE_CORE * $NPROC")

# Goals 7 and 8, against an earlier build (BASELINE_DIR), when one was given.
baserows() {
    [ "$HAVE_BASE" = 1 ] || return 0
    local name cells="" c r m
    for name in $BASE_STORES; do
        c="BV_${name}_cpu_ratio" r="BV_${name}_rss_ratio"
        cells="$cells${cells:+; }$name store: CPU $(r2 "${!c}")×, peak RSS $(r2 "${!r}")×"
    done
    echo "| 7. \`temoin verify\` CPU time and peak memory within 5 % of $BASE_VERSION's on every store (medians of $BASE_RUNS runs each, in turn) | $cells | $BASE_VERSION | $(r2 "$BV_MAX") (largest) | $(verdict "$G7") |"
    cells=""
    for m in page fixture; do
        c="BP_${m}_page_analyze_ratio"
        [ -n "${!c:-}" ] || continue
        local o="BP_${m}_page_analyze_ours" b="BP_${m}_page_analyze_base" io="BP_${m}_importer_import_file_ours" ib="BP_${m}_importer_import_file_base"
        local bo="BP_${m}_best_ours" bb="BP_${m}_best_base"
        cells="$cells${cells:+; }$([ "$m" = page ] && echo "$(r0 "$(calc "$P_page_bytes / 1000")") KB page" || echo "test fixture"): $(r2 "${!o}") ms vs $(r2 "${!b}") ms ($(r2 "${!c}")×; best $(r2 "${!bo}") vs $(r2 "${!bb}") ms; whole import $(r2 "${!io}") vs $(r2 "${!ib}") ms)"
    done
    echo "| 8. \`PageAnalyzer.analyze\` p50 no slower than $BASE_VERSION's (medians of $PROFILE_RUNS profiles each, in turn) | $cells | $BASE_VERSION | $(r2 "$BP_MAX") (largest) | $(verdict "$G8") |"
}

# Goal 8's profile analyses one page 20 times in a process; what TemoinKit keeps across pages is warm
# after the first. The first analysis in a process, said beside it.
firstrows() {
    local m o b cells=""
    for m in page fixture; do
        o="BF_${m}_ours" b="BF_${m}_base"
        [ -n "${!o:-}" ] || continue
        cells="$cells${cells:+; }$([ "$m" = page ] && echo "the $(r0 "$(calc "$P_page_bytes / 1000")") KB page" || echo "the test fixture"): $(r2 "${!o}") ms vs $(r2 "${!b}") ms ($(r2 "$(calc "${!o} / ${!b}")")×)"
    done
    echo "
Goal 8's profile analyses the same page 20 times in one process. Since issue 14, TemoinKit keeps across
the pages of a process the style sheets it parsed, its verdicts on class attributes, the declared styles
and the kinds of tags (bounded caches that never change an answer), so from the second analysis on they
are warm, as in a folder import of one site's pages, and a repeated page is flattered. The first analysis
in a process (\`--count 1\`, medians of $PROFILE_RUNS processes each, in turn): $cells. In both programs it
includes reading the message catalogue on its first use: nearly nine tenths of the test fixture's, by
perf over 40 processes of each (2026-12-07). A \`temoin\` command has read the catalogue at its start,
before any analysis; ours holds more sentences (the help of every command, in both languages)."
}

mkdir -p "$(dirname "$OUT")"
{
    cat <<EOF
# Benchmarks

Generated by \`make bench\` (\`scripts/bench.sh\`, driver \`Sources/temoin-bench\`) on $DATE; do not edit by
hand, run \`make bench\` again. Benchmarks are reports, not tests: a goal missed is marked FAIL here and
\`make bench\` still succeeds.

What is measured. The stores are built through TemoinKit's public API (\`Store.create\`, then one
\`Store.append\` per attempt, each its own durable transaction, \`synchronous = FULL\`), each attempt with
one distinct HTML page of about $BYTES_PER_ENTRY bytes generated from a French word list with a seeded random
generator (seed $SEED: the same pages on every run), which zlib compresses about as it does real pages.
The raw pages are also written, concatenated, to one file, and \`openssl dgst -sha256\` hashes it: that is
the peer. Every timing is the wall time of the whole command, best of $RUNS runs, with the store and the
raw file in the page cache; memory is the peak resident set size measured by $MEASURE_TOOL.
The numbers move with whatever else runs on the machine: the load average is noted below.

## Machine

| | |
| --- | --- |
| CPUs (\`nproc\`) | $NPROC |
| CPU | $CPU_MODEL ($SHA_EXT) |
| RAM | $RAM |
| kernel | $KERNEL |
| Swift | $SWIFT_VERSION |
| OpenSSL | $OPENSSL_VERSION |
| date | $DATE |
| load average (1, 5, 15 min) | $LOAD_START at the start, $LOAD_GOAL1 before goal 1, $LOAD_END at the end |

## Goals

| goal | ours | peer | ratio | result |
| --- | --- | --- | --- | --- |
| 1. \`temoin verify\` throughput on $ENTRIES entries / $(r0 "$(mb "$BIG_RAW")") MB of captures ≥ 50 % of \`openssl dgst -sha256\` over the same bytes | $(r0 "$OURS_MBS") MB/s ($(r3 "$VWALL_big") s) | $(r0 "$SSL_MBS") MB/s ($(r3 "$SWALL_big") s) | $(r2 "$RATIO") | $(verdict "$G1")${VBAD_big:+ ($VBAD_big)} |
| 2. import (append) of a $(r0 "$(calc "$PAGE_SIZE / 1000")") KB saved page, p50 < 5 ms in the process | p50 $(r2 "$A1_latency_p50_ms") ms (p90 $(r2 "$A1_latency_p90_ms"), p99 $(r2 "$A1_latency_p99_ms"), max $(r2 "$A1_latency_max_ms"); p50 of the $RUNS runs: $A1_ALL) | budget 5 ms | $(r2 "$(calc "$A1_latency_p50_ms / 5")") of budget | $(verdict "$G2") |
| 3. peak memory of \`temoin verify\` < 100 MB whatever the store size | $(rssmb "$VRSS_big") MB ($ENTRIES entries), $(rssmb "$VRSS_small") MB ($SMALL_ENTRIES)$([ "$MANY_ENTRIES" -gt 0 ] && echo ", $(rssmb "$VRSS_many") MB ($MANY_ENTRIES)"); slope $(r2 "$RSS_SLOPE_KB") KB per entry from $LO_N to $FAR_N entries: $(r0 "$RSS_AT_100K") MB at 100,000 entries | openssl $(rssmb "$SRSS_big") MB | $(r2 "$(calc "$MAX_RSS_ALL / 102400")") of budget (largest measured) | $(verdict "$G3") |
| 4. wall time of one live attempt (\`temoin attempt\`, one GET of the simulated page, recorded with every exchange, fsync) ≤ 1.0× \`wget --warc-file\` fetching the same page | median $(r2 "$LIVE_temoin_MS") ms | median $(r2 "$LIVE_wget_MS") ms | $(r2 "$LIVE_RATIO") | $(verdict "$G4") |
| 5. store bytes per live attempt ≤ wget's \`.warc.gz\` bytes per capture | $(r0 "$LIVE_STORE_PER") B ($LIVE_ENTRIES attempts, $LIVE_STORE_BYTES B store incl. the case) | $(r0 "$LIVE_WARC_PER") B ($ATTEMPTS files, $LIVE_WARC_BYTES B) | $(r2 "$SIZE_RATIO") | $(verdict "$G5") |
$(baserows)

Goal 3 counts as met only if every measured peak is under 100 MB and the peak, extrapolated linearly
through the two largest entry counts measured ($LO_N and $FAR_N: both stores fill the batches of captures
verify holds in flight, which the small store does not), stays under 100 MB at 100,000 entries (an
attempt every five minutes for a year); $(if [ "$RSS_100MB_AT" = never ]; then echo "the peak does not grow with the number of entries, so 100 MB is never reached at this slope"; else echo "at this slope 100 MB is reached at about $RSS_100MB_AT entries"; fi).
$(if [ "$HAVE_BASE" = 1 ]; then firstrows; fi)
$(if [ "$HAVE_BASE" = 1 ]; then echo "
Each verify of goal 7, ours and $BASE_VERSION's, starts with its program's file dropped from the page
cache, as after a reboot or from a USB stick. Peak memory counts the pages of the program the kernel
maps around each one it touches, and that depends on which of the file's pages are cached: the same
76822b7 binary peaked at 43 MB on the 100,000-entry store as it happened to be cached, and at 49 MB once
dropped from the cache and read back whole. Both programs are therefore measured from the same state."; fi)

### Goal 4: where the time of a live attempt goes

Medians of $ATTEMPTS runs each, in the same run as goal 4 (wall time of the whole command):

| command | shared libraries loaded | median |
| --- | --- | --- |
| \`wget --warc-file\` (the whole attempt) | $WGET_LIBS | $(r2 "$LIVE_wget_MS") ms |
$(if [ "$HAVE_FLOOR" = 1 ]; then echo "| an empty C program linked to libcurl, libxml2, libsqlite3 and libdeflate (does nothing) | $FLOOR_LIBS | $(r2 "$LIVE_floor_MS") ms |"; fi)
| \`temoin --version\` (starts and exits: loading, Swift runtime, argument parsing) | $TEMOIN_LIBS | $(r2 "$LIVE_version_MS") ms |
| \`temoin attempt\` (the whole attempt) | $TEMOIN_LIBS | $(r2 "$LIVE_temoin_MS") ms |

Debian's libcurl alone brings some thirty shared libraries (Kerberos, LDAP, SSH, RTMP, GnuTLS, nghttp2,
libpsl...) whose loading and relocation happen before \`main\`: $(if [ "$HAVE_FLOOR" = 1 ]; then echo "an empty program that links the libraries an attempt needs already takes $(r2 "$(calc "$LIVE_floor_MS / $LIVE_wget_MS")")× wget's whole attempt"; else echo "no C compiler was found to measure that floor here"; fi). temoin also links
pango and cairo (the dossier) and the Swift runtime; the attempt itself (the exchange, the analysis, the
compressed capture and one durable SQLite transaction) is the difference between the last two rows.

## Verify: how it grows with the store

| store | entries | raw captures | on disk | verify wall | CPU (user+sys) | throughput | wall per entry | openssl on the same bytes | ratio | peak RSS |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
$(storerow small "small, ~$(r0 "$(calc "$BYTES_PER_ENTRY / 1000")") KB pages")
$(storerow big "large, ~$(r0 "$(calc "$BYTES_PER_ENTRY / 1000")") KB pages")
EOF
    if [ "$MANY_ENTRIES" -gt 0 ]; then
        storerow many "many entries, ~$(r1 "$(calc "$MAKE_many_raw_bytes / $MAKE_many_entries / 1000")") KB pages"
    fi
    cat <<EOF

$(r2 "$(calc "$VWALL_big / $VWALL_small")")× the time for $(r0 "$(calc "$ENTRIES / $SMALL_ENTRIES")")× the entries and bytes. On one core,
through TemoinKit's public API, inflating the stored pages (\`CaptureCodec.decode\`, libdeflate) runs at
$(r0 "$C_inflate_mb_s") MB/s of output, SHA-256 (\`sha256Hex\`, swift-crypto) at $(r0 "$C_sha256_mb_s") MB/s, both in turn at
$(r0 "$ONE_CORE") MB/s: with all $NPROC cores on it and nothing else, verify could reach about $(r0 "$IDEAL") MB/s.

## Store size

| store | raw capture bytes | store on disk | compression |
| --- | --- | --- | --- |
$(sizerow small "small")
$(sizerow big "large")
EOF
    if [ "$MANY_ENTRIES" -gt 0 ]; then sizerow many "many entries"; fi
    cat <<EOF

The store holds each capture as a zlib stream (libdeflate, level 6) plus the entries (a JSON body of
about 600 bytes each) and SQLite's page overhead.

## Append latency

\`Importer(store:).importFile(page, options: ImportOptions(observedAt: …))\`, a new \`Importer\` each time
(as each \`temoin import\` does), $APPEND_COUNT times, each with a distinct \`observed_at\` so the duplicate
check does not skip it; every append is its own transaction and fsyncs (\`synchronous = FULL\`). The page
is a $PAGE_SIZE-byte RDV Préfecture saved page with its "saved from url" comment. Milliseconds.

| case | p50 | p90 | p99 | max | of which \`Importer.init\` (p50) | of which \`importFile\` (p50) |
| --- | --- | --- | --- | --- | --- | --- |
$(latrow A1 "new store, the same page each time (its capture blob is stored once)")
$(latrow A2 "new store, a distinct page each time (a new blob per append)")
$(latrow A3 "the $ENTRIES-entry store, a distinct page each time")
EOF
    if [ "$HAVE_FIXTURE" = 1 ]; then latrow A4 "new store, a real $A4_page_bytes-byte page (test fixture), distinct each time"; fi
    cat <<EOF

### Where the time of one import goes

TemoinKit's public pieces timed one by one on the same page (\`temoin-bench profile-import\`), p50 in
milliseconds. Lines marked ↳ are parts of \`PageAnalyzer.analyze\` re-timed on their own: text
normalisation is \`TextNormalizer.forMatching\` over every visible block of the page (one pass over
Unicode scalars into UTF-8 bytes; the Foundation-based version it replaced took 46.65 ms on a 60 KB
page). Marker search is the worst case of the
text rules (every marker searched in every block, as on a page no rule recognises).

| piece | $(r0 "$(calc "$P_page_bytes / 1000")") KB page ($P_blocks blocks) |$([ "$HAVE_FIXTURE" = 1 ] && echo " $(r1 "$(calc "$PF_page_bytes / 1000")") KB test fixture ($PF_blocks blocks) |")
| --- | --- |$([ "$HAVE_FIXTURE" = 1 ] && echo " --- |")
$(profrow read_file "read the file")
$(profrow case_record "\`Store.caseRecord()\` (what \`Importer.init\` does)")
$(profrow rule_set_load "\`RuleSet.named\` (profile JSON read and checked)")
$(profrow charset_decode "charset detection and decoding")
$(profrow page_analyze "\`PageAnalyzer.analyze\`")
$(profrow text_normalize "↳ text normalisation (\`TextNormalizer.forMatching\`)")
$(profrow collapse_whitespace "↳ \`collapseWhitespace\` of every block")
$(profrow marker_search "↳ marker search (worst case, byte search)")
$(profrow pending_capture "SHA-256 (\`PendingCapture\`) and zlib (\`CaptureCodec.encode\`) of a new page")
$(profrow importer_import_file "the whole \`Importer(store:).importFile\`, for comparison")
$(profrow store_append "\`Store.append\` (JSON, SQLite, fsync)")

## Building the stores

| store | attempts | time | generating pages | hashing (\`PendingCapture\`) | \`Store.append\` (zlib of the new capture, JSON, SQLite, fsync) |
| --- | --- | --- | --- | --- | --- |
$(makerow small "small")
$(makerow big "large")
EOF
    if [ "$MANY_ENTRIES" -gt 0 ]; then makerow many "many entries"; fi
    # The court dossier (5,000 attempts): its own section, and the picture of PJ1's first page in docs/.
    "$ROOT/scripts/bench-dossier.sh" "$BIN_DIR" "$(dirname "$OUT")/dossier-PJ1-page1.png" \
        || printf '\n## Court dossier\n\nThe dossier benchmark could not run (see the output of make bench).\n'
    cat <<EOF

The whole benchmark took $TOTAL_S s.
EOF
} >"$OUT"

say "wrote $OUT"
echo
echo "Summary (load average $LOAD_START at the start, $LOAD_END at the end)"
echo "  1. verify throughput: $(r0 "$OURS_MBS") MB/s vs openssl $(r0 "$SSL_MBS") MB/s, ratio $(r2 "$RATIO") (goal >= 0.50): $(verdict "$G1" | tr -d '*')"
echo "  2. append p50: $(r2 "$A1_latency_p50_ms") ms, p90 $(r2 "$A1_latency_p90_ms"), p99 $(r2 "$A1_latency_p99_ms"), max $(r2 "$A1_latency_max_ms") (goal p50 < 5 ms): $(verdict "$G2" | tr -d '*')"
echo "  3. verify peak RSS: $(rssmb "$VRSS_small") MB ($SMALL_ENTRIES entries), $(rssmb "$VRSS_big") MB ($ENTRIES)$([ "$MANY_ENTRIES" -gt 0 ] && echo ", $(rssmb "$VRSS_many") MB ($MANY_ENTRIES)"); $(r2 "$RSS_SLOPE_KB") KB/entry (goal < 100 MB at any size): $(verdict "$G3" | tr -d '*')"
echo "  4. live attempt: temoin $(r2 "$LIVE_temoin_MS") ms vs wget $(r2 "$LIVE_wget_MS") ms, ratio $(r2 "$LIVE_RATIO") (goal <= 1.0): $(verdict "$G4" | tr -d '*')"
echo "  5. bytes per attempt: store $(r0 "$LIVE_STORE_PER") vs warc.gz $(r0 "$LIVE_WARC_PER"), ratio $(r2 "$SIZE_RATIO") (goal <= 1.0): $(verdict "$G5" | tr -d '*')"
echo "  verify time: $(r3 "$VWALL_small") s for $SMALL_ENTRIES entries, $(r3 "$VWALL_big") s for $ENTRIES entries$([ "$MANY_ENTRIES" -gt 0 ] && echo ", $(r3 "$VWALL_many") s for $MANY_ENTRIES small entries")"
echo "  store size: $(r0 "$(mb "$BIG_RAW")") MB raw -> $(r0 "$(mb "$DISK_big")") MB on disk ($(r2 "$(calc "$BIG_RAW / $DISK_big")")x)"
echo "  6. dossier (5,000 attempts): see the Court dossier section of $OUT"
echo "  total: $TOTAL_S s"
