#!/usr/bin/env python3
"""Runs `certus verify` on every benchmark of the chosen VNN-COMP years and prints one table.

For each benchmark folder (one holding an instances.csv) of each year under $CERTUS_BENCHMARKS,
every selected instance runs with its own timeout from instances.csv (or the cap, when smaller);
every `sat` counterexample is re-checked with `certus check`; every verdict is compared with the
year's truth.csv. A network Certus cannot read is counted as an import error, apart from other
errors (an `error:` line naming the .onnx file). Beside each row: the best published tool's
count of solved instances (agreeing with truth.csv) on the same instances, from the year's
results/ folder. Standard library only.

Examples (from the repository root, after `swift build -c release --product certus`):
  python3 benchmarks/run_all.py                                   # everything, own timeouts (many hours)
  python3 benchmarks/run_all.py --every 4 --timeout-cap 20         # every 4th instance, at most 20 s each
  python3 benchmarks/run_all.py --only 'safenlp|nn4sys' --every 8  # some benchmarks only

Writes, under --out (default benchmarks/out/all): instances.csv (one row per instance: year,
benchmark, onnx, vnnlib, timeout, result, seconds, truth, wrong, witness check, peak MiB, error)
and table.md (the table printed at the end, with the command line). Exits 1 on any wrong verdict
or invalid counterexample.
"""
import argparse
import csv
import os
import re
import shlex
import statistics
import sys
import tempfile
import time
from types import SimpleNamespace

from vnncomp_instances import (ROOT, check_witness, first_line, is_wrong, load_instances, load_truth, mib,
                               published_results, run_limited)


def benchmark_folders(root, years, only):
    """[(year, benchmark)] in a fixed order: years as given, benchmarks sorted by name."""
    found = []
    for year in years:
        base = os.path.join(root, year)
        if not os.path.isdir(base):
            raise SystemExit(f"error: {base}: no such folder")
        for name in sorted(os.listdir(base)):
            folder = os.path.join(base, name)
            if os.path.isdir(folder) and any(f.endswith("instances.csv") for f in os.listdir(folder)):
                if only is None or re.search(only, name):
                    found.append((year, name))
    return found


def classify(run, onnx_path):
    """The result word of one `certus verify` run and, for errors, the error line:
    import-error when the error line names the network file, else error."""
    if run.killed:
        return "timeout", ""
    if run.returncode == 0:
        return first_line(run.stdout) or "error", ""
    line = next((l for l in run.stderr.splitlines() if l.startswith("error:")), first_line(run.stderr))
    if run.returncode == 2 and line.startswith(f"error: {onnx_path}"):
        return "import-error", line
    return "error", line or f"exit status {run.returncode}"


def best_published(args, year, benchmark, rows, truth):
    """(count, tool) of the published tool that solved most of `rows` (agreeing with truth.csv)."""
    selection = SimpleNamespace(benchmarks=args.benchmarks, category=benchmark)
    best = (0, "-")
    for label, tool, results in published_results(selection, rows):
        solved = sum(1 for key, (verdict, _) in results.items()
                     if verdict is not None and truth.get((benchmark,) + key) == verdict)
        name = f"{label}/{tool}" if label else tool
        if solved > best[0]:
            best = (solved, name)
    return best


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--benchmarks", default=os.environ.get("CERTUS_BENCHMARKS"),
                   required=not os.environ.get("CERTUS_BENCHMARKS"),
                   help="folder holding vnncomp2022, vnncomp2024, ... (default: $CERTUS_BENCHMARKS)")
    p.add_argument("--years", nargs="+", default=["vnncomp2022", "vnncomp2024"])
    p.add_argument("--only", default=None, help="regex on the benchmark folder's name")
    p.add_argument("--every", type=int, default=1, help="every N-th instance of each benchmark, from --first")
    p.add_argument("--first", type=int, default=0,
                   help="index of the first instance taken (0-based; --every 2 --first 1 is the other half)")
    p.add_argument("--timeout-cap", type=float, default=None, help="at most this many seconds per instance")
    p.add_argument("--certus", default=os.path.join(ROOT, ".build", "release", "certus"))
    p.add_argument("--extra", default="", help="more certus verify options")
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "out", "all"))
    args = p.parse_args()

    os.makedirs(args.out, exist_ok=True)
    table_rows = []
    any_bad = False
    started = time.monotonic()
    with open(os.path.join(args.out, "instances.csv"), "w", newline="") as f, tempfile.TemporaryDirectory() as tmp:
        out = csv.writer(f)
        out.writerow(["year", "benchmark", "onnx", "vnnlib", "timeout", "result", "seconds", "truth", "wrong",
                      "witness", "peak_mib", "error"])
        for year, benchmark in benchmark_folders(args.benchmarks, args.years, args.only):
            selection = SimpleNamespace(benchmarks=args.benchmarks, category=benchmark, every=1, first=0,
                                        select=None, nets=None)
            rows = load_instances(selection)[args.first::args.every]
            truth = load_truth(selection)
            base = os.path.join(args.benchmarks, year, benchmark)
            results = []
            for onnx, vnnlib, own_timeout, *_ in rows:
                t = float(own_timeout) if args.timeout_cap is None else min(float(own_timeout), args.timeout_cap)
                onnx_path, vnnlib_path = os.path.join(base, onnx), os.path.join(base, vnnlib)
                result_file = os.path.join(tmp, "result.txt")
                if os.path.exists(result_file):
                    os.remove(result_file)
                cmd = [args.certus, "verify", onnx_path, vnnlib_path, "--timeout", f"{t:g}",
                       "--result", result_file] + args.extra.split()
                run = run_limited(cmd, t + 30)
                word, error = classify(run, onnx_path)
                # The data's folder is the machine's, not the result's: name it by its variable.
                error = error.replace(args.benchmarks.rstrip("/"), "$CERTUS_BENCHMARKS")
                witness = check_witness(args.certus, onnx_path, vnnlib_path, result_file) if word == "sat" else ""
                expected = truth.get((benchmark, onnx, vnnlib), "?")
                wrong = is_wrong(word, expected)
                any_bad |= wrong or witness == "INVALID"
                results.append(SimpleNamespace(word=word, seconds=run.elapsed, wrong=wrong, witness=witness))
                out.writerow([year, benchmark, onnx, vnnlib, f"{t:g}", word, f"{run.elapsed:.3f}", expected,
                              int(wrong), witness, f"{mib(run.maxrss_kib):.0f}", error])
                f.flush()
                flag = " WRONG" if wrong else ""
                print(f"{benchmark:18s} {os.path.basename(onnx):34s} {os.path.basename(vnnlib):40s} {word:12s} "
                      f"{run.elapsed:7.2f}s/{t:g} truth={expected}{flag} {witness} {error[:100]}", flush=True)
            best_count, best_tool = best_published(args, year, benchmark, rows, truth)
            times = [r.seconds for r in results]
            table_rows.append([
                f"{year[-4:]} {benchmark}", str(len(results)),
                str(sum(r.word in ("sat", "unsat") for r in results)),
                str(sum(r.word == "sat" for r in results)), str(sum(r.word == "unsat" for r in results)),
                str(sum(r.wrong for r in results)), str(sum(r.witness == "INVALID" for r in results)),
                str(sum(r.word == "error" for r in results)), str(sum(r.word == "import-error" for r in results)),
                str(sum(r.word in ("timeout", "unknown") for r in results)),
                f"{statistics.median(times):.2f} s" if times else "-",
                f"{best_count} ({best_tool})",
            ])

    header = ["benchmark", "instances", "decided", "sat", "unsat", "wrong", "invalid CEX", "errors",
              "import errors", "timeout/unknown", "median time", "best published (tool)"]
    total = ["total"] + [str(sum(int(r[i]) for r in table_rows)) for i in range(1, 10)] + ["", ""]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in table_rows + [total]]
    command = "python3 benchmarks/run_all.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    table = "\n".join(lines)
    with open(os.path.join(args.out, "table.md"), "w") as f:
        f.write(f"Command: `{command}`\n\nWall time of the whole run: {time.monotonic() - started:.0f} s\n\n{table}\n")
    print()
    print(table)
    print(f"\nwall time {time.monotonic() - started:.0f} s; per instance: {os.path.join(args.out, 'instances.csv')}")
    sys.exit(1 if any_bad else 0)


if __name__ == "__main__":
    main()
