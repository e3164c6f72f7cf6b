#!/usr/bin/env bash
# Generates the VNN-LIB 2.0 ACAS Xu instances (generate.py) into a scratch folder, runs
# `certus verify QUERY --network ...` on each, confirms every unsat with --engine exact,
# and prints one line per instance and the counts and total time per kind.
# Usage: CERTUS_BENCHMARKS=DIR benchmarks/vnnlib2/run.sh [OUT [generate.py options]]
# DIR holds vnncomp2021/acasxu; OUT defaults to a temporary folder. Builds certus (release)
# first when $CERTUS is not set and .build/release/certus does not exist. Ends with the count
# of answers that contradict a known one ("wrong") and exits 1 if there is any.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$(mktemp -d)}
certus=${CERTUS:-$root/.build/release/certus}
if [ -z "${CERTUS_BENCHMARKS:-}" ]; then
    echo "error: set CERTUS_BENCHMARKS to the folder holding vnncomp2021/acasxu" >&2; exit 2
fi
if [ -z "${CERTUS:-}" ] && [ ! -x "$certus" ]; then
    echo "building certus (swift build -c release)..." >&2
    (cd "$root" && swift build -c release --product certus >&2)
fi
python3 "$here/generate.py" "$out" "${@:2}" >&2
printf '%-22s %-13s %-8s %-8s %8s  %s\n' instance kind expected result seconds check
declare -A count time
wrong=0
while IFS=, read -r kind query nets expected timeout; do
    args=()
    IFS=';' read -ra pairs <<< "$nets"
    for p in "${pairs[@]}"; do args+=(--network "$p"); done
    start=$(date +%s.%N)
    result=$("$certus" verify "$query" "${args[@]}" --timeout "$timeout" 2>/dev/null < /dev/null | head -1 || true)
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    check=""
    if [[ $result == unsat ]]; then
        second=$("$certus" verify "$query" "${args[@]}" --engine exact --no-bounds --timeout "$timeout" 2>/dev/null < /dev/null | head -1 || true)
        check="exact engine: $second"
    fi
    if [[ $expected != "?" && $expected != *"?" && $result != "$expected" && ( $result == sat || $result == unsat ) ]]; then
        check="$check MISMATCH"
        wrong=$((wrong + 1))
    fi
    name=$(basename "$query" .vnnlib)
    printf '%-22s %-13s %-8s %-8s %8.2f  %s\n' "$name" "$kind" "$expected" "$result" "$seconds" "$check"
    key="$kind/$result"
    count[$key]=$(( ${count[$key]:-0} + 1 ))
    time[$kind]=$(echo "${time[$kind]:-0} + $seconds" | bc)
done < "$out/instances.csv"
echo
for key in $(printf '%s\n' "${!count[@]}" | sort); do echo "$key: ${count[$key]}"; done
for kind in $(printf '%s\n' "${!time[@]}" | sort); do printf '%s total: %.1f s\n' "$kind" "${time[$kind]}"; done
echo "wrong: $wrong"
[ "$wrong" -eq 0 ]
