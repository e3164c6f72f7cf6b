#!/usr/bin/env python3
"""Certus and Marabou on the same VNN-COMP instances, on the same machine, in the same run.

Per instance, one tool after the other (never both at once, so neither slows the other):
`certus verify`, then Marabou (maraboupy) in a separate Python process through
benchmarks/soundness/marabou_verifier.py. Both are killed from outside, with their whole process
group, at the time limit plus 5 s (Marabou's own timeout is not reliable); a killed run counts
as a timeout taking limit + 5 s. Every verdict is compared with truth.csv and every `sat`
witness of either tool is re-checked with `certus check`. Writes one VNN-COMP results CSV per
tool and prints one line per instance and a summary table with the time ratios on the instances
both tools decide. Exits 1 on any wrong verdict or invalid counterexample of either tool.

Examples (from the repository root, after `swift build -c release` and `pip install maraboupy`):
  python3 benchmarks/side_by_side.py test
  python3 benchmarks/side_by_side.py acasxu --every 4            # the 47-instance subset
  python3 benchmarks/side_by_side.py mnistfc --timeout 60
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from vnncomp_instances import (ROOT, add_instance_arguments, category_dir, check_witness_verbose, first_line,
                               is_wrong, load_instances, load_truth, mib, nudge_into_box, run_limited)

GRACE = 5.0  # seconds past the limit before a tool is killed
MARABOU_SCRIPT = os.path.join(ROOT, "benchmarks", "soundness", "marabou_verifier.py")
TOOLS = ("certus", "marabou")


class Outcome:
    """One tool on one instance: verdict word, wall seconds, peak RSS (KiB), witness check, notes."""

    def __init__(self, word, elapsed, maxrss_kib, killed=False, note="", solve_seconds=None):
        self.word = word
        self.elapsed = elapsed
        self.maxrss_kib = maxrss_kib
        self.killed = killed
        self.note = note
        self.solve_seconds = solve_seconds
        self.check = ""
        self.wrong = False

    @property
    def decided(self):
        return self.word in ("sat", "unsat")


def last_message(stderr):
    """The last stderr line that is not one of maraboupy's import warnings, for error notes."""
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    lines = [l for l in lines if "warn" not in l.lower()]
    return lines[-1][:160] if lines else ""


def read_word(path):
    try:
        with open(path) as f:
            return first_line(f.read())
    except OSError:
        return ""


def run_certus(args, onnx_path, vnnlib_path, limit, result_file):
    cmd = [args.certus, "verify", onnx_path, vnnlib_path, "--timeout", str(limit), "--result", result_file]
    run = run_limited(cmd + args.extra.split(), limit + GRACE)
    if run.killed:
        return Outcome("timeout", limit + GRACE, run.maxrss_kib, killed=True)
    if run.returncode != 0:
        return Outcome("error", run.elapsed, run.maxrss_kib, note="error: " + last_message(run.stderr))
    return Outcome(first_line(run.stdout), run.elapsed, run.maxrss_kib)


def run_marabou(args, onnx_path, vnnlib_path, limit, result_file, stats_file):
    cmd = [args.python, MARABOU_SCRIPT, onnx_path, vnnlib_path, result_file, str(limit),
           "--workers", str(args.marabou_workers), "--stats", stats_file]
    run = run_limited(cmd, limit + GRACE)
    if run.killed:
        return Outcome("timeout", limit + GRACE, run.maxrss_kib, killed=True)
    word = read_word(result_file)
    if run.returncode != 0 or word not in ("sat", "unsat", "timeout", "unknown"):
        return Outcome("error", run.elapsed, run.maxrss_kib, note="error: " + (last_message(run.stderr) or f"exit {run.returncode}"))
    solve = None
    try:
        with open(stats_file) as f:
            solve = float(json.load(f)["solve_seconds"])
    except (OSError, ValueError, KeyError):
        pass
    return Outcome(word, run.elapsed, run.maxrss_kib, solve_seconds=solve)


def remove(*paths):
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def validate(args, tool, o, onnx_path, vnnlib_path, result_file, nudged_file):
    """Sets o.check: "valid", "valid~ulp" or "INVALID" (with certus check's reason as a note).

    `certus check` takes the witness's doubles at their exact values, so an input Marabou puts
    on a decimal bound (whose nearest double lies just outside it) is refuted although VNN-COMP
    would accept it. Marabou's witness is therefore checked again with such inputs moved to the
    nearest double inside the box ("valid~ulp"); Certus promises exact witnesses, so its own
    get no second chance.
    """
    o.check, reason = check_witness_verbose(args.certus, onnx_path, vnnlib_path, result_file)
    if o.check == "valid":
        return
    if tool == "marabou" and nudge_into_box(result_file, vnnlib_path, nudged_file):
        again, _ = check_witness_verbose(args.certus, onnx_path, vnnlib_path, nudged_file)
        if again == "valid":
            o.check = "valid~ulp"
            return
    o.note = f"certus check: {reason}"


def describe(name, o):
    text = f"{name} {o.word:7s} {o.elapsed:7.2f}s {mib(o.maxrss_kib):5.0f}M"
    if o.solve_seconds is not None:
        text += f" (solve {o.solve_seconds:.2f}s)"
    for flag in (o.check, "WRONG" if o.wrong else "", "killed" if o.killed else ""):
        if flag:
            text += " " + flag
    return text


def preflight(args):
    """Refuses to start (exit 2) when either tool cannot run, instead of reporting N errors."""
    if not os.access(args.certus, os.X_OK):
        sys.exit(f"side_by_side.py: no certus binary at {args.certus}; build it with "
                 f"`swift build -c release --product certus` or pass --certus")
    probe = subprocess.run([args.python, "-c", "import maraboupy"], capture_output=True, text=True)
    if probe.returncode != 0:
        sys.exit(f"side_by_side.py: {args.python} cannot import maraboupy ({last_message(probe.stderr)}); "
                 f"pip install maraboupy")


def summary(results):
    """Prints the per-tool table and the ratios on the instances both tools decide."""
    def column(tool, f):
        return f([r[tool] for r in results])

    rows = [
        ("instances", lambda os_: str(len(os_))),
        ("decided (sat/unsat)", lambda os_: f"{sum(o.decided for o in os_)} ({sum(o.word == 'sat' for o in os_)}/"
                                            f"{sum(o.word == 'unsat' for o in os_)})"),
        ("wrong", lambda os_: str(sum(o.wrong for o in os_))),
        ("invalid CEX", lambda os_: str(sum(o.check == "INVALID" for o in os_))),
        ("CEX valid after ulp", lambda os_: str(sum(o.check == "valid~ulp" for o in os_))),
        ("timeouts (killed)", lambda os_: f"{sum(o.word == 'timeout' for o in os_)} ({sum(o.killed for o in os_)})"),
        ("unknown / error", lambda os_: f"{sum(o.word == 'unknown' for o in os_)} / "
                                        f"{sum(o.word not in ('sat', 'unsat', 'timeout', 'unknown') for o in os_)}"),
        ("total time", lambda os_: f"{sum(o.elapsed for o in os_):.1f}s"),
        ("median time", lambda os_: f"{statistics.median(o.elapsed for o in os_):.2f}s"),
        ("peak memory", lambda os_: f"{mib(max(o.maxrss_kib for o in os_)):.0f} MiB"),
    ]
    print()
    print(f"{'':22s} {'certus':>16s} {'marabou':>16s}")
    for label, f in rows:
        print(f"{label:22s} {column('certus', f):>16s} {column('marabou', f):>16s}")

    both = [r for r in results if r["certus"].decided and r["marabou"].decided]
    only_c = sum(r["certus"].decided and not r["marabou"].decided for r in results)
    only_m = sum(r["marabou"].decided and not r["certus"].decided for r in results)
    print()
    print(f"decided by both: {len(both)}  only certus: {only_c}  only marabou: {only_m}")
    if not both:
        return
    c = [r["certus"].elapsed for r in both]
    m = [r["marabou"].elapsed for r in both]
    print(f"on those {len(both)}: certus total {sum(c):.1f}s / marabou total {sum(m):.1f}s = {ratio(sum(c), sum(m))}; "
          f"certus median {statistics.median(c):.2f}s / marabou median {statistics.median(m):.2f}s = "
          f"{ratio(statistics.median(c), statistics.median(m))}")
    solves = [r["marabou"].solve_seconds for r in both]
    if all(s is not None for s in solves):
        print(f"  against Marabou's solve call alone (no Python start-up, no ONNX reading): "
              f"total {sum(solves):.1f}s, ratio {ratio(sum(c), sum(solves))}; "
              f"median {statistics.median(solves):.2f}s, ratio {ratio(statistics.median(c), statistics.median(solves))}")


def ratio(a, b):
    return f"{a / b:.3f}" if b > 0 else "n/a"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_instance_arguments(p)
    p.add_argument("--extra", default="", help="extra arguments for certus verify, e.g. '--jobs 1'")
    p.add_argument("--python", default=sys.executable, help="the Python that has maraboupy (default: this one)")
    p.add_argument("--marabou-workers", type=int, default=1, help="Marabou's numWorkers (default 1, its default)")
    p.add_argument("--out-prefix", default=None,
                   help="results CSVs are PREFIX_certus.csv and PREFIX_marabou.csv "
                        "(default benchmarks/out/side_<category>)")
    args = p.parse_args()
    preflight(args)

    base = category_dir(args)
    rows = load_instances(args)
    truth = load_truth(args)
    prefix = args.out_prefix or os.path.join(ROOT, "benchmarks", "out", f"side_{args.category}")
    os.makedirs(os.path.dirname(os.path.abspath(prefix)), exist_ok=True)
    outs = {tool: f"{prefix}_{tool}.csv" for tool in TOOLS}
    files = {tool: open(path, "w") for tool, path in outs.items()}
    results = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            result_file = os.path.join(tmp, "result.txt")
            stats_file = os.path.join(tmp, "stats.json")
            for onnx, vnnlib, timeout in rows:
                limit = args.timeout or float(timeout)
                onnx_path, vnnlib_path = os.path.join(base, onnx), os.path.join(base, vnnlib)
                expected = truth.get((args.category, onnx, vnnlib), "?")
                outcome = {}
                for tool in TOOLS:
                    remove(result_file, stats_file)
                    if tool == "certus":
                        o = run_certus(args, onnx_path, vnnlib_path, limit, result_file)
                    else:
                        o = run_marabou(args, onnx_path, vnnlib_path, limit, result_file, stats_file)
                    if o.word == "sat":
                        validate(args, tool, o, onnx_path, vnnlib_path, result_file, os.path.join(tmp, "nudged.txt"))
                    o.wrong = is_wrong(o.word, expected)
                    outcome[tool] = o
                    files[tool].write(f"{args.category},{onnx},{vnnlib},0,{o.word},{o.elapsed:.3f}\n")
                    files[tool].flush()
                results.append(outcome)
                print(f"{onnx:33s} {vnnlib:20s} truth={expected:5s} | {describe('certus', outcome['certus'])} | "
                      f"{describe('marabou', outcome['marabou'])}", flush=True)
                for tool in TOOLS:
                    if outcome[tool].note:
                        print(f"    {tool}: {outcome[tool].note}", flush=True)
    finally:
        for f in files.values():
            f.close()

    if not results:
        print("no instances selected")
        return 0
    summary(results)
    for tool in TOOLS:
        print(f"results CSV ({tool}): {outs[tool]}")
    # Every tool's wrong verdicts and invalid witnesses are listed; only Certus's fail the run
    # (the script gates Certus; a peer's failures are findings to report, not our regression).
    bad = [(tool, what) for r in results for tool in TOOLS
           for what in (("wrong verdict",) if r[tool].wrong else ()) + (("invalid counterexample",) if r[tool].check == "INVALID" else ())]
    if bad:
        print("FOUND: " + ", ".join(sorted({f"{tool} {what}" for tool, what in bad})))
    if any(tool == "certus" for tool, _ in bad):
        print("FAILED: Certus gave a wrong verdict or an invalid counterexample")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
