#!/bin/sh
# VNN-COMP tool interface: prepare_instance.sh v1 CATEGORY ONNX VNNLIB
# Certus needs no per-instance preparation; this checks that the binary and both files are
# there, so that a broken setup fails here (non-zero: the harness skips the category) rather
# than as a string of errors.
set -u
if [ "$#" -ne 4 ] || [ "$1" != "v1" ]; then
    echo "usage: prepare_instance.sh v1 CATEGORY ONNX VNNLIB" >&2
    exit 1
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CERTUS_BIN:-$ROOT/.build/release/certus}
if [ ! -x "$BIN" ]; then
    echo "prepare_instance.sh: $BIN is missing; run install_tool.sh v1 first" >&2
    exit 1
fi
for f in "$3" "$4"; do
    if [ ! -f "$f" ]; then
        echo "prepare_instance.sh: $f does not exist" >&2
        exit 1
    fi
done
exit 0
