#!/bin/sh
# Certus's soundness self-test: generate a small soundness bench with a
# fixed seed, run Certus on it through its VNN-COMP scripts (vnncomp/) with `certus soundness
# run`, and again with `--proof {proof}` so that every unsat's proof certificate is checked, and
# fail on any unsound claim (unsat where a counterexample is planted, or whose certificate does
# not check) or invalid counterexample: the runner then exits with status 1, and so does this
# script. Status 2 is a setup problem (no binary, bad bench). About 3-5 minutes on 2 cores with
# the debug build.
#
#   swift build            # or swift test, which builds the same debug products
#   benchmarks/soundness/selftest.sh [WORKDIR]
#
# The binary is `certus` in `swift build --show-bin-path` (the debug build); CERTUS_BIN
# overrides it, e.g. CERTUS_BIN=.build/release/certus after `swift build -c release`. Without
# WORKDIR a temporary folder is used and removed; with one, the bench and the reports
# (WORKDIR/results/report.{md,json,html}) are kept there.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${CERTUS_BIN:-}" ]; then
    BIN_DIR=$(cd "$ROOT" && swift build --show-bin-path) || { echo "selftest.sh: swift build --show-bin-path failed" >&2; exit 2; }
    CERTUS_BIN=$BIN_DIR/certus
fi
export CERTUS_BIN
if [ ! -x "$CERTUS_BIN" ]; then
    echo "selftest.sh: $CERTUS_BIN is missing; run: swift build (or set CERTUS_BIN)" >&2
    exit 2
fi
if [ "$#" -ge 1 ]; then
    WORK=$1
    rm -rf "$WORK/bench" "$WORK/results"
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi
START=$(date +%s)
# One trained MLP and three pocket models (MLPs and a CNN). The trained model gets the unit
# test's budget (3 rounds of 600 epochs; with this seed one of its two planted points survives)
# so that the debug build generates quickly. Fixed seed: the same bench every time.
"$CERTUS_BIN" soundness generate --out "$WORK/bench" --seed 3 --timeout 20 --epochs 600 --hiding-rounds 3 \
    --models mlp:8:16x16:2:trained:2+1 mlp:5:12x12:2:pocket:2+1 mlp:10:16x16:3:pocket:2+1 \
             cnn:1x6x6:2k3s1:12:2:pocket:2+1
status=0
"$CERTUS_BIN" soundness run --bench "$WORK/bench" --vnncomp-scripts "certus=$ROOT/vnncomp" \
    --verifier "certus-proof='$CERTUS_BIN' verify {onnx} {vnnlib} --timeout {timeout} --proof {proof}" \
    --out "$WORK/results" --jobs 2 || status=$?
echo "selftest.sh: $(($(date +%s) - START)) s, runner exit status $status"
exit "$status"
