#!/usr/bin/env bash
# Runs `certus bounds --json` on every VNN-COMP 2021 instance of the given categories and
# summarises per method: cases and instances proved, known-sat instances proved (must be 0),
# time, unstable ReLUs. Build first: swift build -c release.
#
#   benchmarks/bounds/run.sh                      # acasxu and mnistfc, all methods
#   benchmarks/bounds/run.sh acasxu               # one category
#   METHOD=linear ITERATIONS=50 benchmarks/bounds/run.sh mnistfc
#   SELECT='prop_[34]' NETS='1_[1-9]' benchmarks/bounds/run.sh acasxu
#
# Environment: CERTUS (binary, default .build/release/certus), CERTUS_BENCHMARKS (folder holding
# vnncomp2021, required), METHOD (default all), ITERATIONS (Lagrangian
# iterations per objective, default 100), SELECT / NETS (grep -E patterns on the property and
# network file names), OUT (default benchmarks/bounds/out).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
certus="${CERTUS:-$root/.build/release/certus}"
[ -n "${CERTUS_BENCHMARKS:-}" ] || { echo "error: set CERTUS_BENCHMARKS to the folder holding vnncomp2021" >&2; exit 2; }
benchmarks="$CERTUS_BENCHMARKS/vnncomp2021"
method="${METHOD:-all}"
iterations="${ITERATIONS:-100}"
out="${OUT:-$here/out}"
categories=("$@")
[ ${#categories[@]} -eq 0 ] && categories=(acasxu mnistfc)

[ -x "$certus" ] || { echo "error: $certus not found; run swift build -c release (or set CERTUS)" >&2; exit 2; }
[ -d "$benchmarks" ] || { echo "error: benchmarks not found at $benchmarks (set CERTUS_BENCHMARKS)" >&2; exit 2; }

for category in "${categories[@]}"; do
    folder="$benchmarks/$category"
    listing="$(ls "$folder"/*instances.csv | head -n 1)"
    mkdir -p "$out/$category"
    while IFS=, read -r model property _timeout || [ -n "$model" ]; do
        [ -n "$model" ] || continue
        if [ -n "${SELECT:-}" ] && ! grep -Eq "${SELECT}" <<<"$property"; then continue; fi
        if [ -n "${NETS:-}" ] && ! grep -Eq "${NETS}" <<<"$model"; then continue; fi
        result="$out/$category/${model%.onnx}__${property%.vnnlib}.json"
        if ! "$certus" bounds "$folder/$model" "$folder/$property" --method "$method" --iterations "$iterations" --json >"$result.tmp"; then
            echo "error: certus bounds failed on $model $property" >&2
            rm -f "$result.tmp"
            continue
        fi
        mv "$result.tmp" "$result"
        echo "$category $model $property" >&2
    done <"$listing"
done

python3 "$here/summarize.py" --truth "$benchmarks/truth.csv" "$out" "${categories[@]}"
