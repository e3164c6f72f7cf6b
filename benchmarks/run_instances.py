#!/usr/bin/env python3
"""Runs `certus verify` on VNN-COMP instances and writes a VNN-COMP results CSV plus a summary.

Every verdict is compared with truth.csv (VNN-COMP 2021 majority verdicts) and every `sat`
counterexample is re-checked with `certus check`. Standard library only.

Examples (from the repository root, after `swift build -c release`):
  python3 benchmarks/run_instances.py acasxu --select 'prop_[34]' --nets '1_[1-9]'
  python3 benchmarks/run_instances.py acasxu --every 4           # the 47-instance subset
  python3 benchmarks/run_instances.py mnistfc --timeout 60
"""
import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("category", help="acasxu, mnistfc or test")
    p.add_argument("--benchmarks", default=os.environ.get("CERTUS_BENCHMARKS", os.path.join(ROOT, "..", "shared", "benchmarks")))
    p.add_argument("--certus", default=os.path.join(ROOT, ".build", "release", "certus"))
    p.add_argument("--every", type=int, default=1, help="take every N-th instance, starting with the first")
    p.add_argument("--select", default=None, help="regex on the vnnlib file name")
    p.add_argument("--nets", default=None, help="regex on the onnx file name")
    p.add_argument("--timeout", type=float, default=None, help="override the instances' own timeouts")
    p.add_argument("--extra", default="", help="extra arguments for certus verify, e.g. '--no-bounds --engine exact'")
    p.add_argument("--out", default=None, help="results CSV (default benchmarks/out/<category>.csv)")
    args = p.parse_args()

    base = os.path.join(args.benchmarks, "vnncomp2021", args.category)
    listing = [f for f in os.listdir(base) if f.endswith("instances.csv")][0]
    with open(os.path.join(base, listing)) as f:
        rows = [r for r in csv.reader(f) if r]
    rows = rows[:: args.every]
    if args.select:
        rows = [r for r in rows if re.search(args.select, r[1])]
    if args.nets:
        rows = [r for r in rows if re.search(args.nets, r[0])]
    truth = {}
    with open(os.path.join(args.benchmarks, "vnncomp2021", "truth.csv")) as f:
        for r in csv.DictReader(f):
            truth[(r["category"], r["onnx"], r["vnnlib"])] = r["truth"]

    out = args.out or os.path.join(ROOT, "benchmarks", "out", f"{args.category}.csv")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    results = []
    with open(out, "w") as csvfile, tempfile.TemporaryDirectory() as tmp:
        for onnx, vnnlib, timeout in rows:
            t = args.timeout or float(timeout)
            result_file = os.path.join(tmp, "result.txt")
            cmd = [args.certus, "verify", os.path.join(base, onnx), os.path.join(base, vnnlib),
                   "--timeout", str(t), "--result", result_file] + args.extra.split()
            start = time.monotonic()
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=t + 30)
                word = proc.stdout.split("\n", 1)[0].strip() if proc.returncode == 0 else "error"
            except subprocess.TimeoutExpired:
                word = "timeout"
            elapsed = time.monotonic() - start
            check = ""
            if word == "sat":
                c = subprocess.run([args.certus, "check", os.path.join(base, onnx), os.path.join(base, vnnlib), result_file],
                                   capture_output=True, text=True)
                check = "valid" if c.returncode == 0 else "INVALID"
            expected = truth.get((args.category, onnx, vnnlib), "?")
            wrong = word in ("sat", "unsat") and expected in ("sat", "unsat") and word != expected
            results.append((onnx, vnnlib, word, elapsed, expected, wrong, check))
            csvfile.write(f"{args.category},{onnx},{vnnlib},0,{word},{elapsed:.3f}\n")
            csvfile.flush()
            flag = " WRONG" if wrong else ""
            print(f"{onnx:40s} {vnnlib:22s} {word:8s} {elapsed:8.2f}s truth={expected}{flag} {check}", flush=True)

    decided = [r for r in results if r[2] in ("sat", "unsat")]
    times = [r[3] for r in results]
    print()
    print(f"instances: {len(results)}  decided: {len(decided)} (sat {sum(r[2]=='sat' for r in results)}, "
          f"unsat {sum(r[2]=='unsat' for r in results)})  wrong: {sum(r[5] for r in results)}  "
          f"invalid counterexamples: {sum(r[6]=='INVALID' for r in results)}")
    if times:
        print(f"total time: {sum(times):.1f}s  median: {statistics.median(times):.2f}s  "
              f"median (decided): {statistics.median([r[3] for r in decided]) if decided else float('nan'):.2f}s")
    print(f"results CSV: {out}")
    sys.exit(1 if any(r[5] or r[6] == "INVALID" for r in results) else 0)


if __name__ == "__main__":
    main()
