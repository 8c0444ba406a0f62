#!/usr/bin/env bash
# Benchmark of `platformgen diff` and `platformgen kustomize`.
#
#   bench/diff.sh                 diff at 10,000 services; kustomize at 100,
#                                 1,000 and 10,000 services
#   bench/diff.sh --services N    diff at N services instead
#   bench/diff.sh --quick         diff at 1,000 services; kustomize at 100 and 1,000
#
# The change diffed: a synthetic platform (bench/generate.py) and the same
# platform with the image of every 100th service bumped (1% of the services,
# two objects' worth of change each: the Deployment and its version label on
# the pod template), as a typical release pull request.
#
# Measured, as a user runs them (median of 3 runs after a warm-up; hyperfine
# when installed, else a Python loop):
#
# - `render prod` of the changed platform: the floor of every diff;
# - `diff prod --against TREE`: against a `render --out` of the original;
# - `diff prod` in a git repository whose HEAD holds the original (the default
#   `--against-ref HEAD`: both specs are compiled);
#
# and in process (examples/diff_bench.rs, best of 5): the diff itself
# (matching, comparing, hunks, text report), the same through the tree on
# disk, and the kustomize emission. Then `platformgen kustomize --out` (whole
# process) next to `kubectl kustomize` building the prod overlay it wrote,
# with a time limit (kustomize's cost grows much faster than linearly).
#
# Scratch files go to bench/out/diff (gitignored). Results are printed as
# Markdown and saved to bench/out/diff/results.md; see docs/performance.md.
#
# Needs: cargo, python3, git. Optional: hyperfine, kubectl (with kustomize).

set -euo pipefail

usage() {
    sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
}

SERVICES=10000
KUSTOMIZE_SIZES=(100 1000 10000)
KUBECTL_TIMEOUT=600
while (($#)); do
    case "$1" in
        --services) SERVICES="$2"; shift ;;
        --quick) SERVICES=1000; KUSTOMIZE_SIZES=(100 1000) ;;
        -h | --help) usage; exit 0 ;;
        *) echo "diff.sh: unknown option \`$1\` (try --help)" >&2; exit 2 ;;
    esac
    shift
done

RUNS=3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="bench/out/diff"
BIN="$ROOT/${CARGO_TARGET_DIR:-target}/release/platformgen"
mkdir -p "$OUT"

log() { echo "$*" >&2; }

log "building (release)..."
cargo build --release --quiet
cargo build --release --quiet --example diff_bench

# Median wall time in seconds of a command run in directory $1. Exit status 1
# is accepted: it is `diff`'s answer "there are changes".
median_wall() {
    local dir="$1"
    shift
    if command -v hyperfine > /dev/null; then
        local json
        json="$(mktemp)"
        (cd "$dir" && hyperfine --shell=none --style=none --ignore-failure --warmup 1 \
            --runs "$RUNS" --export-json "$json" -- "$*" > /dev/null 2>&1)
        python3 - "$json" <<'PY'
import json, statistics, sys
print(statistics.median(json.load(open(sys.argv[1]))["results"][0]["times"]))
PY
        rm -f "$json"
    else
        (cd "$dir" && python3 - "$RUNS" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, command = int(sys.argv[1]), sys.argv[2:]
times = []
for i in range(runs + 1):
    start = time.perf_counter()
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    if code not in (0, 1):
        sys.exit(f"{command} exited {code}")
    if i >= 1:
        times.append(time.perf_counter() - start)
print(statistics.median(times))
PY
        )
    fi
}

format_seconds() {
    python3 -c '
import sys
s = float(sys.argv[1])
print(f"{s:.2f} s" if s >= 1 else f"{s * 1000:.0f} ms")' "$1"
}

# The platform of $1 services in $OUT/$1/before, the changed one in
# $OUT/$1/after.
generate() {
    local n="$1"
    if [[ ! -f "$OUT/$n/before/platform.yaml" ]]; then
        log "generating $n services..."
        python3 bench/generate.py "$n" "$OUT/$n/before" > /dev/null
    fi
    rm -rf "$OUT/$n/after"
    cp -r "$OUT/$n/before" "$OUT/$n/after"
    python3 - "$OUT/$n/after/platform.yaml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
text = re.sub(r"(svc-\d{3}00):1\.0\.0", r"\1:1.1.0", text)
open(path, "w").write(text)
PY
}

generate "$SERVICES"
BEFORE="$OUT/$SERVICES/before"
AFTER="$OUT/$SERVICES/after"

log "rendering the original to a tree..."
rm -rf "$OUT/$SERVICES/tree"
"$BIN" --quiet --dir "$BEFORE" render prod --out "$OUT/$SERVICES/tree"

log "committing the original in a git repository..."
REPO="$OUT/$SERVICES/repo"
rm -rf "$REPO"
cp -r "$BEFORE" "$REPO"
git -C "$REPO" init --quiet
git -C "$REPO" add --all
git -C "$REPO" -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false \
    commit --quiet -m original
cp "$AFTER/platform.yaml" "$REPO/platform.yaml"

log "checking the diff..."
summary=$("$BIN" --dir "$AFTER" diff prod --against "$OUT/$SERVICES/tree" 2>&1 > /dev/null || true)
log "  $summary"

log "measuring whole processes ($RUNS runs each)..."
render_s=$(median_wall "$AFTER" "$BIN" --quiet render prod)
tree_s=$(median_wall "$AFTER" "$BIN" --quiet diff prod --against "$ROOT/$OUT/$SERVICES/tree")
ref_s=$(median_wall "$REPO" "$BIN" --quiet diff prod)

log "measuring in process..."
split=$("$ROOT/${CARGO_TARGET_DIR:-target}/release/examples/diff_bench" \
    "$BEFORE" "$AFTER" prod --tree "$OUT/$SERVICES/tree" --runs 5)
objects=$(awk '$1 == "renders:" {print $2}' <<< "$split")
diff_ms=$(awk '$1 == "diff" {print $3}' <<< "$split")
tree_ms=$(awk '$1 == "tree" {print $3}' <<< "$split")
kustomize_ms=$(awk '$1 == "kustomize" {print $3}' <<< "$split")

DIFF_TABLE="| $SERVICES services, prod ($objects objects), $summary | wall |
|---|---:|
| \`render prod\` (the floor: compile + emit) | $(format_seconds "$render_s") |
| \`diff prod --against TREE\` | $(format_seconds "$tree_s") |
| \`diff prod\` (against HEAD, compiles both specs) | $(format_seconds "$ref_s") |
| in process: the diff itself (match, compare, hunks, report), best of 5 | $diff_ms ms |
| in process: read the tree back and diff, best of 5 | $tree_ms ms |
| in process: kustomize emission, 3 environments, best of 5 | $kustomize_ms ms |"

KUSTOMIZE_TABLE="| services | \`platformgen kustomize --out\` | \`kubectl kustomize overlays/prod\` |
|---:|---:|---:|"
for n in "${KUSTOMIZE_SIZES[@]}"; do
    generate "$n"
    dir="$OUT/$n/kustomize"
    rm -rf "$dir"
    log "kustomize: $n services..."
    emit_s=$(median_wall "$OUT/$n/after" "$BIN" --quiet kustomize --out "$ROOT/$dir")
    if command -v kubectl > /dev/null; then
        start=$(date +%s.%N)
        if timeout "$KUBECTL_TIMEOUT" kubectl kustomize "$dir/overlays/prod" > /dev/null; then
            end=$(date +%s.%N)
            build=$(format_seconds "$(python3 -c "print($end - $start)")")
        else
            build="> $KUBECTL_TIMEOUT s (stopped)"
        fi
    else
        build="n/a (no kubectl)"
    fi
    KUSTOMIZE_TABLE+="
| $n | $(format_seconds "$emit_s") | $build |"
done

{
    echo "\`platformgen diff\`: whole process, median of $RUNS runs; in process, examples/diff_bench.rs."
    echo
    echo "$DIFF_TABLE"
    echo
    echo "\`platformgen kustomize --out\` (every environment, whole process, median of $RUNS runs) next to"
    echo "\`kubectl kustomize\` building one overlay of it (one run, stopped after $KUBECTL_TIMEOUT s)."
    echo
    echo "$KUSTOMIZE_TABLE"
} | tee "$OUT/results.md"
