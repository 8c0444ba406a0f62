#!/usr/bin/env bash
# Performance benchmark of `platformgen render`.
#
#   bench/run.sh            reference platform + synthetic platforms of 10, 100,
#                           1,000 and 10,000 services
#   bench/run.sh --quick    the same, synthetic platforms up to 1,000 services
#
# For each case it measures the whole process, as a user or CI job runs it:
#
#   target/release/platformgen --dir DIR render prod > /dev/null
#
# - wall time: median of 5 runs after 3 warm-up runs (hyperfine when installed,
#   otherwise a Python timing loop);
# - peak memory: maximum resident set size of one run (GNU `/usr/bin/time -v`;
#   "n/a" without it);
# - output: number of resources (YAML documents) and bytes.
#
# Then, in process, the best of 5 of compilation (load, parse, merge, analyze,
# lower) and of YAML emission alone (`examples/emit_bench.rs`), to show where
# the time goes.
#
# Synthetic platforms are written to bench/out/N (gitignored) by
# bench/generate.py. Results are printed as Markdown tables and also saved to
# bench/out/results.md. See docs/performance.md.
#
# Needs: cargo, python3. Optional: hyperfine, GNU time
# (`apt-get install -y hyperfine time`).

set -euo pipefail

usage() {
    sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
}

SIZES=(10 100 1000 10000)
while (($#)); do
    case "$1" in
        --quick) SIZES=(10 100 1000) ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown option \`$1\` (try --help)" >&2; exit 2 ;;
    esac
    shift
done

RUNS=5
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="bench/out"
# Relative to the repository root (the working directory from here on), so a
# checkout path with spaces cannot split the command hyperfine runs.
BIN="${CARGO_TARGET_DIR:-target}/release/platformgen"
mkdir -p "$OUT"

log() { echo "$*" >&2; }

if ! [[ -x /usr/bin/time ]]; then
    log "note: GNU time (/usr/bin/time) is missing, peak RSS will read n/a; apt-get install -y time"
fi

log "building (release)..."
cargo build --release --quiet
cargo build --release --quiet --example emit_bench

# Median wall time in seconds of `$BIN --dir $1 render prod`, stdout discarded.
median_wall() {
    local dir="$1" slug="$2"
    if command -v hyperfine > /dev/null; then
        local json="$OUT/hyperfine-$slug.json"
        # --shell=none: no shell start-up in the figure, the command is run
        # directly; hyperfine sends its stdout to /dev/null.
        hyperfine --shell=none --style=none --warmup 3 --runs "$RUNS" \
            --export-json "$json" -- "$BIN --dir $dir render prod" > /dev/null
        python3 - "$json" <<'PY'
import json, statistics, sys
times = json.load(open(sys.argv[1]))["results"][0]["times"]
print(statistics.median(times))
PY
    else
        python3 - "$BIN" "$dir" "$RUNS" <<'PY'
import statistics, subprocess, sys, time
binary, directory, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
command = [binary, "--dir", directory, "render", "prod"]
times = []
for i in range(runs + 3):  # the first 3 runs are warm-ups (page cache)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    if i >= 3:
        times.append(time.perf_counter() - start)
print(statistics.median(times))
PY
    fi
}

# Peak resident set size of one run, in KiB; empty when GNU time is missing.
# Only GNU time gives an honest figure: a child forked from Python (or bash)
# reports at least its parent's size, as the kernel counts the memory the child
# had before exec.
peak_rss_kib() {
    local dir="$1"
    if [[ -x /usr/bin/time ]] && /usr/bin/time -v true > /dev/null 2>&1; then
        # GNU time writes its report to stderr, after the program's own stderr.
        /usr/bin/time -v "$BIN" --dir "$dir" render prod 2>&1 > /dev/null |
            awk -F': *' '/Maximum resident set size/ {print $2}'
    fi
}

format_seconds() {
    python3 -c '
import sys
s = float(sys.argv[1])
print(f"{s:.2f} s" if s >= 1 else f"{s * 1000:.1f} ms")' "$1"
}

format_kib() {
    if [[ -z "$1" ]]; then
        echo "n/a"
    else
        python3 -c 'import sys; print(f"{int(sys.argv[1]) / 1024:.1f} MB")' "$1"
    fi
}

# Case list: "label|directory|slug|services"; services empty when counted from
# the output (Deployments and StatefulSets); slug names scratch files.
CASES=()
if [[ -f platform.yaml ]]; then
    CASES+=("reference (repo root)|.|reference|")
else
    log "note: no platform.yaml at the repository root; skipping the reference case"
fi
for n in "${SIZES[@]}"; do
    log "generating $n services..."
    python3 bench/generate.py "$n" "$OUT/$n"
    CASES+=("synthetic $n|$OUT/$n|$n|$n")
done

MAIN_TABLE="| case | services | resources | output bytes | median wall | peak RSS |
|---|---:|---:|---:|---:|---:|"
SPLIT_TABLE="| case | compile (best of $RUNS) | emit (best of $RUNS) | emit share |
|---|---:|---:|---:|"

for entry in "${CASES[@]}"; do
    IFS='|' read -r label dir slug services <<< "$entry"
    log "measuring $label..."

    # One checked run first: a render that fails must stop the benchmark with
    # its diagnostics, not be timed.
    rendered="$OUT/render-$slug.yaml"
    if ! "$BIN" --dir "$dir" render prod > "$rendered"; then
        log "run.sh: \`platformgen --dir $dir render prod\` failed; see the messages above"
        exit 1
    fi
    resources=$(grep -c '^---$' "$rendered" || true)
    bytes=$(wc -c < "$rendered")
    if [[ -z "$services" ]]; then
        services=$(grep -cE '^kind: (Deployment|StatefulSet)$' "$rendered" || true)
    fi

    wall=$(median_wall "$dir" "$slug")
    rss=$(peak_rss_kib "$dir")
    MAIN_TABLE+="
| $label | $services | $resources | $bytes | $(format_seconds "$wall") | $(format_kib "$rss") |"

    # emit_bench prints `compile  best X ms of 5 ...` and `emit     best Y ms ...`.
    split=$(cargo run --release --quiet --example emit_bench -- "$dir" prod --runs "$RUNS")
    compile_ms=$(awk '$1 == "compile" {print $3}' <<< "$split")
    emit_ms=$(awk '$1 == "emit" {print $3}' <<< "$split")
    share=$(python3 -c 'import sys; c, e = map(float, sys.argv[1:]); print(f"{100 * e / (c + e):.0f}%")' "$compile_ms" "$emit_ms")
    SPLIT_TABLE+="
| $label | $compile_ms ms | $emit_ms ms | $share |"
done

rm -f "$OUT"/render-*.yaml

{
    echo "Whole process, \`platformgen --dir DIR render prod > /dev/null\`: median of $RUNS runs, peak RSS of one run."
    echo
    echo "$MAIN_TABLE"
    echo
    echo "In process (examples/emit_bench.rs): compilation versus YAML emission."
    echo
    echo "$SPLIT_TABLE"
} | tee "$OUT/results.md"
