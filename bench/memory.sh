#!/usr/bin/env bash
# Peak memory of the compiling commands, whole process.
#
#   bench/memory.sh                  1,000 and 10,000 services
#   bench/memory.sh --services N...  the given sizes instead
#
# For each synthetic platform (bench/generate.py, written to bench/out/N/ as
# bench/run.sh does) it runs `render prod`, `check prod` and `check --all`
# once each under GNU time and prints wall time and peak RSS as a Markdown
# table (also saved to bench/out/memory.md); see docs/performance.md,
# "Memory". The limits of the reliability work: `render` under 250 MB and
# `check --all` under 500 MB at 10,000 services.
#
# Needs: cargo, python3, GNU time (`apt-get install -y time`).

set -euo pipefail

usage() {
    sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
}

SIZES=(1000 10000)
while (($#)); do
    case "$1" in
        --services) shift; SIZES=("$@"); break ;;
        -h | --help) usage; exit 0 ;;
        *) echo "memory.sh: unknown option \`$1\` (try --help)" >&2; exit 2 ;;
    esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="$ROOT/${CARGO_TARGET_DIR:-target}/release/platformgen"
if [[ ! -x /usr/bin/time ]]; then
    echo "memory.sh: needs GNU time at /usr/bin/time (apt-get install -y time)" >&2
    exit 2
fi
cargo build --release --quiet
mkdir -p bench/out

results="bench/out/memory.md"
{
    echo "| services | command | wall | peak RSS |"
    echo "|---:|---|---:|---:|"
} > "$results"
for services in "${SIZES[@]}"; do
    dir="bench/out/$services"
    if [[ ! -f "$dir/platform.yaml" ]]; then
        python3 bench/generate.py "$services" "$dir" > /dev/null
    fi
    for command in "render prod" "check prod" "check --all"; do
        # shellcheck disable=SC2086 # the command is split into its words on purpose
        # `check` exits 1 on findings (the synthetic images have no digest):
        # only a failure to compile (2) stops the benchmark.
        status=0
        /usr/bin/time -f "%e %M" -o bench/out/memory.time \
            "$BIN" --dir "$dir" $command > /dev/null 2>&1 || status=$?
        if ((status > 1)); then
            echo "memory.sh: \`platformgen $command\` failed on $dir (exit $status)" >&2
            exit 1
        fi
        # GNU time writes a line about a non-zero status before the figures.
        read -r wall kib < <(tail -n 1 bench/out/memory.time)
        printf '| %s | `%s` | %s s | %s MB |\n' "$services" "$command" "$wall" \
            "$((kib / 1024))" >> "$results"
    done
done
cat "$results"
