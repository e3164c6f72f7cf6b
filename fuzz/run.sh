#!/usr/bin/env bash
# Builds the libFuzzer targets with the address sanitizer and runs each for a bounded time.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET ...]      (default: 300 seconds, all targets)
#
# FUZZ_SANITIZERS picks the sanitizers (default fuzzer,address; fuzzer alone runs about three
# times as many inputs per second but only catches Swift's own traps). A set other than the
# default builds into its own folder, fuzz/.build-<set>, so switching does not rebuild.
#
# Targets: FuzzVNNLIB (the VNN-LIB reader) and FuzzONNX (the ONNX importer). They run one after
# the other, each in one process (-fork=1) that keeps going after a finding, so the whole budget
# is used and every distinct crash, timeout (10 s per input) or out-of-memory (2 GiB) is kept.
#
# Seeds: fuzz/seeds/<kind>/, the repository's examples and Tests/Fixtures, and the VNN-COMP 2021
# benchmarks in $CERTUS_BENCHMARKS/vnncomp2021 when that variable is set. The growing corpus lives in fuzz/.corpus/<target> (not committed).
#
# Findings are copied to Tests/Fixtures/fuzz-regressions/<kind>/, where FuzzRegressionTests in
# VNNLIBTests and ONNXImportTests read every file and require an error or a result, never a
# crash. A summary line per target (seconds, executions, findings) goes to stdout and to
# fuzz/.logs/summary.txt.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
seconds="${1:-300}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(FuzzVNNLIB FuzzONNX)
benchmarks="${CERTUS_BENCHMARKS:+$CERTUS_BENCHMARKS/vnncomp2021}"

sanitizers="${FUZZ_SANITIZERS:-fuzzer,address}"
case ",$sanitizers," in *,fuzzer,*) ;; *) echo "FUZZ_SANITIZERS must include fuzzer" >&2; exit 2 ;; esac
scratch="$here/.build"
[ "$sanitizers" != "fuzzer,address" ] && scratch="$here/.build-${sanitizers//,/-}"
flags=()
for s in ${sanitizers//,/ }; do flags+=("--sanitize=$s"); done

cd "$here"
echo "building fuzz targets (release, -sanitize=$sanitizers)..."
swift build -c release --scratch-path "$scratch" "${flags[@]}" -Xswiftc -sanitize="$sanitizers" 2>&1 \
    | grep -v "Cannot export local symbol" | grep -E "error|warning: .*Sources|Build complete" || true
bin="$scratch/release"

# Swift's own crash reporter would wait on a debugger-style unwind of a sanitizer abort.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}"

mkdir -p .logs
for target in "${targets[@]}"; do
    case "$target" in
        FuzzVNNLIB) kind=vnnlib; ext=vnnlib; maxlen=16384 ;;
        FuzzONNX) kind=onnx; ext=onnx; maxlen=65536 ;;
        *) echo "unknown target $target" >&2; exit 2 ;;
    esac
    corpus=".corpus/$target"; seeds=".seeds/$target"; artifacts=".artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    rm -rf "$seeds"; mkdir -p "$seeds"
    # Seeds: files up to the length limit (larger ones, such as MNIST properties and networks,
    # would slow every mutation tenfold without reaching new code).
    {
        find "$here/seeds/$kind" "$root/Tests/Fixtures" "$root/vnnlib" "$root/benchmarks/examples" \
            -name "*.$ext" -size -"$maxlen"c 2>/dev/null || true
        # An `if`, so that a missing folder does not fail the pipeline under pipefail.
        if [ -n "$benchmarks" ] && [ -d "$benchmarks" ]; then
            find "$benchmarks" -name "*.$ext" -size -"$maxlen"c | sort
        fi
    } | while read -r f; do cp "$f" "$seeds/$(echo "$f" | sha1sum | cut -c1-12)-$(basename "$f")"; done
    echo "$target: $(ls "$seeds" | wc -l) seed files, $(ls "$corpus" | wc -l) corpus files, ${seconds}s"

    log=".logs/$target.log"
    start=$(date +%s)
    "$bin/$target" "$corpus" "$seeds" \
        -dict="$here/dict/$kind.dict" -max_len="$maxlen" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
        -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1 || true
    elapsed=$(( $(date +%s) - start ))
    # In fork mode each status line starts with '#<total executions>:'.
    executions=$(grep -oE '^#[0-9]+:' "$log" | tail -1 | tr -d '#:' || true)
    [ -z "$executions" ] && executions=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')

    destination="$root/Tests/Fixtures/fuzz-regressions/$kind"
    new=0
    for finding in "$artifacts"/crash-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/leak-*; do
        [ -e "$finding" ] || continue
        name="$(basename "$finding").$ext"
        if [ ! -e "$destination/$name" ]; then
            mkdir -p "$destination"
            cp "$finding" "$destination/$name"
            new=$((new + 1))
        fi
    done
    line="$(date -u +%FT%TZ) $target [$sanitizers]: ${elapsed}s, ${executions:-?} executions, $new new findings (log fuzz/$log)"
    echo "$line" | tee -a .logs/summary.txt
done
