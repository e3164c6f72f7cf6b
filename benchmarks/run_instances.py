#!/usr/bin/env python3
"""Runs `certus verify` on VNN-COMP instances and writes a VNN-COMP results CSV plus a summary.

The category is a benchmark folder of one competition year under $CERTUS_BENCHMARKS (acasxu and
mnistfc from vnncomp2021, oval21 from vnncomp2022, cora from vnncomp2024). Every verdict is compared
with that year's truth.csv and every `sat` counterexample is re-checked with `certus check`; the
summary ends with the published tools' counts on the same instances (the year's results/ folder).
Standard library only.

Examples (from the repository root, after `swift build -c release`):
  python3 benchmarks/run_instances.py acasxu --select 'prop_[34]' --nets '1_[1-9]'
  python3 benchmarks/run_instances.py acasxu --every 4           # the 47-instance subset
  python3 benchmarks/run_instances.py mnistfc --timeout 60
  python3 benchmarks/run_instances.py mnistfc --truth sat       # the instances with a known counterexample
  python3 benchmarks/run_instances.py mnistfc --timeout 60 --nodes   # also: how many were decided below the root
  python3 benchmarks/run_instances.py oval21                     # 30 CIFAR-10 CNN instances, 720 s each
  python3 benchmarks/run_instances.py cora                       # 60 MNIST instances, 30 s each
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

from vnncomp_instances import (ROOT, add_instance_arguments, category_dir, check_witness, first_line, is_wrong,
                               load_instances, load_truth, mib, published_summary, run_limited)


def main():
    p = argparse.ArgumentParser()
    add_instance_arguments(p)
    p.add_argument("--extra", default="", help="extra arguments for certus verify, e.g. '--no-bounds --engine exact'")
    p.add_argument("--out", default=None, help="results CSV (default benchmarks/out/<category>.csv)")
    p.add_argument("--nodes", action="store_true",
                   help="ask certus for --json and report how many decided instances went below the root of branch and bound")
    p.add_argument("--truth", default=None, choices=["sat", "unsat", "unknown"],
                   help="only the instances whose truth.csv verdict is this (unknown: no verdict)")
    args = p.parse_args()

    base = category_dir(args)
    rows = load_instances(args)
    truth = load_truth(args)
    if args.truth:
        rows = [r for r in rows if truth.get((args.category, r[0], r[1]), "unknown") == args.truth]

    out = args.out or os.path.join(ROOT, "benchmarks", "out", f"{args.category}.csv")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    results = []
    peak = 0  # KiB, the largest ru_maxrss of one certus process
    with open(out, "w") as csvfile, tempfile.TemporaryDirectory() as tmp:
        for onnx, vnnlib, timeout in rows:
            t = args.timeout or float(timeout)
            result_file = os.path.join(tmp, "result.txt")
            cmd = [args.certus, "verify", os.path.join(base, onnx), os.path.join(base, vnnlib),
                   "--timeout", str(t), "--result", result_file] + args.extra.split() + (["--json"] if args.nodes else [])
            run = run_limited(cmd, t + 30)
            word = "timeout" if run.killed else first_line(run.stdout) if run.returncode == 0 else "error"
            nodes = None
            if args.nodes and not run.killed and run.returncode == 0:
                try:
                    report = json.loads(run.stdout)
                    word, nodes = report["result"], report["nodes"]
                except (ValueError, KeyError):
                    word = "error"
            elapsed = run.elapsed
            peak = max(peak, run.maxrss_kib)
            check = ""
            if word == "sat":
                check = check_witness(args.certus, os.path.join(base, onnx), os.path.join(base, vnnlib), result_file)
            expected = truth.get((args.category, onnx, vnnlib), "?")
            wrong = is_wrong(word, expected)
            results.append((onnx, vnnlib, word, elapsed, expected, wrong, check, nodes))
            csvfile.write(f"{args.category},{onnx},{vnnlib},0,{word},{elapsed:.3f}\n")
            csvfile.flush()
            flag = " WRONG" if wrong else ""
            shown = f" nodes={nodes}" if nodes is not None else ""
            print(f"{onnx:40s} {vnnlib:22s} {word:8s} {elapsed:8.2f}s truth={expected}{flag} {check}{shown}", flush=True)

    decided = [r for r in results if r[2] in ("sat", "unsat")]
    times = [r[3] for r in results]
    print()
    print(f"instances: {len(results)}  decided: {len(decided)} (sat {sum(r[2]=='sat' for r in results)}, "
          f"unsat {sum(r[2]=='unsat' for r in results)})  wrong: {sum(r[5] for r in results)}  "
          f"invalid counterexamples: {sum(r[6]=='INVALID' for r in results)}")
    if times:
        print(f"total time: {sum(times):.1f}s  median: {statistics.median(times):.2f}s  "
              f"median (decided): {statistics.median([r[3] for r in decided]) if decided else float('nan'):.2f}s  "
              f"peak memory: {mib(peak):.0f} MiB")
    if args.nodes:
        # One node is the root alone (its bounds or the attack decided); more went below it.
        below = [r for r in decided if r[7] is not None and r[7] > 1]
        print(f"decided below the root of branch and bound: {len(below)} of {len(decided)} decided")
    print(f"results CSV: {out}")
    published = published_summary(args, rows, truth)
    if published:
        print(f"published results on the same {len(rows)} instances (solved = agreeing with truth.csv):")
        print("\n".join(published))
    sys.exit(1 if any(r[5] or r[6] == "INVALID" for r in results) else 0)


if __name__ == "__main__":
    main()
