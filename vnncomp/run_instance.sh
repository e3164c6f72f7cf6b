#!/bin/sh
# VNN-COMP tool interface: run_instance.sh v1 CATEGORY ONNX VNNLIB RESULTS_FILE TIMEOUT
# Runs `certus verify` and leaves its VNN-COMP result in RESULTS_FILE: sat (with the checked
# counterexample), unsat, unknown or timeout; `error` when Certus rejects the input or fails.
# CERTUS_BIN overrides the binary (default: the release build of this checkout).
set -u
if [ "$#" -ne 6 ] || [ "$1" != "v1" ]; then
    echo "usage: run_instance.sh v1 CATEGORY ONNX VNNLIB RESULTS_FILE TIMEOUT" >&2
    exit 1
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CERTUS_BIN:-$ROOT/.build/release/certus}
ONNX=$3
VNNLIB=$4
RESULT=$5
TIMEOUT=$6
TMP=""
cleanup() { if [ -n "$TMP" ]; then rm -rf "$TMP"; fi; }
trap cleanup EXIT
# The harness normally unzips .gz files; handle them here too.
for kind in ONNX VNNLIB; do
    eval "path=\$$kind"
    case "$path" in
        *.gz)
            if [ -z "$TMP" ]; then TMP=$(mktemp -d); fi
            plain="$TMP/$(basename "$path" .gz)"
            gunzip -c "$path" > "$plain" || { echo error > "$RESULT"; exit 0; }
            eval "$kind=\$plain"
            ;;
    esac
done
rm -f "$RESULT"
"$BIN" verify "$ONNX" "$VNNLIB" --timeout "$TIMEOUT" --result "$RESULT" > /dev/null
status=$?
if [ ! -s "$RESULT" ]; then
    # No result written: bad input (status 2) or an internal failure.
    echo "run_instance.sh: certus verify exited with status $status without a result" >&2
    echo error > "$RESULT"
fi
exit 0
